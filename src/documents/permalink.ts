// A document's public address: `/press-releases/2007/09/osce-plays-key-role...`, pages at the
// root (`/about-us`), other languages under their code (`/ru/...`). It comes from the document's
// own date, and once the document is published it is stored and never changes.
import type { DocumentKind } from '../store/schema.ts';
import { kindInfo } from './kinds.ts';

export interface DocumentAddress {
  kind: DocumentKind;
  slug: string;
  language: string;
  dated_at: string;
}

/** The address a document gets when it is first published. */
export function permalinkOf(doc: DocumentAddress): string {
  const prefix = doc.language === 'en' ? '' : `/${doc.language}`;
  if (doc.kind === 'page') return `${prefix}/${doc.slug}`;
  return `${prefix}/${kindInfo(doc.kind).path}/${doc.dated_at.slice(0, 4)}/${doc.dated_at.slice(5, 7)}/${doc.slug}`;
}

/** Its address: the stored one once published, else the one it would get (previews). */
export function documentPath(doc: DocumentAddress & { permalink: string | null }): string {
  return doc.permalink ?? permalinkOf(doc);
}
