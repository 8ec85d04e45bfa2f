// Who may see a document, written once: it is published and its embargo (publish_at), if any,
// has passed. Pages, search, facets, feeds, the API and the sitemap all read it from here; the
// bitmap index holds the same rule in memory (published set minus embargoes not yet passed), and
// the listing engines' contract suite keeps the two equal.
import type { DocumentsQuery } from '../store/documents-query.ts';

/** Keeps the rows readers may see at `now` (ISO 8601, UTC). */
export function whereVisible<O>(query: DocumentsQuery<O>, now: string): DocumentsQuery<O> {
  return query
    .where('d.status', '=', 'published')
    .where((eb) => eb.or([eb('d.publish_at', 'is', null), eb('d.publish_at', '<=', now)]));
}

/**
 * The same rule for a document already read (a record held in memory), at `now` (ISO 8601, UTC).
 * @example isVisibleAt({ status: 'published', publish_at: '2030-01-01T00:00:00.000Z' }, '2029-12-31T23:59:59.999Z') // false
 */
export function isVisibleAt(doc: { status: string; publish_at: string | null }, now: string): boolean {
  // ISO timestamps in one form compare as text, as the SQL rule compares them.
  return doc.status === 'published' && (doc.publish_at === null || doc.publish_at <= now);
}

/**
 * When a document last changed for a reader: an embargoed document appears when its time comes,
 * which may be after its last save.
 * @example documentLastmod({ published_at: '2030-01-01T00:00:00.000Z', updated_at: '2029-12-01T00:00:00.000Z' }) // the 2030 one
 */
export function documentLastmod(doc: { published_at: string | null; updated_at: string }): string {
  // ISO timestamps compare as text (Math.max would turn them into NaN).
  if (doc.published_at === null || doc.updated_at > doc.published_at) return doc.updated_at;
  return doc.published_at;
}
