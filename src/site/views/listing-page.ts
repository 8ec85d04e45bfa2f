// A page that lists documents: a kind's listing, or a field, country, structure or meeting page.
import type { Listing } from '../../documents/listing.ts';
import type { SiteContext } from '../context.ts';
import { type Html, html } from '../html.ts';
import { type Breadcrumb, renderPage } from '../layout.ts';
import { documentList, type FilterControl, filterForm, pagination, resultCount } from './components.ts';

export interface ListingPageOptions {
  title: string;
  description?: string;
  /** Shown above the documents: a term's summary, facts, sub-pages. */
  intro?: Html;
  breadcrumbs: Breadcrumb[];
  path: string;
  query: Record<string, unknown>;
  listing: Listing;
  controls: readonly FilterControl[];
  /** Heading of the documents section when the page has an intro. */
  listHeading?: string;
}

export function renderListingPage(context: SiteContext, options: ListingPageOptions): string {
  const { listing } = options;
  const list = html`${filterForm(options.path, listing.filter, context.catalog, options.controls, context.now().getUTCFullYear())}
${resultCount(listing)}
${documentList(listing.items, context.catalog, options.listHeading ? 3 : 2)}
${pagination(listing, options.path, options.query)}`;
  const main = html`<h1>${options.title}</h1>
${options.intro ?? ''}
${
  options.listHeading
    ? html`<section class="listing" aria-labelledby="listing-heading"><h2 id="listing-heading">${options.listHeading}</h2>${list}</section>`
    : html`<div class="listing">${list}</div>`
}`;
  return renderPage(context, {
    title: listing.filter.page > 1 ? `${options.title} (page ${listing.filter.page})` : options.title,
    description: options.description,
    canonicalPath: options.path,
    breadcrumbs: options.breadcrumbs,
    main,
  });
}
