// The listing's controls: search form, active filters (each removable by a link) and facet
// counts. Everything is a link or a GET form: every state is a URL, and it works without JS.

import { KINDS } from '../../documents/kinds.ts';
import type { FacetDimension } from '../../listing/engine.ts';
import { DIMENSIONS, type Filter } from '../../listing/filter.ts';
import type { Listing } from '../../listing/listing.ts';
import { type Params, paramsTemplate, withParams } from '../../listing/urls.ts';
import type { Catalog } from '../../taxonomy/catalog.ts';
import { type EncodedHtml, encoded, type Html, html } from '../../text/html.ts';
import { formatNumber } from '../format.ts';

const DIMENSION_LABELS: Record<(typeof DIMENSIONS)[number], string> = {
  type: 'Type',
  field: 'Field of work',
  country: 'Country',
  source: 'Source',
  meeting: 'Meeting',
  lang: 'Language',
  year: 'Year',
};

const VISIBLE_VALUES = 8;

interface FacetEntry {
  value: string;
  label: string;
  count: number;
  selected: boolean;
}

/** The reader-facing name of a parameter value ("human-rights" → "Human rights"). */
export function valueLabel(catalog: Catalog, dimension: string, value: string): string {
  switch (dimension) {
    case 'type':
      return KINDS.find((k) => k.kind === value)?.singular ?? value;
    case 'field':
      return catalog.fieldBySlug(value)?.name ?? value;
    case 'country':
      return catalog.countryBySlug(value)?.name ?? value;
    case 'source':
      return catalog.structureBySlug(value)?.name ?? value;
    case 'meeting':
      return catalog.meetingBySlug(value)?.name ?? value;
    default:
      return value;
  }
}

/** Links drop the page and the cursor: a changed filter starts again at page one. */
function changed(params: Params, name: string, values: readonly string[]): Params {
  return { ...params, page: [], cursor: [], [name]: values };
}

function facetEntries(listing: Listing, catalog: Catalog, dimension: FacetDimension): FacetEntry[] {
  const counts = listing.facets?.[dimension];
  if (!counts) return [];
  const selected = new Set(listing.filter.params[dimension] ?? []);
  const entries: FacetEntry[] = [];
  const add = (value: string, label: string, count: number) => {
    if (count > 0 || selected.has(value)) entries.push({ value, label, count, selected: selected.has(value) });
  };
  switch (dimension) {
    case 'type':
      for (const info of KINDS)
        add(info.kind, info.singular, (counts as ReadonlyMap<string, number>).get(info.kind) ?? 0);
      return entries;
    case 'year':
      for (const [year, count] of [...(counts as ReadonlyMap<number, number>)].sort((a, b) => b[0] - a[0])) {
        add(String(year), String(year), count);
      }
      return entries;
    case 'field':
      for (const field of catalog.fields)
        add(field.slug, field.name, (counts as ReadonlyMap<number, number>).get(field.id) ?? 0);
      break;
    case 'country':
      for (const country of catalog.countries) {
        add(country.slug, country.name, (counts as ReadonlyMap<number, number>).get(country.id) ?? 0);
      }
      break;
    case 'source':
      // The Listing counts a structure with everything under it (see FacetCounts): shown as is.
      for (const node of catalog.structures)
        add(node.slug, node.name, (counts as ReadonlyMap<number, number>).get(node.id) ?? 0);
      break;
  }
  return entries.sort((a, b) => Number(b.selected) - Number(a.selected) || b.count - a.count);
}

function facetLink(
  entry: FacetEntry,
  current: readonly string[],
  hrefFor: (values: readonly string[]) => string,
): Html {
  const values = entry.selected ? current.filter((v) => v !== entry.value) : [...current, entry.value];
  // nofollow: facet combinations are endless; crawlers should index the documents, not them.
  // No class on each link and its two spans: a listing has about 150 of them, and the CSS finds
  // them by place (`.facet__values a > span`). A page's bytes are a fifth of its cost.
  return entry.selected
    ? html`<li><a class="facet__link--selected" href="${hrefFor(values)}" rel="nofollow"><span><span class="visually-hidden">Remove filter: </span>${entry.label}</span> <span>${formatNumber(entry.count)}</span></a></li>`
    : html`<li><a href="${hrefFor(values)}" rel="nofollow"><span>${entry.label}</span> <span>${formatNumber(entry.count)}</span></a></li>`;
}

/** One block of counts per dimension; the values past the first few fold into a <details>. */
export function facetPanel(
  listing: Listing,
  catalog: Catalog,
  path: string,
  dimensions: readonly FacetDimension[],
): Html {
  // Counts reused from the count cache are the same object: so is the panel built from them,
  // whatever page of the listing is shown (its links drop the page).
  const facets = listing.facets;
  if (!facets) return renderFacetPanel(listing, catalog, path, dimensions);
  // The listing's address without its page (the panel's links drop it), and the dimensions shown.
  const key = `${withParams(path, listing.filter.params, { page: [], cursor: [] })} ${dimensions.join(',')}`;
  let panels = renderedPanels.get(facets);
  if (!panels) {
    panels = new Map();
    renderedPanels.set(facets, panels);
  }
  let panel = panels.get(key);
  if (!panel) {
    // Kept as bytes: a page sends them as they are.
    panel = encoded(renderFacetPanel(listing, catalog, path, dimensions));
    panels.set(key, panel);
  }
  return panel;
}

const renderedPanels = new WeakMap<object, Map<string, EncodedHtml>>();

function renderFacetPanel(
  listing: Listing,
  catalog: Catalog,
  path: string,
  dimensions: readonly FacetDimension[],
): Html {
  const { params } = listing.filter;
  return html`<section class="facets" aria-labelledby="facets-heading">
<h2 id="facets-heading" class="facets__title">Refine results</h2>
${dimensions.map((dimension) => {
  const entries = facetEntries(listing, catalog, dimension);
  if (entries.length === 0) return '';
  const head = entries.slice(0, VISIBLE_VALUES);
  const rest = entries.slice(VISIBLE_VALUES);
  const current = params[dimension] ?? [];
  const hrefFor = paramsTemplate(path, changed(params, dimension, current), dimension);
  const link = (entry: FacetEntry) => facetLink(entry, current, hrefFor);
  return html`<div class="facet">
<h3 class="facet__title" id="facet-${dimension}">${DIMENSION_LABELS[dimension]}</h3>
<ul class="facet__values" aria-labelledby="facet-${dimension}">${head.map(link)}</ul>
${
  rest.length > 0
    ? html`<details class="facet__more"><summary>${rest.length} more<span class="visually-hidden"> ${DIMENSION_LABELS[dimension].toLowerCase()} values</span></summary><ul class="facet__values">${rest.map(link)}</ul></details>`
    : ''
}
</div>`;
})}
</section>`;
}

/** "Field of work: Human rights; Country: not Austria" — the filter in words, for feed titles. */
export function describeFilter(filter: Filter, catalog: Catalog): string {
  const parts: string[] = [];
  if (filter.params.q) parts.push(`“${filter.params.q[0] ?? ''}”`);
  for (const dimension of DIMENSIONS) {
    for (const negated of [false, true]) {
      const values = filter.params[negated ? `not_${dimension}` : dimension] ?? [];
      if (values.length === 0) continue;
      const labels = values.map((value) => valueLabel(catalog, dimension, value)).join(' or ');
      parts.push(`${DIMENSION_LABELS[dimension]}: ${negated ? 'not ' : ''}${labels}`);
    }
  }
  if (filter.params.from) parts.push(`from ${filter.params.from[0]}`);
  if (filter.params.to) parts.push(`to ${filter.params.to[0]}`);
  return parts.join('; ');
}

/** "Field of work: Human rights ×" for each active choice, each a link to the state without it. */
export function activeFilters(filter: Filter, catalog: Catalog, path: string): Html {
  const chips: Html[] = [];
  const { params } = filter;
  if (params.q) {
    chips.push(
      html`<li><a class="chip" href="${withParams(path, changed(params, 'q', []))}" rel="nofollow"><span class="visually-hidden">Remove </span>Search: “${params.q[0] ?? ''}”</a></li>`,
    );
  }
  for (const dimension of DIMENSIONS) {
    for (const negated of [false, true]) {
      const name = negated ? `not_${dimension}` : dimension;
      for (const value of params[name] ?? []) {
        const label = `${DIMENSION_LABELS[dimension]}: ${negated ? 'not ' : ''}${valueLabel(catalog, dimension, value)}`;
        const rest = (params[name] ?? []).filter((v) => v !== value);
        chips.push(
          html`<li><a class="chip" href="${withParams(path, changed(params, name, rest))}" rel="nofollow"><span class="visually-hidden">Remove filter </span>${label}</a></li>`,
        );
      }
    }
  }
  for (const bound of ['from', 'to'] as const) {
    const value = params[bound]?.[0];
    if (value) {
      chips.push(
        html`<li><a class="chip" href="${withParams(path, changed(params, bound, []))}" rel="nofollow"><span class="visually-hidden">Remove filter </span>${bound === 'from' ? 'From' : 'To'} ${value}</a></li>`,
      );
    }
  }
  if (chips.length === 0) return html``;
  return html`<div class="active-filters"><h2 class="visually-hidden">Active filters</h2><ul>${chips}</ul>${
    chips.length > 1 ? html`<p><a href="${path}">Clear all filters</a></p>` : ''
  }</div>`;
}

/** The search box with sort and date range; the other active filters ride along as hidden fields. */
export function searchForm(filter: Filter, path: string, label: string): Html {
  const { params } = filter;
  const hidden = Object.entries(params).filter(
    ([name]) => !['q', 'sort', 'from', 'to', 'page', 'cursor'].includes(name),
  );
  const sortOption = (value: string, text: string) =>
    html`<option value="${value}"${filter.sort === value ? html` selected` : ''}>${text}</option>`;
  return html`<form class="search-form" method="get" action="${path}" role="search">
<div class="search-form__query"><label for="search-q">${label}</label>
<input type="search" id="search-q" name="q" value="${params.q?.[0] ?? ''}" maxlength="1000" autocomplete="off">
<button type="submit" class="button">Search</button></div>
<div class="search-form__options">
<div class="search-form__field"><label for="search-sort">Sort by</label><select id="search-sort" name="sort">${sortOption('relevance', 'Relevance')}${sortOption('newest', 'Newest first')}${sortOption('oldest', 'Oldest first')}</select></div>
<div class="search-form__field"><label for="search-from">From</label><input type="date" id="search-from" name="from" value="${params.from?.[0] ?? ''}"></div>
<div class="search-form__field"><label for="search-to">To</label><input type="date" id="search-to" name="to" value="${params.to?.[0] ?? ''}"></div>
</div>
${hidden.flatMap(([name, values]) => values.map((value) => html`<input type="hidden" name="${name}" value="${value}">`))}
</form>`;
}
