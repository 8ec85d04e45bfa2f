// Runs a Filter: the one read path behind every listing (pages now; feeds and API later).
import type { ExpressionBuilder, SelectQueryBuilder } from 'kysely';
import type { Database, DocumentKind, DocumentTable } from '../store/schema.ts';
import type { Db } from '../store/store.ts';
import type { Filter } from './filter.ts';

export interface DocumentSummary {
  id: number;
  kind: DocumentKind;
  slug: string;
  language: string;
  title: string;
  summary: string;
  published_at: string;
  place: string | null;
  source_id: number | null;
  is_demo: number;
}

export interface Listing {
  readonly filter: Filter;
  readonly items: DocumentSummary[];
  readonly total: number;
  readonly pageCount: number;
}

const SUMMARY_COLUMNS = [
  'd.id',
  'd.kind',
  'd.slug',
  'd.language',
  'd.title',
  'd.summary',
  'd.published_at',
  'd.place',
  'd.source_id',
  'd.is_demo',
] as const;

type DocumentsDb = Database & { d: DocumentTable };
type DocumentsQuery<O> = SelectQueryBuilder<DocumentsDb, 'd', O>;

/** Only what readers may see: published, and its time has come (embargo, schedule). */
export function whereVisible<O>(query: DocumentsQuery<O>, now: string): DocumentsQuery<O> {
  return query.where('d.status', '=', 'published').where('d.published_at', '<=', now);
}

function applyFilter<O>(query: DocumentsQuery<O>, filter: Filter): DocumentsQuery<O> {
  let q = query;
  if (filter.kinds.length > 0) q = q.where('d.kind', 'in', filter.kinds);
  if (filter.sourceIds.length > 0) q = q.where('d.source_id', 'in', filter.sourceIds);
  if (filter.meetingIds.length > 0) q = q.where('d.meeting_series_id', 'in', filter.meetingIds);
  if (filter.languages.length > 0) q = q.where('d.language', 'in', filter.languages);
  if (filter.fieldIds.length > 0) {
    q = q.where((eb: ExpressionBuilder<DocumentsDb, 'd'>) =>
      eb.exists(
        eb
          .selectFrom('document_fields as df')
          .select('df.document_id')
          .whereRef('df.document_id', '=', 'd.id')
          .where('df.field_id', 'in', filter.fieldIds),
      ),
    );
  }
  if (filter.countryIds.length > 0) {
    q = q.where((eb: ExpressionBuilder<DocumentsDb, 'd'>) =>
      eb.exists(
        eb
          .selectFrom('document_countries as dc')
          .select('dc.document_id')
          .whereRef('dc.document_id', '=', 'd.id')
          .where('dc.country_id', 'in', filter.countryIds),
      ),
    );
  }
  if (filter.year !== null) {
    q = q.where('d.published_at', '>=', `${filter.year}-01-01T00:00:00.000Z`);
    q = q.where('d.published_at', '<', `${filter.year + 1}-01-01T00:00:00.000Z`);
  }
  if (filter.from) q = q.where('d.published_at', '>=', `${filter.from}T00:00:00.000Z`);
  if (filter.to) q = q.where('d.published_at', '<', nextDay(filter.to));
  return q;
}

function nextDay(isoDate: string): string {
  const date = new Date(`${isoDate}T00:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString();
}

/**
 * One page of documents matching a filter, and how many match in all: two statements.
 * @example const listing = await runListing(db, parseFilter(query, catalog), new Date().toISOString());
 */
export async function runListing(db: Db, filter: Filter, now: string): Promise<Listing> {
  const base = applyFilter(whereVisible(db.selectFrom('documents as d'), now), filter);
  const direction = filter.sort === 'oldest' ? 'asc' : 'desc';
  const [items, count] = await Promise.all([
    base
      .select(SUMMARY_COLUMNS)
      .orderBy('d.published_at', direction)
      .orderBy('d.id', direction)
      .limit(filter.pageSize)
      .offset((filter.page - 1) * filter.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<number | string>().as('total')).executeTakeFirstOrThrow(),
  ]);
  const total = Number(count.total);
  return { filter, items, total, pageCount: Math.max(1, Math.ceil(total / filter.pageSize)) };
}

/** The newest visible documents of some kinds, for the home page and side panels. */
export async function latestDocuments(
  db: Db,
  now: string,
  options: { kinds?: readonly DocumentKind[]; limit: number },
): Promise<DocumentSummary[]> {
  let query = whereVisible(db.selectFrom('documents as d'), now);
  if (options.kinds && options.kinds.length > 0) query = query.where('d.kind', 'in', options.kinds);
  return query
    .select(SUMMARY_COLUMNS)
    .orderBy('d.published_at', 'desc')
    .orderBy('d.id', 'desc')
    .limit(options.limit)
    .execute();
}

export { SUMMARY_COLUMNS };
