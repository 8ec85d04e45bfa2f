// A page that lists documents: a kind's listing, the search page, or a field, country,
// structure or meeting page. Search box, active filters, results, pagination, facet counts.
import type { FacetDimension } from '../../listing/engine.ts';
import type { Listing } from '../../listing/listing.ts';
import { type Html, pieces } from '../../text/html.ts';
import type { SiteContext } from '../context.ts';
import { type Breadcrumb, type PageBytes, renderPageBytes } from '../layout.ts';
import { didYouMean, documentList, pagination, resultCount } from './components.ts';
import { activeFilters, facetPanel, searchForm } from './facets.ts';

export interface ListingPageOptions {
  title: string;
  description?: string;
  /** Shown above the documents: a term's summary, facts, sub-pages. */
  intro?: Html;
  breadcrumbs: Breadcrumb[];
  path: string;
  listing: Listing;
  /** Facets to show (those the page does not already fix). */
  facets: readonly FacetDimension[];
  /** Heading of the documents section when the page has an intro. */
  listHeading?: string;
  searchLabel?: string;
  /** Leave the header's search box out (the search page, whose own box holds the query). */
  headerSearch?: boolean;
  /** Extra elements for <head> (feed links). */
  head?: Html;
}

export function renderListingPage(context: SiteContext, options: ListingPageOptions): PageBytes {
  const { listing, path } = options;
  const { catalog } = context;
  const results = pieces`${searchForm(listing.filter, path, options.searchLabel ?? `Search ${options.title.toLowerCase()}`)}
${activeFilters(listing.filter, catalog, path)}
${resultCount(listing)}
${didYouMean(listing, path)}
${documentList(listing.items, catalog, options.listHeading ? 3 : 2)}
${pagination(listing, path)}`;
  const main = pieces`<h1>${options.title}</h1>
${options.intro ?? ''}
<div class="listing-layout">
<div class="listing-layout__main">${
    options.listHeading
      ? pieces`<section class="listing" aria-labelledby="listing-heading"><h2 id="listing-heading">${options.listHeading}</h2>${results}</section>`
      : pieces`<div class="listing">${results}</div>`
  }</div>
<div class="listing-layout__side">${facetPanel(listing, catalog, path, options.facets)}</div>
</div>`;
  const { page } = listing.filter;
  return renderPageBytes(context, {
    title: page > 1 ? `${options.title} (page ${page})` : options.title,
    description: options.description,
    // Each page of a listing is its own canonical page; filtered states point to the listing.
    canonicalPath: page > 1 ? `${options.path}?page=${page}` : options.path,
    breadcrumbs: options.breadcrumbs,
    head: options.head,
    headerSearch: options.headerSearch,
    main,
  });
}
