// Renders a Listing as a feed or an export: RSS 2.0, Atom 1.0, JSON Feed 1.1, CSV.

import type { FeedFormat, FeedMeta } from '../listing/formats.ts';
import type { Listing } from '../listing/listing.ts';
import type { Catalog } from '../taxonomy/catalog.ts';
import { renderAtom } from './atom.ts';
import { renderCsv } from './csv.ts';
import { feedDocument } from './entries.ts';
import { renderJsonFeed } from './json-feed.ts';
import { renderRss } from './rss.ts';

/**
 * The listing's items in one format; the listing must have been run with `{ content: true }`.
 * @example renderFeed('rss', await listings.run(filter, { content: true }), catalog, meta, clock())
 */
export function renderFeed(format: FeedFormat, listing: Listing, catalog: Catalog, meta: FeedMeta, now: Date): string {
  // The clock only dates an empty feed, which has no newest item to take its date from.
  const doc = feedDocument(listing, catalog, meta, now);
  switch (format) {
    case 'rss':
      return renderRss(doc);
    case 'atom':
      return renderAtom(doc);
    case 'feed.json':
      return renderJsonFeed(doc);
    case 'csv':
      return renderCsv(doc);
  }
}
