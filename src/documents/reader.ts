// Reading documents for readers: one by its address or id, its terms, related and latest ones.
// Every query here applies the one visibility rule. The queries each page runs are prepared
// (compiled once, src/store/prepared.ts): building them again cost as much as running them.
import { sourceIdsExpression } from '../store/dialect.ts';
import { prepared } from '../store/prepared.ts';
import type { DocumentKind, DocumentRow } from '../store/schema.ts';
import type { Db } from '../store/store.ts';
import { whereVisible } from './visibility.ts';

/** What a listing row shows of a document. */
export interface DocumentSummary {
  id: number;
  kind: DocumentKind;
  slug: string;
  language: string;
  title: string;
  summary: string;
  dated_at: string;
  ends_at: string | null;
  time_zone: string | null;
  published_at: string | null;
  updated_at: string;
  place: string | null;
  permalink: string | null;
  /** The issuing structures, the lead first. */
  sourceIds: number[];
  is_demo: number;
}

/** A whole document as its page shows it. */
export type DocumentRecord = DocumentRow & { sourceIds: number[] };

export const SUMMARY_COLUMNS = [
  'd.id',
  'd.kind',
  'd.slug',
  'd.language',
  'd.title',
  'd.summary',
  'd.dated_at',
  'd.ends_at',
  'd.time_zone',
  'd.published_at',
  'd.updated_at',
  'd.place',
  'd.permalink',
  'd.is_demo',
] as const;

const parseIds = (text: string | null): number[] => (text ? text.split(',').map(Number) : []);

/** Summary columns and the sources, for a query over documents aliased `d`. */
export function summarySelection(db: Db) {
  return [...SUMMARY_COLUMNS, sourceIdsExpression(db).as('source_ids')] as const;
}

type SummaryRow = Omit<DocumentSummary, 'sourceIds'> & { source_ids: string | null };

/**
 * Turns rows selected with `summarySelection` into summaries. Written out field by field: a rest
 * pattern (`{ source_ids, ...row }`) copied each row through V8's slow path, 1.5 µs a row.
 */
export function toSummaries(rows: readonly SummaryRow[]): DocumentSummary[] {
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    slug: row.slug,
    language: row.language,
    title: row.title,
    summary: row.summary,
    dated_at: row.dated_at,
    ends_at: row.ends_at,
    time_zone: row.time_zone,
    published_at: row.published_at,
    updated_at: row.updated_at,
    place: row.place,
    permalink: row.permalink,
    is_demo: row.is_demo,
    sourceIds: parseIds(row.source_ids),
  }));
}

const summaryRows = prepared((db, v: { ids: readonly number[] }) =>
  db.selectFrom('documents as d').select(summarySelection(db)).where('d.id', 'in', v.ids),
);

/** Summaries of the given documents, in no particular order (visibility is the caller's). */
export async function summariesOf(db: Db, ids: readonly number[]): Promise<DocumentSummary[]> {
  if (ids.length === 0) return [];
  return toSummaries(await summaryRows(db, { ids }));
}

const sourceRows = prepared((db, v: { id: number }) =>
  db.selectFrom('document_sources').select('structure_id').where('document_id', '=', v.id).orderBy('position'),
);

async function withSources(db: Db, row: DocumentRow | undefined): Promise<DocumentRecord | undefined> {
  if (!row) return undefined;
  const sources = await sourceRows(db, { id: row.id });
  return { ...row, sourceIds: sources.map((s) => s.structure_id) };
}

const visibleByPath = prepared((db, v: { path: string; now: string }) =>
  whereVisible(db.selectFrom('documents as d'), v.now).selectAll('d').where('d.permalink', '=', v.path),
);

/** A visible document by the address it was published at. */
export async function findVisibleDocumentByPath(
  db: Db,
  path: string,
  now: string,
): Promise<DocumentRecord | undefined> {
  const [row] = await visibleByPath(db, { path, now });
  return withSources(db, row);
}

/** Sources, fields of work and countries of one document (ordered here: SQLite's sort cost more). */
const termRows = prepared((db, v: { id: number }) =>
  db
    .selectFrom('document_sources')
    .select(['structure_id as term_id', 'position', (eb) => eb.val('source').as('taxonomy')])
    .where('document_id', '=', v.id)
    .unionAll(
      db
        .selectFrom('document_fields')
        .select(['field_id as term_id', 'position', (eb) => eb.val('field').as('taxonomy')])
        .where('document_id', '=', v.id),
    )
    .unionAll(
      db
        .selectFrom('document_countries')
        .select(['country_id as term_id', 'position', (eb) => eb.val('country').as('taxonomy')])
        .where('document_id', '=', v.id),
    ),
);

/**
 * A visible document by its address, with its terms, for its page: two statements (the document,
 * then its sources, fields of work and countries together) where the separate readers take three.
 */
export async function findVisibleDocumentWithTerms(
  db: Db,
  path: string,
  now: string,
): Promise<{ doc: DocumentRecord; terms: DocumentTerms } | undefined> {
  const [row] = await visibleByPath(db, { path, now });
  if (!row) return undefined;
  const sourceIds: number[] = [];
  const terms: DocumentTerms = { fieldIds: [], countryIds: [] };
  const rows = (await termRows(db, { id: row.id })).sort((a, b) => a.position - b.position);
  for (const term of rows) {
    const id = Number(term.term_id);
    if (term.taxonomy === 'source') sourceIds.push(id);
    else (term.taxonomy === 'field' ? terms.fieldIds : terms.countryIds).push(id);
  }
  return { doc: { ...row, sourceIds }, terms };
}

/** A visible document by kind, language and slug (for addresses with a wrong date: redirected). */
export async function findVisibleDocument(
  db: Db,
  address: { kind: DocumentKind; language: string; slug: string },
  now: string,
): Promise<DocumentRecord | undefined> {
  const row = await whereVisible(db.selectFrom('documents as d'), now)
    .selectAll('d')
    .where('d.kind', '=', address.kind)
    .where('d.language', '=', address.language)
    .where('d.slug', '=', address.slug)
    .executeTakeFirst();
  return withSources(db, row);
}

/** A visible document by its id. */
export async function findVisibleDocumentById(db: Db, id: number, now: string): Promise<DocumentRecord | undefined> {
  const row = await whereVisible(db.selectFrom('documents as d'), now)
    .selectAll('d')
    .where('d.id', '=', id)
    .executeTakeFirst();
  return withSources(db, row);
}

export interface DocumentTerms {
  fieldIds: number[];
  countryIds: number[];
}

/** Fields of work and countries of one document, in the author's order, in one statement. */
export async function documentTerms(db: Db, documentId: number): Promise<DocumentTerms> {
  const terms = await termsOfDocuments(db, [documentId]);
  return terms.get(documentId) ?? { fieldIds: [], countryIds: [] };
}

const termsOfRows = prepared((db, v: { ids: readonly number[] }) =>
  db
    .selectFrom('document_fields')
    .select(['document_id', 'field_id as term_id', 'position', (eb) => eb.val('field').as('taxonomy')])
    .where('document_id', 'in', v.ids)
    .unionAll(
      db
        .selectFrom('document_countries')
        .select(['document_id', 'country_id as term_id', 'position', (eb) => eb.val('country').as('taxonomy')])
        .where('document_id', 'in', v.ids),
    )
    .orderBy('position'),
);

/** Fields of work and countries of several documents, in one statement. */
export async function termsOfDocuments(db: Db, ids: readonly number[]): Promise<Map<number, DocumentTerms>> {
  const result = new Map<number, DocumentTerms>();
  if (ids.length === 0) return result;
  const rows = await termsOfRows(db, { ids });
  for (const id of ids) result.set(id, { fieldIds: [], countryIds: [] });
  for (const row of rows) {
    const terms = result.get(row.document_id);
    if (terms) (row.taxonomy === 'field' ? terms.fieldIds : terms.countryIds).push(Number(row.term_id));
  }
  return result;
}

/** Newest visible documents sharing a field of work (or else a source), in one statement. */
export async function relatedDocuments(
  db: Db,
  document: Pick<DocumentRecord, 'id' | 'sourceIds'>,
  fieldIds: readonly number[],
  now: string,
  limit = 5,
): Promise<DocumentSummary[]> {
  if (fieldIds.length === 0 && document.sourceIds.length === 0) return [];
  const rows = await whereVisible(db.selectFrom('documents as d'), now)
    .select(summarySelection(db))
    .where('d.id', '!=', document.id)
    .where('d.kind', '!=', 'page')
    .where((eb) =>
      fieldIds.length > 0
        ? eb.exists(
            eb
              .selectFrom('document_fields as t')
              .select('t.document_id')
              .whereRef('t.document_id', '=', 'd.id')
              .where('t.field_id', 'in', fieldIds),
          )
        : eb.exists(
            eb
              .selectFrom('document_sources as t')
              .select('t.document_id')
              .whereRef('t.document_id', '=', 'd.id')
              .where('t.structure_id', 'in', document.sourceIds),
          ),
    )
    .orderBy('d.dated_at', 'desc')
    .orderBy('d.id', 'desc')
    .limit(limit)
    .execute();
  return toSummaries(rows);
}

/** The newest visible documents of some kinds, for the home page and side panels. */
export async function latestDocuments(
  db: Db,
  now: string,
  options: { kinds?: readonly DocumentKind[]; limit: number },
): Promise<DocumentSummary[]> {
  let query = whereVisible(db.selectFrom('documents as d'), now);
  if (options.kinds && options.kinds.length > 0) query = query.where('d.kind', 'in', options.kinds);
  const rows = await query
    .select(summarySelection(db))
    .orderBy('d.dated_at', 'desc')
    .orderBy('d.id', 'desc')
    .limit(options.limit)
    .execute();
  return toSummaries(rows);
}

/** Visible events that have not ended yet (or, without an end, not started), soonest first. */
export async function upcomingEvents(db: Db, now: string, limit: number): Promise<DocumentSummary[]> {
  const rows = await whereVisible(db.selectFrom('documents as d'), now)
    .select(summarySelection(db))
    .where('d.kind', '=', 'event')
    .where((eb) => eb.or([eb('d.dated_at', '>=', now), eb('d.ends_at', '>=', now)]))
    .orderBy('d.dated_at', 'asc')
    .orderBy('d.id', 'asc')
    .limit(limit)
    .execute();
  return toSummaries(rows);
}
