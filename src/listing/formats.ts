// The formats a listing can be read in, chosen by the suffix of its path, and the shape of a
// feed renderer: the feeds are passed in to the site's routes by buildApp, never imported by them.
import type { Catalog } from '../taxonomy/catalog.ts';
import type { Listing } from './listing.ts';

export const FEED_FORMATS = ['rss', 'atom', 'feed.json', 'csv'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];
/** Every non-HTML rendering of a listing: the feeds, and the API's JSON. */
export const LISTING_FORMATS = [...FEED_FORMATS, 'json'] as const;
export type ListingFormat = (typeof LISTING_FORMATS)[number];

/**
 * Splits `human-rights.rss` into its slug and format; null format means HTML.
 * @example splitFormat('human-rights.feed.json') // { base: 'human-rights', format: 'feed.json' }
 */
export function splitFormat(segment: string): { base: string; format: ListingFormat | null } {
  for (const format of LISTING_FORMATS) {
    if (segment.endsWith(`.${format}`)) return { base: segment.slice(0, -(format.length + 1)), format };
  }
  return { base: segment, format: null };
}

export const FEED_CONTENT_TYPES: Record<ListingFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  'feed.json': 'application/feed+json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

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

/** Renders a listing run with `{ content: true }`; `now` dates an empty feed. */
export type FeedRenderer = (
  format: FeedFormat,
  listing: Listing,
  catalog: Catalog,
  meta: FeedMeta,
  now: Date,
) => string;
