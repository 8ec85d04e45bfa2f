// Documents and listings as the public JSON (the API, and every listing's .json suffix).

import { KINDS } from '../documents/kinds.ts';
import type { DocumentSummary } from '../documents/reader.ts';
import { InvalidParameterError } from '../errors.ts';
import type { Catalog } from '../taxonomy/catalog.ts';
import type { FacetCounts } from './engine.ts';
import { encodeCursor } from './filter.ts';
import type { Listing, ListingItem } from './listing.ts';
import { countryPath, documentPath, fieldPath, meetingPath, structurePath } from './urls.ts';

export interface TermJson {
  slug: string;
  name: string;
  url: string;
}

export interface DocumentJson {
  id: number;
  kind: string;
  language: string;
  title: string;
  slug: string;
  path: string;
  url: string;
  summary: string;
  date: string;
  published_at: string | null;
  updated_at: string;
  ends_at: string | null;
  time_zone: string | null;
  place: string | null;
  is_demo: boolean;
  sources: TermJson[];
  meeting?: TermJson | null;
  fields?: TermJson[];
  countries?: TermJson[];
  body_html?: string;
  revision?: number;
  snippet_html?: string | null;
}

export interface FacetValueJson {
  value: string;
  label: string;
  count: number;
}

export interface ListingJson {
  total: number;
  page: number;
  page_size: number;
  page_count: number;
  next_cursor: string | null;
  /** A search that found nothing, with its unknown words corrected ("Did you mean"). */
  suggestion?: string;
  items: Partial<DocumentJson>[];
  facets?: Record<string, FacetValueJson[]>;
}

type DocumentLike = Omit<DocumentSummary, 'updated_at'> & { updated_at: string };

interface Details {
  body_html: string;
  meeting_series_id: number | null;
  revision: number;
  fieldIds: readonly number[];
  countryIds: readonly number[];
}

/** One document as JSON; terms and body only when they were loaded. */
export function documentJson(
  doc: DocumentLike,
  details: Details | undefined,
  catalog: Catalog,
  baseUrl: string,
): DocumentJson {
  const path = documentPath(doc);
  const json: DocumentJson = {
    id: doc.id,
    kind: doc.kind,
    language: doc.language,
    title: doc.title,
    slug: doc.slug,
    path,
    url: `${baseUrl}${path}`,
    summary: doc.summary,
    date: doc.dated_at,
    published_at: doc.published_at,
    updated_at: doc.updated_at,
    ends_at: doc.ends_at,
    time_zone: doc.time_zone,
    place: doc.place,
    is_demo: doc.is_demo === 1,
    sources: doc.sourceIds.flatMap((id) => {
      const source = catalog.structureById(id);
      return source ? [{ slug: source.slug, name: source.name, url: `${baseUrl}${structurePath(source.slug)}` }] : [];
    }),
  };
  if (details) {
    const meeting = details.meeting_series_id === null ? undefined : catalog.meetingById(details.meeting_series_id);
    json.meeting = meeting
      ? { slug: meeting.slug, name: meeting.name, url: `${baseUrl}${meetingPath(meeting.slug)}` }
      : null;
    json.fields = details.fieldIds.flatMap((id) => {
      const field = catalog.fieldById(id);
      return field ? [{ slug: field.slug, name: field.name, url: `${baseUrl}${fieldPath(field.slug)}` }] : [];
    });
    json.countries = details.countryIds.flatMap((id) => {
      const country = catalog.countryById(id);
      return country ? [{ slug: country.slug, name: country.name, url: `${baseUrl}${countryPath(country.slug)}` }] : [];
    });
    json.body_html = details.body_html;
    json.revision = details.revision;
  }
  return json;
}

function facetsJson(facets: FacetCounts, catalog: Catalog): Record<string, FacetValueJson[]> {
  const byCount = (values: FacetValueJson[]) => values.filter((v) => v.count > 0).sort((a, b) => b.count - a.count);
  return {
    type: byCount(KINDS.map((k) => ({ value: k.kind, label: k.singular, count: facets.type.get(k.kind) ?? 0 }))),
    field: byCount(catalog.fields.map((f) => ({ value: f.slug, label: f.name, count: facets.field.get(f.id) ?? 0 }))),
    country: byCount(
      catalog.countries.map((c) => ({ value: c.slug, label: c.name, count: facets.country.get(c.id) ?? 0 })),
    ),
    source: byCount(
      catalog.structures.map((s) => ({ value: s.slug, label: s.name, count: facets.source.get(s.id) ?? 0 })),
    ),
    year: [...facets.year]
      .sort((a, b) => b[0] - a[0])
      .map(([year, count]) => ({ value: String(year), label: String(year), count })),
  };
}

/**
 * A listing as JSON; `fields` keeps only the named document properties.
 * @example listingJson(listing, catalog, 'https://www.example.org', ['id', 'title'])
 */
export function listingJson(
  listing: Listing,
  catalog: Catalog,
  baseUrl: string,
  fields: readonly string[] | null = null,
): ListingJson {
  const pick = (item: ListingItem): Partial<DocumentJson> => {
    const full: DocumentJson = { ...documentJson(item, item.content, catalog, baseUrl), snippet_html: item.snippet };
    if (!fields) return full;
    return Object.fromEntries(fields.filter((f) => f in full).map((f) => [f, full[f as keyof DocumentJson]]));
  };
  return {
    total: listing.total,
    page: listing.filter.after ? 1 : listing.filter.page,
    page_size: listing.filter.pageSize,
    page_count: listing.pageCount,
    next_cursor: listing.next ? encodeCursor(listing.next) : null,
    ...(listing.suggestion ? { suggestion: listing.suggestion } : {}),
    items: listing.items.map(pick),
    ...(listing.facets ? { facets: facetsJson(listing.facets, catalog) } : {}),
  };
}

const DOCUMENT_PROPERTIES = new Set([
  'id',
  'kind',
  'language',
  'title',
  'slug',
  'path',
  'url',
  'summary',
  'date',
  'published_at',
  'updated_at',
  'ends_at',
  'time_zone',
  'place',
  'is_demo',
  'sources',
  'meeting',
  'fields',
  'countries',
  'body_html',
  'revision',
  'snippet_html',
]);

export interface JsonOptions {
  facets: boolean;
  fields: string[] | null;
}

/**
 * The JSON rendering's own parameters: `facets=true`, `fields=id,title,url`.
 * @throws InvalidParameterError naming `facets` or `fields`.
 */
/** Whether a JSON rendering with these `fields` shows the items' snippets. */
export const showsSnippets = (fields: readonly string[] | null): boolean =>
  fields === null || fields.includes('snippet_html');

export function parseJsonOptions(query: Record<string, unknown>): JsonOptions {
  const one = (name: string): string | undefined => {
    const value = query[name];
    if (value === undefined) return undefined;
    if (Array.isArray(value) || typeof value !== 'string') {
      throw new InvalidParameterError(name, `Parameter "${name}" takes one value`);
    }
    return value;
  };
  const facetsText = one('facets');
  if (facetsText !== undefined && !['true', 'false', '1', '0'].includes(facetsText)) {
    throw new InvalidParameterError('facets', 'Parameter "facets" must be true or false');
  }
  const fieldsText = one('fields');
  const fields =
    fieldsText === undefined
      ? null
      : fieldsText
          .split(',')
          .map((f) => f.trim())
          .filter(Boolean);
  const unknown = fields?.find((field) => !DOCUMENT_PROPERTIES.has(field));
  if (unknown !== undefined) {
    throw new InvalidParameterError(
      'fields',
      `Parameter "fields": "${unknown.slice(0, 40)}" is not a document property`,
    );
  }
  return { facets: facetsText === 'true' || facetsText === '1', fields };
}
