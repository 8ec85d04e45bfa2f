// The kinds of document, with the path segment and labels each is published under.
import type { DocumentKind } from '../store/schema.ts';

export interface KindInfo {
  readonly kind: DocumentKind;
  /** First path segment of its listing and of its documents' URLs. */
  readonly path: string;
  readonly singular: string;
  readonly plural: string;
}

export const KINDS: readonly KindInfo[] = [
  { kind: 'press-release', path: 'press-releases', singular: 'Press release', plural: 'Press releases' },
  { kind: 'news', path: 'news', singular: 'News', plural: 'News' },
  { kind: 'statement', path: 'statements', singular: 'Statement', plural: 'Statements and speeches' },
  { kind: 'event', path: 'events', singular: 'Event', plural: 'Events' },
  { kind: 'publication', path: 'publications', singular: 'Publication', plural: 'Publications' },
  { kind: 'page', path: 'pages', singular: 'Page', plural: 'Pages' },
];

const byKind = new Map(KINDS.map((info) => [info.kind, info]));
const byPath = new Map(KINDS.map((info) => [info.path, info]));

export function kindInfo(kind: DocumentKind): KindInfo {
  const info = byKind.get(kind);
  if (!info) throw new Error(`Unknown document kind ${kind}`);
  return info;
}

export const kindByPath = (path: string): KindInfo | undefined => byPath.get(path);
export const isDocumentKind = (value: string): value is DocumentKind => byKind.has(value as DocumentKind);

/** Kinds that have their own listing page and dated URLs (pages live at the site root). */
export const LISTED_KINDS = KINDS.filter((info) => info.kind !== 'page');
