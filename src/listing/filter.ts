// The one Filter: parsed once from a query string, validated, then run by the listing query.
// Several values of one parameter combine with OR, different parameters with AND, and every
// parameter can be negated with a not_ prefix (not_country=austria: everything except).

import { isDocumentKind } from '../documents/kinds.ts';
import { InvalidParameterError } from '../errors.ts';
import { MAX_QUERY_LENGTH, parseSearchQuery, type SearchQuery } from '../search/query.ts';
import type { DocumentKind } from '../store/schema.ts';
import type { Catalog } from '../taxonomy/catalog.ts';

export type SortOrder = 'relevance' | 'newest' | 'oldest';

/** The parameters that select documents, each also available as not_<name>. */
export const DIMENSIONS = ['type', 'field', 'country', 'source', 'meeting', 'lang', 'year'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** Values chosen for one dimension: database ids, kinds, language codes or years. */
export interface Choice<T> {
  readonly include: readonly T[];
  readonly exclude: readonly T[];
}

export interface DimensionValues {
  type: DocumentKind;
  field: number;
  country: number;
  /** Each chosen structure together with every structure under it. */
  source: number;
  meeting: number;
  lang: string;
  year: number;
}

export type Choices = { readonly [D in Dimension]: Choice<DimensionValues[D]> };
export type Scope = { readonly [D in Dimension]?: readonly DimensionValues[D][] };

/**
 * What a filter selects, as a string: its scope, its choices, its dates and its search (not its
 * page or order). Two filters with the same key match the same documents. Built by hand: the
 * count cache and the index ask for it at every listing, and JSON.stringify of the nested
 * choices cost several microseconds under load.
 * @example constraintKey(parseFilter({ field: 'youth' }, catalog)) // '||c:field=12/'
 */
export function constraintKey(filter: Pick<Filter, 'scope' | 'choices' | 'from' | 'to' | 'search'>): string {
  // A search's text is last and may hold anything: nothing after it can be confused with it.
  let key = `${filter.from ?? ''}|${filter.to ?? ''}`;
  for (const dimension in filter.scope) key += `|s:${dimension}=${filter.scope[dimension as Dimension]?.join(',')}`;
  for (const dimension in filter.choices) {
    const choice = filter.choices[dimension as Dimension];
    if (choice.include.length > 0 || choice.exclude.length > 0)
      key += `|c:${dimension}=${choice.include.join(',')}/${choice.exclude.join(',')}`;
  }
  return filter.search ? `${key}|q:${filter.search.text}` : key;
}

/** Position after the last document of a page, for cursor pagination (newest/oldest only). */
export interface Cursor {
  readonly datedAt: string;
  readonly id: number;
}

export interface Filter {
  readonly search: SearchQuery | null;
  readonly choices: Choices;
  /** Constraints of the page itself (a field-of-work page always shows its field). */
  readonly scope: Scope;
  /** Inclusive bounds, ISO dates (YYYY-MM-DD). */
  readonly from: string | null;
  readonly to: string | null;
  readonly sort: SortOrder;
  readonly page: number;
  readonly pageSize: number;
  readonly after: Cursor | null;
  /** The reader's parameters, normalised: what links to this state (and its variants) carry. */
  readonly params: Readonly<Record<string, readonly string[]>>;
}

export const PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
const MAX_PAGE = 100_000;
const MAX_VALUES = 50;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// Control characters (NUL, escapes) mean nothing in a search and would end up in the page.
// biome-ignore lint/suspicious/noControlCharactersInRegex: they are what it removes.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

const NO_CHOICE = { include: [], exclude: [] };
export const EMPTY_CHOICES: Choices = {
  type: NO_CHOICE,
  field: NO_CHOICE,
  country: NO_CHOICE,
  source: NO_CHOICE,
  meeting: NO_CHOICE,
  lang: NO_CHOICE,
  year: NO_CHOICE,
};

export const EMPTY_FILTER: Filter = {
  search: null,
  choices: EMPTY_CHOICES,
  scope: {},
  from: null,
  to: null,
  sort: 'newest',
  page: 1,
  pageSize: PAGE_SIZE,
  after: null,
  params: {},
};

/** Every parameter a listing understands, in the order links write them. */
export const FILTER_PARAMETERS = [
  'q',
  ...DIMENSIONS,
  ...DIMENSIONS.map((d) => `not_${d}`),
  'from',
  'to',
  'sort',
  'page',
  'page_size',
  'cursor',
] as const;

type RawQuery = Record<string, unknown>;

/** Every value of a parameter: repeated keys and comma-separated lists both work. */
function valuesOf(query: RawQuery, name: string): string[] {
  const raw = query[name];
  if (raw === undefined) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  const values = list
    .flatMap((item) => String(item).split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '');
  if (values.length > MAX_VALUES) {
    throw new InvalidParameterError(name, `Parameter "${name}" takes at most ${MAX_VALUES} values`);
  }
  return [...new Set(values)];
}

function singleValue(query: RawQuery, name: string): string | undefined {
  const raw = query[name];
  const list = raw === undefined ? [] : (Array.isArray(raw) ? raw : [raw]).map(String);
  if (list.length > 1) throw new InvalidParameterError(name, `Parameter "${name}" takes one value, not ${list.length}`);
  const value = list[0]?.trim();
  return value === '' ? undefined : value;
}

const quote = (value: string) => `"${value.slice(0, 80)}"`;

type Resolver<T> = (value: string, name: string) => T[];

function resolver<T extends { id: number }>(noun: string, lookup: (slug: string) => T | undefined): Resolver<number> {
  return (slug, name) => {
    const term = SLUG.test(slug) ? lookup(slug) : undefined;
    if (!term) throw new InvalidParameterError(name, `Parameter "${name}": ${quote(slug)} is not a known ${noun}`);
    return [term.id];
  };
}

function resolvers(catalog: Catalog): { [D in Dimension]: Resolver<DimensionValues[D]> } {
  return {
    type: (kind, name) => {
      if (!isDocumentKind(kind))
        throw new InvalidParameterError(name, `Parameter "${name}": ${quote(kind)} is not a document type`);
      return [kind];
    },
    field: resolver('field of work', catalog.fieldBySlug),
    country: resolver('country', catalog.countryBySlug),
    source: (slug, name) => {
      const node = SLUG.test(slug) ? catalog.structureBySlug(slug) : undefined;
      if (!node) throw new InvalidParameterError(name, `Parameter "${name}": ${quote(slug)} is not a known structure`);
      const ids: number[] = [];
      const walk = (n: typeof node) => {
        ids.push(n.id);
        n.children.forEach(walk);
      };
      walk(node);
      return ids;
    },
    meeting: resolver('meeting series', catalog.meetingBySlug),
    lang: (lang, name) => {
      if (!/^[a-z]{2,3}$/.test(lang)) {
        throw new InvalidParameterError(
          name,
          `Parameter "${name}": ${quote(lang)} is not a language code such as en or ru`,
        );
      }
      return [lang];
    },
    year: (year, name) => {
      if (!/^\d{4}$/.test(year)) {
        throw new InvalidParameterError(
          name,
          `Parameter "${name}" must be a four-digit year such as 2007, not ${quote(year)}`,
        );
      }
      return [Number(year)];
    },
  };
}

function parseIsoDate(query: RawQuery, name: string): string | null {
  const value = singleValue(query, name);
  if (value === undefined) return null;
  const date = ISO_DATE.test(value) ? new Date(`${value}T00:00:00Z`) : null;
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new InvalidParameterError(name, `Parameter "${name}" must be a date written YYYY-MM-DD, such as 2007-09-11`);
  }
  return value;
}

function parseWholeNumber(query: RawQuery, name: string, fallback: number, max: number): number {
  const text = singleValue(query, name);
  if (text === undefined) return fallback;
  if (!/^\d{1,7}$/.test(text) || Number(text) < 1 || Number(text) > max) {
    throw new InvalidParameterError(
      name,
      `Parameter "${name}" must be a whole number from 1 to ${max}, not ${quote(text)}`,
    );
  }
  return Number(text);
}

/** Cursors are opaque to readers: base64url of the last item's date and id. */
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.datedAt, cursor.id])).toString('base64url');
}

function decodeCursor(text: string): Cursor {
  try {
    const [datedAt, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (typeof datedAt === 'string' && !Number.isNaN(Date.parse(datedAt)) && Number.isInteger(id)) {
      return { datedAt, id: id as number };
    }
  } catch {
    // Falls through to the error below.
  }
  throw new InvalidParameterError('cursor', 'Parameter "cursor" is not a cursor this site gave out');
}

/**
 * Parses and validates a listing's query string; throws InvalidParameterError naming the parameter.
 * @example parseFilter({ field: 'human-rights', not_country: 'austria', page: '2' }, catalog)
 */
export function parseFilter(query: RawQuery, catalog: Catalog, scope: Scope = {}): Filter {
  const params: Record<string, string[]> = {};
  const remember = (name: string, values: string[]) => {
    if (values.length > 0) params[name] = values;
  };

  const qText = singleValue(query, 'q')?.replace(CONTROL_CHARACTERS, ' ').trim() || undefined;
  if (qText !== undefined && qText.length > MAX_QUERY_LENGTH) {
    throw new InvalidParameterError('q', `Parameter "q" is too long: at most ${MAX_QUERY_LENGTH} characters`);
  }
  const search = qText === undefined ? null : parseSearchQuery(qText);
  if (qText !== undefined) remember('q', [qText]);

  const resolve = resolvers(catalog);
  const choice = <D extends Dimension>(dimension: D): Choice<DimensionValues[D]> => {
    const include = valuesOf(query, dimension);
    const exclude = valuesOf(query, `not_${dimension}`);
    remember(dimension, include);
    remember(`not_${dimension}`, exclude);
    return {
      include: include.flatMap((value) => resolve[dimension](value, dimension)),
      exclude: exclude.flatMap((value) => resolve[dimension](value, `not_${dimension}`)),
    };
  };
  const choices: Choices = {
    type: choice('type'),
    field: choice('field'),
    country: choice('country'),
    source: choice('source'),
    meeting: choice('meeting'),
    lang: choice('lang'),
    year: choice('year'),
  };

  const from = parseIsoDate(query, 'from');
  const to = parseIsoDate(query, 'to');
  if (from && to && from > to) throw new InvalidParameterError('from', 'Parameter "from" must not be after "to"');
  if (from) remember('from', [from]);
  if (to) remember('to', [to]);

  const sortText = singleValue(query, 'sort');
  if (sortText !== undefined && sortText !== 'relevance' && sortText !== 'newest' && sortText !== 'oldest') {
    throw new InvalidParameterError('sort', 'Parameter "sort" must be "relevance", "newest" or "oldest"');
  }
  if (sortText) remember('sort', [sortText]);
  const sort: SortOrder = sortText ?? (search && search.required.length > 0 ? 'relevance' : 'newest');

  const page = parseWholeNumber(query, 'page', 1, MAX_PAGE);
  if (page > 1) remember('page', [String(page)]);
  const pageSize = parseWholeNumber(query, 'page_size', PAGE_SIZE, MAX_PAGE_SIZE);
  if (pageSize !== PAGE_SIZE) remember('page_size', [String(pageSize)]);
  const cursorText = singleValue(query, 'cursor');
  const after = cursorText === undefined ? null : decodeCursor(cursorText);
  if (cursorText !== undefined) remember('cursor', [cursorText]);
  if (after && sort === 'relevance') {
    throw new InvalidParameterError('cursor', 'Parameter "cursor" works with sort=newest or sort=oldest only');
  }
  if (after && page !== 1) throw new InvalidParameterError('cursor', 'Use either "cursor" or "page", not both');

  return { search, choices, scope, from, to, sort, page, pageSize, after, params };
}

/** The same filter without one dimension's choices: what a disjunctive facet counts. */
export function withoutDimension(filter: Filter, dimension: Dimension): Filter {
  return { ...filter, choices: { ...filter.choices, [dimension]: NO_CHOICE } };
}

/**
 * The newest documents of some kinds, or with any of some fields of work (never pages), as a
 * filter any listing engine runs.
 * @example newestFilter({ kinds: ['news'] }, 3)
 */
export function newestFilter(
  { kinds = [], fieldIds = [] }: { kinds?: readonly DocumentKind[]; fieldIds?: readonly number[] },
  limit: number,
): Filter {
  return {
    ...EMPTY_FILTER,
    choices: {
      ...EMPTY_CHOICES,
      type: kinds.length > 0 ? { include: kinds, exclude: [] } : { include: [], exclude: ['page'] },
      field: { include: fieldIds, exclude: [] },
    },
    pageSize: limit,
  };
}
