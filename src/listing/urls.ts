// Every public address is built here, so that links and routes cannot drift apart.
import { kindByPath, kindInfo } from '../documents/kinds.ts';

export { documentPath } from '../documents/permalink.ts';

import type { DocumentKind } from '../store/schema.ts';

export const fieldPath = (slug: string) => `/fields-of-work/${slug}`;
export const countryPath = (slug: string) => `/countries/${slug}`;
export const structurePath = (slug: string) => `/structures/${slug}`;
export const meetingPath = (slug: string) => `/meetings/${slug}`;
export const kindListingPath = (kind: DocumentKind) => `/${kindInfo(kind).path}`;
export const yearListingPath = (year: number) => `/documents?year=${year}`;

export const COUNTRY_GROUPS = {
  'participating-states': { role: 'participating', title: 'Participating States' },
  'asian-partners': { role: 'asian-partner', title: 'Asian Partners for Co-operation' },
  'mediterranean-partners': { role: 'mediterranean-partner', title: 'Mediterranean Partners for Co-operation' },
} as const;
export type CountryGroupSlug = keyof typeof COUNTRY_GROUPS;

export type Params = Readonly<Record<string, readonly string[]>>;

/**
 * The same path with some parameters replaced (an empty list removes one). Parameters are written
 * in a stable order so that each state of a listing has exactly one URL.
 * @example withParams('/documents', { field: ['youth'] }, { page: ['2'] }) // '/documents?field=youth&page=2'
 */
export function withParams(path: string, params: Params, changes: Params = {}): string {
  // Merged by hand: an object spread of the two cost more than the rest of the address.
  const keys = Object.keys(params);
  for (const key of Object.keys(changes)) if (!Object.hasOwn(params, key)) keys.push(key);
  let query = '';
  for (const key of keys.sort(byParameterOrder)) {
    const values = Object.hasOwn(changes, key) ? changes[key] : params[key];
    for (const value of values ?? []) query += `${query === '' ? '' : '&'}${encodePair(key, value)}`;
  }
  return query ? `${path}?${query}` : path;
}

const FORM_SAFE = /^[A-Za-z0-9*._-]*$/;
/**
 * One `name=value` as URLSearchParams writes it (application/x-www-form-urlencoded). Most are
 * letters, digits and hyphens, which it leaves as they are: building a URLSearchParams for each
 * cost microseconds, and a listing page writes dozens of links.
 */
const encodePair = (key: string, value: string) =>
  FORM_SAFE.test(key) && FORM_SAFE.test(value) ? `${key}=${value}` : new URLSearchParams([[key, value]]).toString();

/**
 * `withParams(path, { ...params, [name]: values })` for many `values`, with the rest of the
 * address encoded once: a listing's facets write hundreds of such links.
 * @example const toField = paramsTemplate('/documents', params, 'field'); toField(['youth'])
 */
export function paramsTemplate(path: string, params: Params, name: string): (values: readonly string[]) => string {
  const keys = [...new Set([...Object.keys(params), name])].sort(byParameterOrder);
  const position = keys.indexOf(name);
  const encode = (list: string[]) => list.flatMap((key) => (params[key] ?? []).map((value) => encodePair(key, value)));
  const before = encode(keys.slice(0, position));
  const after = encode(keys.slice(position + 1));
  return (values) => {
    const parts = [...before, ...values.map((value) => encodePair(name, value)), ...after];
    return parts.length > 0 ? `${path}?${parts.join('&')}` : path;
  };
}

const PARAMETER_ORDER = ['q', 'type', 'field', 'country', 'source', 'meeting', 'lang', 'year'];
function parameterRank(name: string): number {
  const base = name.replace(/^not_/, '');
  const index = PARAMETER_ORDER.indexOf(base);
  if (name === 'page') return 1000;
  return index < 0 ? 500 : index * 2 + (name.startsWith('not_') ? 1 : 0);
}

/** Ranks of the names met so far: a handful, asked for at every link. */
const ranks = new Map<string, number>();
const MAX_RANKED_NAMES = 1000;
function rankOf(name: string): number {
  let rank = ranks.get(name);
  if (rank === undefined) {
    rank = parameterRank(name);
    if (ranks.size < MAX_RANKED_NAMES) ranks.set(name, rank);
  }
  return rank;
}

/** The parameters' one stable order: the filter's dimensions first, `page` last, the rest by name. */
const byParameterOrder = (a: string, b: string) => rankOf(a) - rankOf(b) || a.localeCompare(b);

/**
 * The document address a path names, if it has the shape of one (it may still not exist).
 * @example parseDocumentPath('/press-releases/2007/09/some-slug') // { kind: 'press-release', slug: 'some-slug', ... }
 */
export function parseDocumentPath(
  path: string,
): { kind: DocumentKind; slug: string; year: string | null; month: string | null } | null {
  const dated = /^\/([a-z-]+)\/(\d{4})\/(\d{2})\/([a-z0-9]+(?:-[a-z0-9]+)*)$/.exec(path);
  if (dated) {
    const info = kindByPath(dated[1] as string);
    if (!info || info.kind === 'page') return null;
    return { kind: info.kind, slug: dated[4] as string, year: dated[2] as string, month: dated[3] as string };
  }
  const page = /^\/([a-z0-9]+(?:-[a-z0-9]+)*)$/.exec(path);
  return page ? { kind: 'page', slug: page[1] as string, year: null, month: null } : null;
}
