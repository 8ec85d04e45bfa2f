// JSON Feed 1.1 (https://jsonfeed.org/version/1.1), written directly: it is plain JSON, escaped by JSON.stringify.
import type { FeedDocument, FeedEntry, FeedPerson } from './entries.ts';

export const JSON_FEED_VERSION = 'https://jsonfeed.org/version/1.1';

export interface JsonFeedAuthor {
  name: string;
  url: string;
}

export interface JsonFeedItem {
  id: string;
  url: string;
  title: string;
  content_html: string;
  summary?: string;
  date_published: string;
  date_modified: string;
  authors?: JsonFeedAuthor[];
  tags: string[];
  language: string;
}

export interface JsonFeed {
  version: typeof JSON_FEED_VERSION;
  title: string;
  home_page_url: string;
  feed_url: string;
  description: string;
  next_url?: string;
  language?: string;
  authors: JsonFeedAuthor[];
  items: JsonFeedItem[];
}

const author = (who: FeedPerson): JsonFeedAuthor => ({ name: who.name, url: who.url });

function item(entry: FeedEntry): JsonFeedItem {
  return {
    id: entry.id,
    url: entry.url,
    title: entry.title,
    content_html: entry.contentHtml,
    ...(entry.summary ? { summary: entry.summary } : {}),
    date_published: entry.published,
    date_modified: entry.updated,
    // Items without their own authors inherit the feed's (JSON Feed 1.1, "authors").
    ...(entry.sources.length > 0 ? { authors: entry.sources.map(author) } : {}),
    tags: [entry.kind, ...entry.fields, ...entry.countries].map((term) => term.label),
    language: entry.language,
  };
}

/**
 * The feed as an object, for callers that want to inspect it before it is written.
 * @example jsonFeed(doc).version // 'https://jsonfeed.org/version/1.1'
 */
export function jsonFeed(doc: FeedDocument): JsonFeed {
  const { meta } = doc;
  return {
    version: JSON_FEED_VERSION,
    title: meta.title,
    home_page_url: meta.htmlUrl,
    feed_url: meta.selfUrl,
    description: meta.description,
    ...(doc.nextUrl ? { next_url: doc.nextUrl } : {}),
    ...(doc.language ? { language: doc.language } : {}),
    authors: [author(doc.publisher)],
    items: doc.entries.map(item),
  };
}

/** @example renderJsonFeed(doc) // '{\n  "version": "https://jsonfeed.org/version/1.1", ...' */
export function renderJsonFeed(doc: FeedDocument): string {
  return `${JSON.stringify(jsonFeed(doc), null, 2)}\n`;
}
