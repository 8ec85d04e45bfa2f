// Pieces shared by the page views: document rows, pagination, result counts, term links.
import { kindInfo } from '../../documents/kinds.ts';
import type { DocumentSummary } from '../../documents/reader.ts';
import type { Listing, ListingItem } from '../../listing/listing.ts';
import { documentPath, paramsTemplate, structurePath, withParams } from '../../listing/urls.ts';
import type { Catalog, StructureNode } from '../../taxonomy/catalog.ts';
import { sourceLabel } from '../../taxonomy/organisation.ts';
import { type EncodedHtml, encoded, type Html, type HtmlPieces, html, pieces, raw } from '../../text/html.ts';
import { KeptFor } from '../../text/kept.ts';
import { formatDate, formatNumber, isoDay, plural } from '../format.ts';

/** The markup of held rows, per catalogue (whose labels they show) and heading level. */
const heldRowMarkup = new KeptFor<DocumentSummary, EncodedHtml>();

/**
 * One row of a list of documents. A held row's markup is kept with it: a list of twenty rows
 * cost about 40 µs to build again at every request, for rows that change only with their
 * documents (or the catalogue, whose labels they show).
 */
export function documentRow(doc: DocumentSummary | ListingItem, catalog: Catalog, headingLevel: 2 | 3 = 3): Html {
  if (!Object.isFrozen(doc)) return renderDocumentRow(doc, catalog, headingLevel);
  return heldRowMarkup.get(doc, [catalog, headingLevel], () => encoded(renderDocumentRow(doc, catalog, headingLevel)));
}

function renderDocumentRow(doc: DocumentSummary | ListingItem, catalog: Catalog, headingLevel: 2 | 3): Html {
  const snippet = 'snippet' in doc ? doc.snippet : null;
  const sources = doc.sourceIds.flatMap((id) => catalog.structureById(id) ?? []);
  const title = html`<a href="${documentPath(doc)}">${doc.title}</a>`;
  return html`<li class="doc-row">
<p class="doc-row__meta"><span class="doc-row__kind">${kindInfo(doc.kind).singular}</span> <time datetime="${isoDay(doc.dated_at)}">${formatDate(doc.dated_at)}</time>${
    sources.length > 0 ? html` <span class="doc-row__source">${sources.map(sourceLabel).join(', ')}</span>` : ''
  }${doc.is_demo ? html` <span class="tag tag--demo">Demo</span>` : ''}</p>
${headingLevel === 2 ? html`<h2 class="doc-row__title">${title}</h2>` : html`<h3 class="doc-row__title">${title}</h3>`}
${
  snippet
    ? html`<p class="doc-row__summary doc-row__snippet">${raw(snippet)}</p>`
    : doc.summary
      ? html`<p class="doc-row__summary">${doc.summary}</p>`
      : ''
}
</li>`;
}

/** A list of documents, in pieces: held rows are sent as their kept bytes. */
export function documentList(
  items: readonly (DocumentSummary | ListingItem)[],
  catalog: Catalog,
  headingLevel: 2 | 3 = 3,
): HtmlPieces {
  if (items.length === 0) return [html`<p class="empty">No documents found.</p>`];
  return pieces`<ol class="doc-list">${items.map((doc) => documentRow(doc, catalog, headingLevel))}</ol>`;
}

/** Previous / numbered / next links; each page is a plain URL. */
export function pagination(listing: Listing, path: string): Html {
  const { page, params } = listing.filter;
  const last = listing.pageCount;
  if (last <= 1) return html``;
  // Numbered pages replace a cursor: the two cannot be combined. The rest of the address is
  // encoded once for every link.
  const toPage = paramsTemplate(path, { ...params, cursor: [] }, 'page');
  const href = (target: number) => toPage(target === 1 ? [] : [String(target)]);
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

export function resultCount(listing: Listing): Html {
  const { page } = listing.filter;
  return html`<p class="result-count" role="status">${plural(listing.total, 'document')}${
    listing.pageCount > 1 ? html`, page ${formatNumber(page)} of ${formatNumber(listing.pageCount)}` : ''
  }</p>`;
}

/** "Did you mean …?" under a search that found nothing, linking to the corrected search. */
export function didYouMean(listing: Listing, path: string): Html {
  if (!listing.suggestion) return html``;
  const href = withParams(path, listing.filter.params, { q: [listing.suggestion], page: [], cursor: [] });
  return html`<p class="did-you-mean">Did you mean <a href="${href}">${listing.suggestion}</a>?</p>`;
}

/** "Human rights, Combating trafficking in human beings" as links. */
export function termLinks(terms: ReadonlyArray<{ name: string; href: string }>): Html {
  return html`${terms.map((term, index) => html`${index > 0 ? ', ' : ''}<a href="${term.href}">${term.name}</a>`)}`;
}

export const structureHref = (node: StructureNode) => structurePath(node.slug);
