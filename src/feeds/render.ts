// Renders a Listing as a feed or an export: RSS 2.0, Atom 1.0, JSON Feed 1.1, CSV.
import type { Listing } from '../documents/listing.ts';
import type { Catalog } from '../taxonomy/catalog.ts';
import type { FeedFormat } from './formats.ts';

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

/** @example renderFeed('rss', listing, catalog, meta).body */
export function renderFeed(format: FeedFormat, _listing: Listing, _catalog: Catalog, _meta: FeedMeta): string {
  throw new Error(`The ${format} format is not available yet`);
}
