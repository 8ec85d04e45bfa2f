// Renders a Listing as a feed or an export: RSS 2.0, Atom 1.0, JSON Feed 1.1, CSV.

import type { FeedFormat } from '../listing/formats.ts';
import type { Listing } from '../listing/listing.ts';
import type { Catalog } from '../taxonomy/catalog.ts';
import { renderAtom } from './atom.ts';
import { renderCsv } from './csv.ts';
import { feedDocument } from './entries.ts';
import { renderJsonFeed } from './json-feed.ts';
import { renderRss } from './rss.ts';

export interface FeedMeta {
  /** "Press releases — Human rights" */
  title: string;
  description: string;
  /** Absolute URL of the HTML page this feed mirrors. */
  htmlUrl: string;
  /** Absolute URL of this feed. */
  selfUrl: string;
  /** The site's origin, for absolute document links. */
  baseUrl: string;
}

/**
 * The listing's items in one format; the listing must have been run with `{ content: true }`.
 * @example renderFeed('rss', await runListing(db, filter, now, { content: true }), catalog, meta)
 */
export function renderFeed(format: FeedFormat, listing: Listing, catalog: Catalog, meta: FeedMeta): string {
  // The clock only dates an empty feed, which has no newest item to take its date from.
  const doc = feedDocument(listing, catalog, meta, new Date());
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
