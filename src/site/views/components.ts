// Pieces shared by the page views: document rows, pagination, the filter form, term links.

import type { Filter } from '../../documents/filter.ts';
import { kindInfo, LISTED_KINDS } from '../../documents/kinds.ts';
import type { DocumentSummary, Listing } from '../../documents/listing.ts';
import type { Catalog, StructureNode } from '../../taxonomy/catalog.ts';
import { formatDate, formatNumber, isoDay, plural } from '../format.ts';
import { type Html, html } from '../html.ts';
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

function select(name: string, label: string, options: SelectOption[], selected: readonly string[]): Html {
  // Several values (type=news&type=event) need a multiple select: a single one may select only one option.
  const multiple = options.filter((option) => selected.includes(option.value)).length > 1;
  return html`<div class="filter-field"><label for="filter-${name}">${label}</label>
<select id="filter-${name}" name="${name}"${multiple ? html` multiple` : ''}><option value="">Any</option>${options.map(
    (option) =>
      html`<option value="${option.value}"${selected.includes(option.value) ? html` selected` : ''}>${option.label}</option>`,
  )}</select></div>`;
}

export type FilterControl = 'type' | 'field' | 'country' | 'source' | 'year';

/** A GET form: every state of the listing is a URL, and it works without JavaScript. */
export function filterForm(
  path: string,
  filter: Filter,
  catalog: Catalog,
  controls: readonly FilterControl[],
  currentYear: number,
): Html {
  const fieldSlugs = filter.fieldIds.map((id) => catalog.fieldById(id)?.slug ?? '');
  const countrySlugs = filter.countryIds.map((id) => catalog.countryById(id)?.slug ?? '');
  // sourceIds holds each chosen structure with its whole subtree: select only the chosen ones.
  const sourceSet = new Set(filter.sourceIds);
  const sourceSlugs = filter.sourceIds.flatMap((id) => {
    const node = catalog.structureById(id);
    return node && !(node.parent && sourceSet.has(node.parent.id)) ? [node.slug] : [];
  });
  const years: SelectOption[] = [];
  for (let year = currentYear; year >= 1991; year -= 1) years.push({ value: String(year), label: String(year) });
  const fields: Record<FilterControl, () => Html> = {
    type: () =>
      select(
        'type',
        'Type',
        LISTED_KINDS.map((k) => ({ value: k.kind, label: k.singular })),
        filter.kinds,
      ),
    field: () =>
      select(
        'field',
        'Field of work',
        catalog.fields.map((f) => ({ value: f.slug, label: f.name })),
        fieldSlugs,
      ),
    country: () =>
      select(
        'country',
        'Country',
        catalog.countries.map((c) => ({ value: c.slug, label: c.name })),
        countrySlugs,
      ),
    source: () =>
      select(
        'source',
        'Source',
        catalog.structures.map((s) => ({ value: s.slug, label: s.parent ? `– ${s.name}` : s.name })),
        sourceSlugs,
      ),
    year: () => select('year', 'Year', years, filter.year === null ? [] : [String(filter.year)]),
  };
  return html`<form class="filters" method="get" action="${path}" role="search" aria-label="Filter documents">
${controls.map((control) => fields[control]())}
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
