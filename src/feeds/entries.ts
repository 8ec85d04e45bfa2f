// Turns a Listing into format-neutral feed entries: identities, absolute links, dates, terms and sources.

import { kindInfo } from '../documents/kinds.ts';
import { encodeCursor } from '../listing/filter.ts';
import type { FeedMeta } from '../listing/formats.ts';
import type { Listing, ListingItem } from '../listing/listing.ts';
import { countryPath, documentPath, fieldPath, structurePath } from '../listing/urls.ts';
import type { Catalog } from '../taxonomy/catalog.ts';
import { ORGANISATION_NAME, sourceLabel } from '../taxonomy/organisation.ts';
import { absoluteLinks } from './absolute-links.ts';
import { stripNonXmlChars } from './xml.ts';

/**
 * The date part of every tag URI we mint. It names when the scheme was set up, not when a document was
 * written, and must never change: changing it would change every GUID and make readers show everything again.
 */
const TAG_DATE = '2026';

/** A value of one taxonomy: `scheme` + `term` is the URL of its page on the site. */
export interface FeedTerm {
  /** Human name: "Human rights", "Press release". */
  readonly label: string;
  /** Machine name: the slug or the kind. */
  readonly term: string;
  /** Absolute URL prefix naming the taxonomy. */
  readonly scheme: string;
  readonly url: string;
}

export interface FeedPerson {
  readonly name: string;
  readonly url: string;
}

export interface FeedEntry {
  readonly documentId: number;
  /** Tag URI: survives changes of title, slug and host port. */
  readonly id: string;
  /** Absolute URL of the document's page. */
  readonly url: string;
  readonly title: string;
  /** Plain text, possibly empty. */
  readonly summary: string;
  /** Sanitised HTML with absolute links. */
  readonly contentHtml: string;
  readonly language: string;
  /** ISO 8601 in UTC. */
  readonly published: string;
  /** ISO 8601 in UTC, never before `published`. */
  readonly updated: string;
  readonly place: string | null;
  readonly kind: FeedTerm;
  /** The issuing structure, when the document names one. */
  /** The issuing structures, the lead first (none: the organisation's `publisher` stands in). */
  readonly sources: readonly FeedPerson[];
  readonly fields: readonly FeedTerm[];
  readonly countries: readonly FeedTerm[];
  readonly isDemo: boolean;
}

export interface FeedDocument {
  readonly meta: FeedMeta;
  /** Tag URI of the listing, the same for every format of it. */
  readonly id: string;
  /** Newest entry's `updated`, or the time of rendering for an empty listing. */
  readonly updated: string;
  /** Set only when every entry shares one language. */
  readonly language: string | null;
  /** Stands in for entries that name no source (Atom requires an author for each). */
  readonly publisher: FeedPerson;
  readonly entries: readonly FeedEntry[];
  /** Absolute URL of the next page of this feed, if there is one. */
  readonly nextUrl: string | null;
}

/**
 * A tag URI (RFC 4151) under the site's host name; ports are left out, as the syntax has no room for them.
 * @example tagUri('https://example.org:8443', 'document:123') // 'tag:example.org,2026:document:123'
 */
export function tagUri(baseUrl: string, specific: string): string {
  return `tag:${new URL(baseUrl).hostname},${TAG_DATE}:${specific}`;
}

const later = (a: string, b: string) => (a > b ? a : b);
const iso = (value: string) => new Date(value).toISOString();

function term(baseUrl: string, taxonomyPath: string, slug: string, label: string): FeedTerm {
  const scheme = `${baseUrl}${taxonomyPath}`;
  return { label, term: slug, scheme, url: `${scheme}${slug}` };
}

function entryOf(item: ListingItem, catalog: Catalog, baseUrl: string): FeedEntry {
  const content = item.content;
  if (!content) throw new Error('Feeds need the listing run with { content: true }');
  const url = `${baseUrl}${documentPath(item)}`;
  const published = iso(item.dated_at);
  const fieldRoot = fieldPath('');
  const countryRoot = countryPath('');
  return {
    documentId: item.id,
    id: tagUri(baseUrl, `document:${item.id}`),
    url,
    title: stripNonXmlChars(item.title),
    summary: stripNonXmlChars(item.summary),
    contentHtml: stripNonXmlChars(absoluteLinks(content.body_html, url)),
    language: item.language,
    published,
    // A scheduled document can be edited before it goes out; readers expect updated >= published.
    updated: later(iso(item.updated_at), published),
    place: item.place === null ? null : stripNonXmlChars(item.place),
    kind: term(baseUrl, '/documents?type=', item.kind, kindInfo(item.kind).singular),
    sources: item.sourceIds.flatMap((id) => {
      const node = catalog.structureById(id);
      return node ? [{ name: sourceLabel(node), url: `${baseUrl}${structurePath(node.slug)}` }] : [];
    }),
    fields: content.fieldIds.flatMap((id) => {
      const field = catalog.fieldById(id);
      return field ? [term(baseUrl, fieldRoot, field.slug, field.name)] : [];
    }),
    countries: content.countryIds.flatMap((id) => {
      const country = catalog.countryById(id);
      return country ? [term(baseUrl, countryRoot, country.slug, country.name)] : [];
    }),
    isDemo: item.is_demo !== 0,
  };
}

function nextUrl(listing: Listing, selfUrl: string): string | null {
  if (!listing.next) return null;
  const url = new URL(selfUrl);
  url.searchParams.delete('page');
  url.searchParams.set('cursor', encodeCursor(listing.next));
  return url.href;
}

/**
 * Everything the four formats share, worked out once.
 * @example const doc = feedDocument(listing, catalog, meta, new Date()); doc.entries[0]?.id // 'tag:example.org,2026:document:123'
 */
export function feedDocument(listing: Listing, catalog: Catalog, meta: FeedMeta, now: Date): FeedDocument {
  const entries = listing.items.map((item) => entryOf(item, catalog, meta.baseUrl));
  const languages = new Set(entries.map((entry) => entry.language));
  const page = new URL(meta.htmlUrl);
  return {
    meta,
    id: tagUri(meta.baseUrl, `listing:${page.pathname}${page.search}`),
    updated: entries.reduce((newest, entry) => later(entry.updated, newest), '') || now.toISOString(),
    language: languages.size === 1 ? ([...languages][0] ?? null) : null,
    publisher: { name: ORGANISATION_NAME, url: `${meta.baseUrl}/` },
    entries,
    nextUrl: nextUrl(listing, meta.selfUrl),
  };
}
