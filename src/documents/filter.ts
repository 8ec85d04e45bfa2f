// The one Filter: parsed once from a query string, validated, then run by the listing query.
import { InvalidParameterError } from '../errors.ts';
import type { DocumentKind } from '../store/schema.ts';
import type { Catalog } from '../taxonomy/catalog.ts';
import { isDocumentKind } from './kinds.ts';

export type SortOrder = 'newest' | 'oldest';

export interface Filter {
  readonly kinds: readonly DocumentKind[];
  readonly fieldIds: readonly number[];
  readonly countryIds: readonly number[];
  /** Structures whose documents match, each with all the structures under it. */
  readonly sourceIds: readonly number[];
  readonly meetingIds: readonly number[];
  readonly languages: readonly string[];
  readonly year: number | null;
  /** Inclusive lower bound, ISO date (YYYY-MM-DD). */
  readonly from: string | null;
  /** Inclusive upper bound, ISO date (YYYY-MM-DD). */
  readonly to: string | null;
  readonly sort: SortOrder;
  readonly page: number;
  readonly pageSize: number;
}

export const PAGE_SIZE = 20;
const MAX_PAGE = 100_000;
const MAX_VALUES = 50;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const EMPTY_FILTER: Filter = {
  kinds: [],
  fieldIds: [],
  countryIds: [],
  sourceIds: [],
  meetingIds: [],
  languages: [],
  year: null,
  from: null,
  to: null,
  sort: 'newest',
  page: 1,
  pageSize: PAGE_SIZE,
};

export const FILTER_PARAMETERS = [
  'type',
  'field',
  'country',
  'source',
  'meeting',
  'lang',
  'year',
  'from',
  'to',
  'sort',
  'page',
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
  const values = valuesOf(query, name);
  if (values.length > 1)
    throw new InvalidParameterError(name, `Parameter "${name}" takes one value, not ${values.length}`);
  return values[0];
}

function resolveSlugs<T extends { id: number }>(
  query: RawQuery,
  name: string,
  noun: string,
  lookup: (slug: string) => T | undefined,
): T[] {
  return valuesOf(query, name).map((slug) => {
    const term = SLUG.test(slug) ? lookup(slug) : undefined;
    if (!term)
      throw new InvalidParameterError(name, `Parameter "${name}": "${slug.slice(0, 80)}" is not a known ${noun}`);
    return term;
  });
}

function parseIsoDate(query: RawQuery, name: string): string | null {
  const value = singleValue(query, name);
  if (value === undefined) return null;
  const match = ISO_DATE.exec(value);
  const date = match ? new Date(`${value}T00:00:00Z`) : null;
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new InvalidParameterError(name, `Parameter "${name}" must be a date written YYYY-MM-DD, such as 2007-09-11`);
  }
  return value;
}

/**
 * Parses and validates a listing's query string. `base` supplies the constraints of the page
 * itself (a field-of-work page always filters by its field).
 * @example parseFilter({ field: 'human-rights', page: '2' }, catalog)
 */
export function parseFilter(query: RawQuery, catalog: Catalog, base: Partial<Filter> = {}): Filter {
  const kinds = valuesOf(query, 'type').map((kind) => {
    if (!isDocumentKind(kind)) {
      throw new InvalidParameterError('type', `Parameter "type": "${kind.slice(0, 80)}" is not a document type`);
    }
    return kind;
  });

  const sources = resolveSlugs(query, 'source', 'structure', catalog.structureBySlug);
  const sourceIds = new Set<number>();
  const addSubtree = (node: (typeof sources)[number]) => {
    sourceIds.add(node.id);
    node.children.forEach(addSubtree);
  };
  sources.forEach(addSubtree);

  const languages = valuesOf(query, 'lang').map((lang) => {
    if (!/^[a-z]{2,3}$/.test(lang)) {
      throw new InvalidParameterError(
        'lang',
        `Parameter "lang": "${lang.slice(0, 80)}" is not a language code such as en or ru`,
      );
    }
    return lang;
  });

  const yearText = singleValue(query, 'year');
  let year: number | null = null;
  if (yearText !== undefined) {
    if (!/^\d{4}$/.test(yearText)) {
      throw new InvalidParameterError(
        'year',
        `Parameter "year" must be a four-digit year such as 2007, not "${yearText.slice(0, 80)}"`,
      );
    }
    year = Number(yearText);
  }

  const from = parseIsoDate(query, 'from');
  const to = parseIsoDate(query, 'to');
  if (from && to && from > to) throw new InvalidParameterError('from', 'Parameter "from" must not be after "to"');

  const sortText = singleValue(query, 'sort') ?? 'newest';
  if (sortText !== 'newest' && sortText !== 'oldest') {
    throw new InvalidParameterError('sort', 'Parameter "sort" must be "newest" or "oldest"');
  }

  const pageText = singleValue(query, 'page') ?? '1';
  if (!/^\d{1,6}$/.test(pageText) || Number(pageText) < 1 || Number(pageText) > MAX_PAGE) {
    throw new InvalidParameterError(
      'page',
      `Parameter "page" must be a whole number from 1 to ${MAX_PAGE}, not "${pageText.slice(0, 80)}"`,
    );
  }

  return {
    ...EMPTY_FILTER,
    kinds,
    fieldIds: resolveSlugs(query, 'field', 'field of work', catalog.fieldBySlug).map((f) => f.id),
    countryIds: resolveSlugs(query, 'country', 'country', catalog.countryBySlug).map((c) => c.id),
    sourceIds: [...sourceIds],
    meetingIds: resolveSlugs(query, 'meeting', 'meeting series', catalog.meetingBySlug).map((m) => m.id),
    languages,
    year,
    from,
    to,
    sort: sortText,
    page: Number(pageText),
    ...base,
  };
}
