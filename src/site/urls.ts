// Every public address is built here, so that links and routes cannot drift apart.
import { kindInfo } from '../documents/kinds.ts';
import type { DocumentKind } from '../store/schema.ts';

export interface DocumentAddress {
  kind: DocumentKind;
  slug: string;
  published_at: string;
}

/** `/press-releases/2007/09/osce-plays-key-role...`; pages live at the root: `/about-us`. */
export function documentPath(doc: DocumentAddress): string {
  if (doc.kind === 'page') return `/${doc.slug}`;
  return `/${kindInfo(doc.kind).path}/${doc.published_at.slice(0, 4)}/${doc.published_at.slice(5, 7)}/${doc.slug}`;
}

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

/** The same path with some query parameters replaced (undefined removes one). */
export function withQuery(
  path: string,
  query: Record<string, unknown>,
  changes: Record<string, string | undefined>,
): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (key in changes) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== '') params.append(key, String(item));
    }
  }
  for (const [key, value] of Object.entries(changes)) if (value !== undefined) params.set(key, value);
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}
