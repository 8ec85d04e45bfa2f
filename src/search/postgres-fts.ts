// Full-text search on PostgreSQL: the weighted tsvector of `document_texts.search` (A title,
// B summary, C body) under a GIN index, kept by PostgreSQL in the writing transaction; queries
// compiled by postgres-tsquery.ts; ranking by the proximity tiers, then ts_rank with the weights
// SQLite's bm25 uses, then newest first; snippets by ts_headline for the rows shown only.
import { type RawBuilder, sql } from 'kysely';
import type { DocumentsQuery } from '../store/documents-query.ts';
import { selectIntegers, type Tx } from '../store/store.ts';
import { escapeHtml } from '../text/escape-html.ts';
import { COLUMN_WEIGHT, nearText, termText, toTsquery } from './postgres-tsquery.ts';
import type { SearchProvider } from './provider.ts';
import { asPhrase, PROXIMITY_TIERS, type ProximityTier, proximityTerms } from './proximity.ts';
import type { SearchQuery } from './query.ts';
import { rewriteDocumentTexts } from './text.ts';

const MARK_START = '\u0002';
const MARK_END = '\u0003';
const HEADLINE_OPTIONS = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=28, MinWords=12`;
/**
 * ts_headline drops whatever looks like an HTML tag, so angle brackets of the plain text stand
 * in for themselves as two control characters (never in the text: searchTextOf removes them).
 */
const ANGLES = '\u0004\u0005';
/** ts_rank's weights, D C B A: the body 1, the summary 4, the title 10, as SQLite's bm25(10, 4, 1). */
const RANK_WEIGHTS = '{0, 0.1, 0.4, 1.0}';

const tsquery = (text: string): RawBuilder<unknown> => sql`to_tsquery('dateline', ${text})`;

/** Each proximity tier's query; none for a single term. */
function tierQueries(search: SearchQuery): { tier: ProximityTier; text: string }[] {
  const terms = proximityTerms(search);
  if (!terms) return [];
  const phrase = asPhrase(terms);
  const texts: Record<ProximityTier, string | null> = {
    'title-phrase': phrase ? termText(phrase, COLUMN_WEIGHT.title) : null,
    'title-near': nearText(terms, COLUMN_WEIGHT.title),
    'summary-near': nearText(terms, COLUMN_WEIGHT.summary),
    'body-near': nearText(terms, COLUMN_WEIGHT.body),
  };
  return PROXIMITY_TIERS.flatMap((tier) => {
    const text = texts[tier];
    return text ? [{ tier, text }] : [];
  });
}

/** `ORDER BY` the proximity tier of the text vector `vector`: 0 is best. Null without tiers. */
function tierOrder(search: SearchQuery, vector: RawBuilder<unknown>): RawBuilder<number> | null {
  const tiers = tierQueries(search);
  if (tiers.length === 0) return null;
  const cases = tiers.map(({ text }, index) => sql`WHEN ${vector} @@ ${tsquery(text)} THEN ${sql.lit(index)}`);
  return sql<number>`CASE ${sql.join(cases, sql` `)} ELSE ${sql.lit(tiers.length)} END`;
}

const matchingTexts = (text: string) =>
  sql<number>`(SELECT t.document_id FROM document_texts t WHERE t.search @@ ${tsquery(text)})`;

function withoutExcluded<O>(query: DocumentsQuery<O>, excluded: string | null): DocumentsQuery<O> {
  return excluded ? query.where('d.id', 'not in', matchingTexts(excluded)) : query;
}

/** A headline as escaped HTML, matches in <mark>, with an ellipsis where it cuts the text. */
function excerptHtml(headline: string, text: string): string {
  const excerpt = headline.replaceAll('\u0004', '<').replaceAll('\u0005', '>');
  const plain = excerpt.replaceAll(MARK_START, '').replaceAll(MARK_END, '');
  const html = escapeHtml(excerpt).replaceAll(MARK_START, '<mark>').replaceAll(MARK_END, '</mark>');
  return `${text.startsWith(plain.slice(0, 20)) ? '' : '…'}${html}${text.endsWith(plain.slice(-20)) ? '' : '…'}`;
}

const markCount = (headline: string) => headline.split(MARK_START).length - 1;

export const postgresSearch: SearchProvider = {
  restrict(query, search) {
    const { required, excluded } = toTsquery(search);
    return withoutExcluded(required ? query.where('d.id', 'in', matchingTexts(required)) : query, excluded);
  },

  rankedDocuments(db, search) {
    const { required, excluded } = toTsquery(search);
    const documents = db.selectFrom('documents as d');
    if (!required) return withoutExcluded(documents, excluded).orderBy('d.dated_at', 'desc').orderBy('d.id', 'desc');
    const vector = sql.ref('ranked_text.search');
    const ranked = documents
      .innerJoin('document_texts as ranked_text', 'ranked_text.document_id', 'd.id')
      .where(sql<boolean>`${vector} @@ ${tsquery(required)}`)
      .$call((query) => {
        const tier = tierOrder(search, vector);
        return tier ? query.orderBy(tier) : query;
      })
      .orderBy(sql`ts_rank(${RANK_WEIGHTS}::float4[], ${vector}, ${tsquery(required)})`, 'desc')
      .orderBy('d.dated_at', 'desc')
      .orderBy('d.id', 'desc');
    // The join only filters and orders; the selected columns stay those of `d`.
    return withoutExcluded(ranked as unknown as typeof documents, excluded);
  },

  async snippets(db, documentIds, search) {
    const { required } = toTsquery(search);
    const snippets = new Map<number, string>();
    if (!required || documentIds.length === 0) return snippets;
    const q = tsquery(required);
    const options = sql.lit(HEADLINE_OPTIONS);
    const headline = (column: string) =>
      sql`ts_headline('dateline', translate(${sql.ref(`t.${column}`)}, '<>', ${ANGLES}), ${q}, ${options})`;
    type Column = 'title' | 'summary' | 'body';
    const { rows } = await sql<Record<Column | `${Column}_headline`, string> & { id: number }>`
      SELECT t.document_id AS id, t.title, t.summary, t.body,
        ${headline('title')} AS title_headline, ${headline('summary')} AS summary_headline,
        ${headline('body')} AS body_headline
      FROM document_texts t
      WHERE t.document_id IN (${sql.join(documentIds)}) AND t.search @@ ${q}`.execute(db);
    for (const row of rows) {
      // The column with the most matched words, the earlier column on a tie (as FTS5's snippet).
      const column = (['title', 'summary', 'body'] as const).reduce((a, b) =>
        markCount(row[`${b}_headline`]) > markCount(row[`${a}_headline`]) ? b : a,
      );
      snippets.set(row.id, excerptHtml(row[`${column}_headline`], row[column]));
    }
    return snippets;
  },

  async matchingIds(db, search, column = null) {
    const { required } = toTsquery(search, column ? COLUMN_WEIGHT[column] : null);
    const { excluded } = toTsquery(search);
    const ids = async (text: string | null) =>
      text ? selectIntegers(db, sql`SELECT document_id FROM document_texts WHERE search @@ ${tsquery(text)}`) : null;
    return { required: await ids(required), excluded: await ids(excluded) };
  },

  async rankedIds(db, search, limit) {
    const { required } = toTsquery(search);
    if (!required) return new Uint32Array(0);
    const vector = sql.ref('t.search');
    const tier = tierOrder(search, vector);
    // Ordered as the SQL listing orders: tiers, rank, then newest first.
    return selectIntegers(
      db,
      sql`SELECT t.document_id FROM document_texts t JOIN documents d ON d.id = t.document_id
        WHERE t.search @@ ${tsquery(required)}
        ORDER BY ${tier ? sql`${tier}, ` : sql``}ts_rank(${RANK_WEIGHTS}::float4[], t.search, ${tsquery(required)}) DESC,
          d.dated_at DESC, d.id DESC
        LIMIT ${limit}`,
    );
  },

  async tierIds(db, search, tier) {
    const found = tierQueries(search).find((candidate) => candidate.tier === tier);
    if (!found) return null;
    return selectIntegers(db, sql`SELECT document_id FROM document_texts WHERE search @@ ${tsquery(found.text)}`);
  },

  async index(tx, documentId, text) {
    // The vector is a generated column: PostgreSQL rewrites it with the row.
    await tx
      .insertInto('document_texts')
      .values({ document_id: documentId, ...text })
      .onConflict((conflict) => conflict.column('document_id').doUpdateSet(text))
      .execute();
  },

  async remove(tx: Tx, documentId: number) {
    await tx.deleteFrom('document_texts').where('document_id', '=', documentId).execute();
  },

  async reindex(db) {
    return db.transaction().execute(async (tx) => {
      // The vectors are generated columns: rewriting the texts rebuilds them.
      return rewriteDocumentTexts(tx);
    });
  },
};
