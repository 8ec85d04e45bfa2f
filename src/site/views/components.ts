// Pieces shared by the page views: document rows, pagination, the filter form, term links.

import type { Filter } from '../../documents/filter.ts';
import { kindInfo, LISTED_KINDS } from '../../documents/kinds.ts';
import type { DocumentSummary, Listing } from '../../documents/listing.ts';
import type { Catalog, StructureNode } from '../../taxonomy/catalog.ts';
import { formatDate, formatNumber, isoDay, plural } from '../format.ts';
import { type Html, html, raw } from '../html.ts';
import { documentPath, structurePath, withQuery } from '../urls.ts';

/** How a structure signs its documents: "OSCE Secretariat", "OSCE Mission to Serbia". */
export function sourceLabel(node: StructureNode): string {
  return node.aliasList.find((alias) => alias === `OSCE ${node.name}`) ?? node.name;
}

export function documentRow(doc: DocumentSummary, catalog: Catalog, headingLevel: 2 | 3 = 3): Html {
  const source = doc.source_id === null ? undefined : catalog.structureById(doc.source_id);
  const title = html`<a href="${documentPath(doc)}">${doc.title}</a>`;
  return html`<li class="doc-row">
<p class="doc-row__meta"><span class="doc-row__kind">${kindInfo(doc.kind).singular}</span> <time datetime="${isoDay(doc.published_at)}">${formatDate(doc.published_at)}</time>${
    source ? html` <span class="doc-row__source">${sourceLabel(source)}</span>` : ''
  }${doc.is_demo ? html` <span class="tag tag--demo">Demo</span>` : ''}</p>
${headingLevel === 2 ? html`<h2 class="doc-row__title">${title}</h2>` : html`<h3 class="doc-row__title">${title}</h3>`}
${doc.summary ? html`<p class="doc-row__summary">${doc.summary}</p>` : ''}
</li>`;
}

export function documentList(items: readonly DocumentSummary[], catalog: Catalog, headingLevel: 2 | 3 = 3): Html {
  if (items.length === 0) return html`<p class="empty">No documents found.</p>`;
  return html`<ol class="doc-list">${items.map((doc) => documentRow(doc, catalog, headingLevel))}</ol>`;
}

/** Previous / numbered / next links; each page is a plain URL. */
export function pagination(listing: Listing, path: string, query: Record<string, unknown>): Html {
  const { page } = listing.filter;
  const last = listing.pageCount;
  if (last <= 1) return html``;
  const href = (target: number) => withQuery(path, query, { page: target === 1 ? undefined : String(target) });
  const numbers = new Set([1, last, page - 1, page, page + 1].filter((n) => n >= 1 && n <= last));
  const sorted = [...numbers].sort((a, b) => a - b);
  const items: Html[] = [];
  sorted.forEach((n, index) => {
    if (index > 0 && n - (sorted[index - 1] as number) > 1)
      items.push(html`<li class="pagination__gap" aria-hidden="true">…</li>`);
    items.push(
      n === page
        ? html`<li><a class="pagination__current" href="${href(n)}" aria-current="page" aria-label="Page ${n}">${n}</a></li>`
        : html`<li><a href="${href(n)}" aria-label="Page ${n}">${n}</a></li>`,
    );
  });
  return html`<nav class="pagination" aria-label="Pagination"><ul>
${page > 1 ? html`<li class="pagination__step"><a href="${href(page - 1)}" rel="prev">Previous<span class="visually-hidden"> page</span></a></li>` : ''}
${items}
${page < last ? html`<li class="pagination__step"><a href="${href(page + 1)}" rel="next">Next<span class="visually-hidden"> page</span></a></li>` : ''}
</ul></nav>`;
}

interface SelectOption {
  value: string;
  label: string;
}

interface SelectOptions {
  readonly options: readonly SelectOption[];
  /** Each option's markup, unselected and selected, rendered once. */
  readonly markup: ReadonlyArray<readonly [plain: string, selected: string]>;
}

function prepareOptions(options: SelectOption[]): SelectOptions {
  return {
    options,
    markup: options.map((option) => [
      html`<option value="${option.value}">${option.label}</option>`.value,
      html`<option value="${option.value}" selected>${option.label}</option>`.value,
    ]),
  };
}

function select(name: string, label: string, prepared: SelectOptions, selected: readonly string[]): Html {
  let options = '';
  let selectedCount = 0;
  prepared.options.forEach((option, index) => {
    const isSelected = selected.includes(option.value);
    if (isSelected) selectedCount += 1;
    options += (prepared.markup[index] as readonly [string, string])[isSelected ? 1 : 0];
  });
  // Several values (type=news&type=event) need a multiple select: a single one may select only one option.
  return html`<div class="filter-field"><label for="filter-${name}">${label}</label>
<select id="filter-${name}" name="${name}"${selectedCount > 1 ? html` multiple` : ''}><option value="">Any</option>${raw(options)}</select></div>`;
}

export type FilterControl = 'type' | 'field' | 'country' | 'source' | 'year';

interface FilterOptions {
  type: SelectOptions;
  field: SelectOptions;
  country: SelectOptions;
  source: SelectOptions;
  year: SelectOptions;
  currentYear: number;
}

// The taxonomies do not change while a catalog lives: its options are rendered once.
const optionsByCatalog = new WeakMap<Catalog, FilterOptions>();

function filterOptions(catalog: Catalog, currentYear: number): FilterOptions {
  const cached = optionsByCatalog.get(catalog);
  if (cached && cached.currentYear === currentYear) return cached;
  const years: SelectOption[] = [];
  for (let year = currentYear; year >= 1991; year -= 1) years.push({ value: String(year), label: String(year) });
  const options: FilterOptions = {
    type: prepareOptions(LISTED_KINDS.map((k) => ({ value: k.kind, label: k.singular }))),
    field: prepareOptions(catalog.fields.map((f) => ({ value: f.slug, label: f.name }))),
    country: prepareOptions(catalog.countries.map((c) => ({ value: c.slug, label: c.name }))),
    source: prepareOptions(
      catalog.structures.map((s) => ({ value: s.slug, label: s.parent ? `– ${s.name}` : s.name })),
    ),
    year: prepareOptions(years),
    currentYear,
  };
  optionsByCatalog.set(catalog, options);
  return options;
}

/** A GET form: every state of the listing is a URL, and it works without JavaScript. */
export function filterForm(
  path: string,
  filter: Filter,
  catalog: Catalog,
  controls: readonly FilterControl[],
  currentYear: number,
): Html {
  const options = filterOptions(catalog, currentYear);
  // sourceIds holds each chosen structure with its whole subtree: select only the chosen ones.
  const sourceSet = new Set(filter.sourceIds);
  const selected: Record<FilterControl, () => string[]> = {
    type: () => [...filter.kinds],
    field: () => filter.fieldIds.map((id) => catalog.fieldById(id)?.slug ?? ''),
    country: () => filter.countryIds.map((id) => catalog.countryById(id)?.slug ?? ''),
    source: () =>
      filter.sourceIds.flatMap((id) => {
        const node = catalog.structureById(id);
        return node && !(node.parent && sourceSet.has(node.parent.id)) ? [node.slug] : [];
      }),
    year: () => (filter.year === null ? [] : [String(filter.year)]),
  };
  const labels: Record<FilterControl, string> = {
    type: 'Type',
    field: 'Field of work',
    country: 'Country',
    source: 'Source',
    year: 'Year',
  };
  return html`<form class="filters" method="get" action="${path}" role="search" aria-label="Filter documents">
${controls.map((control) => select(control, labels[control], options[control], selected[control]()))}
<div class="filters__actions"><button type="submit" class="button">Apply filters</button> <a href="${path}">Clear filters</a></div>
</form>`;
}

export function resultCount(listing: Listing): Html {
  const { page } = listing.filter;
  return html`<p class="result-count" role="status">${plural(listing.total, 'document')}${
    listing.pageCount > 1 ? html`, page ${formatNumber(page)} of ${formatNumber(listing.pageCount)}` : ''
  }</p>`;
}

/** "Human rights, Combating trafficking in human beings" as links. */
export function termLinks(terms: ReadonlyArray<{ name: string; href: string }>): Html {
  return html`${terms.map((term, index) => html`${index > 0 ? ', ' : ''}<a href="${term.href}">${term.name}</a>`)}`;
}

export const structureHref = (node: StructureNode) => structurePath(node.slug);
