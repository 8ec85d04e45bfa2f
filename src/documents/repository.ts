// Reading one document and writing documents: every save is a revision, stale saves are refused.
import { SlugTakenError, StaleRevisionError } from '../errors.ts';
import { type DocumentSummary, SUMMARY_COLUMNS, whereVisible } from '../listing/listing.ts';
import { searchProviderFor } from '../search/providers.ts';
import { searchTextOf } from '../search/text.ts';
import type { DocumentKind, DocumentRow, DocumentStatus } from '../store/schema.ts';
import type { Db, Tx } from '../store/store.ts';
import { sanitizeBody } from './sanitize.ts';

export interface DocumentInput {
  kind: DocumentKind;
  slug: string;
  language?: string;
  translationGroup?: string | null;
  title: string;
  summary?: string;
  /** Untrusted HTML: sanitised here before it is stored. */
  bodyHtml: string;
  publishedAt: string;
  endsAt?: string | null;
  place?: string | null;
  sourceId?: number | null;
  meetingSeriesId?: number | null;
  status?: DocumentStatus;
  isDemo?: boolean;
  legacyKey?: string | null;
  fieldIds?: readonly number[];
  countryIds?: readonly number[];
}

export interface DocumentTerms {
  fieldIds: number[];
  countryIds: number[];
}

function rowFrom(input: DocumentInput) {
  return {
    kind: input.kind,
    slug: input.slug,
    language: input.language ?? 'en',
    translation_group: input.translationGroup ?? null,
    title: input.title.trim(),
    summary: (input.summary ?? '').trim(),
    body_html: sanitizeBody(input.bodyHtml),
    published_at: new Date(input.publishedAt).toISOString(),
    ends_at: input.endsAt ? new Date(input.endsAt).toISOString() : null,
    place: input.place ?? null,
    source_id: input.sourceId ?? null,
    meeting_series_id: input.meetingSeriesId ?? null,
    status: input.status ?? 'draft',
    is_demo: input.isDemo ? 1 : 0,
    legacy_key: input.legacyKey ?? null,
  };
}

async function writeTerms(tx: Tx, documentId: number, input: DocumentInput): Promise<void> {
  await tx.deleteFrom('document_fields').where('document_id', '=', documentId).execute();
  await tx.deleteFrom('document_countries').where('document_id', '=', documentId).execute();
  const fieldIds = [...new Set(input.fieldIds ?? [])];
  const countryIds = [...new Set(input.countryIds ?? [])];
  if (fieldIds.length > 0) {
    await tx
      .insertInto('document_fields')
      .values(fieldIds.map((field_id, position) => ({ document_id: documentId, field_id, position })))
      .execute();
  }
  if (countryIds.length > 0) {
    await tx
      .insertInto('document_countries')
      .values(countryIds.map((country_id, position) => ({ document_id: documentId, country_id, position })))
      .execute();
  }
}

/** The revision record of a save: the stored row and its terms, as JSON. */
export function snapshotOf(input: DocumentInput): string {
  return JSON.stringify({ ...rowFrom(input), fieldIds: input.fieldIds ?? [], countryIds: input.countryIds ?? [] });
}

async function recordRevision(
  tx: Tx,
  documentId: number,
  revision: number,
  input: DocumentInput,
  note: string | null,
  at: string,
) {
  await tx
    .insertInto('document_revisions')
    .values({ document_id: documentId, revision, snapshot: snapshotOf(input), note, created_at: at })
    .execute();
}

/** Slugs are unique per kind and language; checked inside the writing transaction. */
async function assertSlugFree(tx: Tx, input: DocumentInput, exceptId: number | null): Promise<void> {
  let query = tx
    .selectFrom('documents')
    .select('id')
    .where('kind', '=', input.kind)
    .where('language', '=', input.language ?? 'en')
    .where('slug', '=', input.slug);
  if (exceptId !== null) query = query.where('id', '!=', exceptId);
  if (await query.executeTakeFirst()) {
    throw new SlugTakenError(`The address "${input.slug}" is already used by another ${input.kind}`);
  }
}

/** Creates a document at revision 1. Call inside a transaction. */
export async function createDocument(tx: Tx, input: DocumentInput, note: string | null = null): Promise<number> {
  const now = new Date().toISOString();
  await assertSlugFree(tx, input, null);
  const row = rowFrom(input);
  const { id } = await tx
    .insertInto('documents')
    .values({ ...row, revision: 1, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await writeTerms(tx, id, input);
  await recordRevision(tx, id, 1, input, note, now);
  await searchProviderFor(tx).index(tx, id, searchTextOf(row));
  return id;
}

/**
 * Saves a new revision of a document, only if nobody saved since `expectedRevision`.
 * @throws StaleRevisionError when the stored revision is not the expected one.
 */
export async function updateDocument(
  tx: Tx,
  id: number,
  expectedRevision: number,
  input: DocumentInput,
  note: string | null = null,
): Promise<number> {
  const now = new Date().toISOString();
  const revision = expectedRevision + 1;
  await assertSlugFree(tx, input, id);
  const row = rowFrom(input);
  const result = await tx
    .updateTable('documents')
    .set({ ...row, revision, updated_at: now })
    .where('id', '=', id)
    .where('revision', '=', expectedRevision)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) {
    const current = await tx.selectFrom('documents').select('revision').where('id', '=', id).executeTakeFirst();
    throw new StaleRevisionError(expectedRevision, current?.revision ?? 0);
  }
  await writeTerms(tx, id, input);
  await recordRevision(tx, id, revision, input, note, now);
  await searchProviderFor(tx).index(tx, id, searchTextOf(row));
  return revision;
}

/** A visible document by its public address (kind, language, slug). */
export async function findVisibleDocument(
  db: Db,
  address: { kind: DocumentKind; language: string; slug: string },
  now: string,
): Promise<DocumentRow | undefined> {
  return whereVisible(db.selectFrom('documents as d'), now)
    .selectAll('d')
    .where('d.kind', '=', address.kind)
    .where('d.language', '=', address.language)
    .where('d.slug', '=', address.slug)
    .executeTakeFirst();
}

/** Fields of work and countries of one document, in one statement. */
export async function documentTerms(db: Db, documentId: number): Promise<DocumentTerms> {
  const rows = await db
    .selectFrom('document_fields')
    .select(['field_id as term_id', 'position', (eb) => eb.val('field').as('taxonomy')])
    .where('document_id', '=', documentId)
    .unionAll(
      db
        .selectFrom('document_countries')
        .select(['country_id as term_id', 'position', (eb) => eb.val('country').as('taxonomy')])
        .where('document_id', '=', documentId),
    )
    .orderBy('position')
    .execute();
  const terms: DocumentTerms = { fieldIds: [], countryIds: [] };
  for (const row of rows) (row.taxonomy === 'field' ? terms.fieldIds : terms.countryIds).push(Number(row.term_id));
  return terms;
}

/** Newest visible documents sharing a field of work (or else the source), in one statement. */
export async function relatedDocuments(
  db: Db,
  document: Pick<DocumentRow, 'id' | 'source_id'>,
  fieldIds: readonly number[],
  now: string,
  limit = 5,
): Promise<DocumentSummary[]> {
  let query = whereVisible(db.selectFrom('documents as d'), now)
    .select(SUMMARY_COLUMNS)
    .where('d.id', '!=', document.id)
    .where('d.kind', '!=', 'page');
  if (fieldIds.length > 0) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('document_fields as df')
          .select('df.document_id')
          .whereRef('df.document_id', '=', 'd.id')
          .where('df.field_id', 'in', fieldIds),
      ),
    );
  } else if (document.source_id !== null) {
    query = query.where('d.source_id', '=', document.source_id);
  } else {
    return [];
  }
  return query.orderBy('d.published_at', 'desc').orderBy('d.id', 'desc').limit(limit).execute();
}

/** A visible document by its id. */
export async function findVisibleDocumentById(db: Db, id: number, now: string): Promise<DocumentRow | undefined> {
  return whereVisible(db.selectFrom('documents as d'), now).selectAll('d').where('d.id', '=', id).executeTakeFirst();
}
