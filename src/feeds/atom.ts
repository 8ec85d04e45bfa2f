// Atom 1.0 (RFC 4287): text titles and summaries, the full body as HTML content, the source as author.
import type { FeedDocument, FeedEntry, FeedPerson, FeedTerm } from './entries.ts';
import { element, type XmlMarkup, xmlDocument } from './xml.ts';

const person = (tag: 'author', who: FeedPerson) =>
  element(tag, {}, element('name', {}, who.name), element('uri', {}, who.url));

const category = (term: FeedTerm) => element('category', { term: term.term, scheme: term.scheme, label: term.label });

function entry(item: FeedEntry): XmlMarkup {
  return element(
    'entry',
    { 'xml:lang': item.language },
    element('id', {}, item.id),
    // type="text": our titles are plain text, and a title like "<b>" must show as written, not as markup.
    element('title', { type: 'text' }, item.title),
    element('link', { rel: 'alternate', type: 'text/html', href: item.url }),
    element('published', {}, item.published),
    element('updated', {}, item.updated),
    ...item.sources.map((source) => person('author', source)),
    [item.kind, ...item.fields, ...item.countries].map(category),
    item.summary ? element('summary', { type: 'text' }, item.summary) : null,
    element('content', { type: 'html' }, item.contentHtml),
  );
}

/**
 * @example renderAtom(feedDocument(listing, catalog, meta, new Date())) // '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns=...'
 */
export function renderAtom(doc: FeedDocument): string {
  const { meta } = doc;
  return xmlDocument(
    element(
      'feed',
      { xmlns: 'http://www.w3.org/2005/Atom', 'xml:lang': doc.language },
      element('id', {}, doc.id),
      element('title', { type: 'text' }, meta.title),
      element('subtitle', { type: 'text' }, meta.description),
      element('updated', {}, doc.updated),
      element('link', { rel: 'self', type: 'application/atom+xml', href: meta.selfUrl }),
      element('link', { rel: 'alternate', type: 'text/html', href: meta.htmlUrl }),
      doc.nextUrl ? element('link', { rel: 'next', type: 'application/atom+xml', href: doc.nextUrl }) : null,
      // Entries without a source inherit this one; RFC 4287 requires an author for every entry.
      person('author', doc.publisher),
      doc.entries.map(entry),
    ),
  );
}
