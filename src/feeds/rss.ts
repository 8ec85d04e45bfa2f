// RSS 2.0, with content:encoded for the full body, dc:creator for the issuing structure and atom:link for self.
import type { FeedDocument, FeedEntry, FeedTerm } from './entries.ts';
import { element, type XmlMarkup, xmlDocument } from './xml.ts';

const NAMESPACES = {
  'xmlns:atom': 'http://www.w3.org/2005/Atom',
  'xmlns:content': 'http://purl.org/rss/1.0/modules/content/',
  'xmlns:dc': 'http://purl.org/dc/elements/1.1/',
};

/** RFC 822 as RSS wants it (with a four-digit year, which every reader accepts): "Tue, 11 Sep 2007 08:00:00 GMT". */
const rfc822 = (isoDate: string) => new Date(isoDate).toUTCString();

const category = (term: FeedTerm) => element('category', { domain: term.scheme }, term.label);

function item(entry: FeedEntry): XmlMarkup {
  return element(
    'item',
    {},
    element('title', {}, entry.title),
    element('link', {}, entry.url),
    // Not the link: the link changes with the slug, and readers would show the document again as new.
    element('guid', { isPermaLink: 'false' }, entry.id),
    element('pubDate', {}, rfc822(entry.published)),
    entry.summary ? element('description', {}, entry.summary) : null,
    element('content:encoded', {}, entry.contentHtml),
    ...entry.sources.map((source) => element('dc:creator', {}, source.name)),
    [entry.kind, ...entry.fields, ...entry.countries].map(category),
  );
}

/**
 * @example renderRss(feedDocument(listing, catalog, meta, new Date())) // '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" ...'
 */
export function renderRss(doc: FeedDocument): string {
  const { meta } = doc;
  return xmlDocument(
    element(
      'rss',
      { version: '2.0', ...NAMESPACES },
      element(
        'channel',
        {},
        element('title', {}, meta.title),
        element('link', {}, meta.htmlUrl),
        element('description', {}, meta.description),
        element('atom:link', { href: meta.selfUrl, rel: 'self', type: 'application/rss+xml' }),
        doc.nextUrl ? element('atom:link', { href: doc.nextUrl, rel: 'next', type: 'application/rss+xml' }) : null,
        doc.language ? element('language', {}, doc.language) : null,
        element('lastBuildDate', {}, rfc822(doc.updated)),
        element('docs', {}, 'https://www.rssboard.org/rss-specification'),
        doc.entries.map(item),
      ),
    ),
  );
}
