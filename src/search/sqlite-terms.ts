// The FTS5 index's own terms, for the bitmap index's postings of very common words: which terms
// are frequent, which documents hold one, and how a text splits into terms. Texts are split by a
// scratch FTS5 table in the connection's temp schema with the index's own tokenizer, so a word
// always becomes exactly the term the index stored (stemming, case and diacritics included).
import { sql } from 'kysely';
import { type Db, selectIntegers } from '../store/store.ts';
import type { IndexColumn, IndexTermSource, TermCount, TermsByColumn } from './provider.ts';

/** Must equal the `tokenize` option of `document_fts` (a test compares them). */
export const INDEX_TOKENIZER = 'porter unicode61 remove_diacritics 2';

const COLUMN_NAMES = ['title', 'summary', 'body'] as const;

/** A term as an FTS5 phrase: quoted, so that it is never read as an operator. */
const quoted = (term: string) => `"${term.replace(/"/g, '""')}"`;

const prepared = new WeakSet<Db>();
const queues = new WeakMap<Db, Promise<unknown>>();

/**
 * Runs `work` alone on the scratch table: its statements would otherwise interleave with another
 * caller's between two awaits, and read each other's rows.
 */
function withScratch<T>(db: Db, work: () => Promise<T>): Promise<T> {
  const run = async () => {
    if (!prepared.has(db)) {
      await sql
        .raw(
          `CREATE VIRTUAL TABLE IF NOT EXISTS temp.dl_scratch USING fts5(title, summary, body, tokenize='${INDEX_TOKENIZER}')`,
        )
        .execute(db);
      await sql
        .raw(
          "CREATE VIRTUAL TABLE IF NOT EXISTS temp.dl_scratch_terms USING fts5vocab('temp', 'dl_scratch', 'instance')",
        )
        .execute(db);
      prepared.add(db);
    }
    try {
      return await work();
    } finally {
      await sql`DELETE FROM temp.dl_scratch`.execute(db);
    }
  };
  const result = (queues.get(db) ?? Promise.resolve()).then(run, run);
  queues.set(
    db,
    result.catch(() => undefined),
  );
  return result;
}

/** The terms of a text, in order, as the index stores them. */
export function termsOf(db: Db, text: string): Promise<string[]> {
  return withScratch(db, async () => {
    await sql`INSERT INTO temp.dl_scratch(rowid, body) VALUES (1, ${text})`.execute(db);
    const { rows } = await sql<{ term: string }>`
      SELECT term FROM temp.dl_scratch_terms ORDER BY "offset"`.execute(db);
    return rows.map((row) => row.term);
  });
}

/** Each document's distinct terms per column, read from its stored search text. */
export function indexTermsOf(db: Db, documentIds: readonly number[]): Promise<Map<number, TermsByColumn>> {
  return withScratch(db, async () => {
    const terms = new Map<number, TermsByColumn>();
    if (documentIds.length === 0) return terms;
    await sql`INSERT INTO temp.dl_scratch(rowid, title, summary, body)
      SELECT document_id, title, summary, body FROM document_texts
      WHERE document_id IN (${sql.join(documentIds)})`.execute(db);
    const { rows } = await sql<{ term: string; doc: number; col: string }>`
      SELECT DISTINCT term, doc, col FROM temp.dl_scratch_terms`.execute(db);
    for (const id of documentIds) terms.set(id, { title: new Set(), summary: new Set(), body: new Set() });
    for (const row of rows) {
      const column = COLUMN_NAMES.find((name) => name === row.col);
      if (column) terms.get(row.doc)?.[column].add(row.term);
    }
    return terms;
  });
}

/**
 * Every index term (sorted), and those found in at least `minDocuments` documents, most frequent
 * first: only those that the tokenizer leaves as they are, so that matching the term finds exactly
 * its documents. One pass over the index's vocabulary.
 */
export async function vocabulary(db: Db, minDocuments: number): Promise<{ terms: TermCount[]; frequent: string[] }> {
  await sql
    .raw("CREATE VIRTUAL TABLE IF NOT EXISTS temp.dl_index_terms USING fts5vocab('main', 'document_fts', 'row')")
    .execute(db);
  const { rows } = await sql<TermCount>`SELECT term, doc AS documents FROM temp.dl_index_terms`.execute(db);
  const frequent: string[] = [];
  for (const { term } of rows
    .filter((row) => row.documents >= minDocuments)
    .sort((a, b) => b.documents - a.documents)) {
    const again = await termsOf(db, term);
    if (again.length === 1 && again[0] === term) frequent.push(term);
  }
  return { terms: rows, frequent };
}

/** Terms found in at least `minDocuments` documents, as `vocabulary` lists them. */
export async function frequentTerms(db: Db, minDocuments: number): Promise<string[]> {
  return (await vocabulary(db, minDocuments)).frequent;
}

/** Ids of the documents that hold a term (as `frequentTerms` returns it), in one column if asked. */
export function termIds(db: Db, term: string, column: IndexColumn | null): Promise<Uint32Array> {
  return idsMatching(db, quoted(term), column);
}

function idsMatching(db: Db, match: string, column: IndexColumn | null): Promise<Uint32Array> {
  // One column: the headings' index, whose position lists hold no body (as the search reads it).
  return column
    ? selectIntegers(db, sql`SELECT rowid FROM heading_fts WHERE heading_fts MATCH ${`{${column}} : (${match})`}`)
    : selectIntegers(db, sql`SELECT rowid FROM document_fts WHERE document_fts MATCH ${match}`);
}

/**
 * Ids of the documents holding any of these terms, in one column if asked. A term the tokenizer
 * would change again (the stem "secotic" of "secotical" is itself stemmed to "secot") cannot be
 * asked for through MATCH: its documents are read from the index's list of its instances.
 */
async function anyTermIds(db: Db, terms: readonly string[], column: IndexColumn | null): Promise<Uint32Array> {
  if (terms.length === 0) return new Uint32Array();
  const again = await termsOf(db, terms.join(' '));
  const aligned = again.length === terms.length;
  const stable = terms.filter((term, index) => aligned && again[index] === term);
  const unstable = terms.filter((term, index) => !aligned || again[index] !== term);
  const matched =
    stable.length > 0 ? await idsMatching(db, stable.map(quoted).join(' OR '), column) : new Uint32Array();
  if (unstable.length === 0) return matched;
  const table = column ? 'heading_fts' : 'document_fts';
  await sql
    .raw(
      `CREATE VIRTUAL TABLE IF NOT EXISTS temp.dl_${table}_instances USING fts5vocab('main', '${table}', 'instance')`,
    )
    .execute(db);
  // One lookup per term: fts5vocab seeks an equal term, not a list of them.
  const lookups = unstable.map(
    (term) =>
      sql`SELECT doc FROM ${sql.raw(`temp.dl_${table}_instances`)} WHERE term = ${term}${column ? sql` AND col = ${column}` : sql``}`,
  );
  const read = await selectIntegers(db, sql.join(lookups, sql` UNION `));
  return Uint32Array.from(new Set([...matched, ...read]));
}

async function holds(db: Db, term: string): Promise<boolean> {
  const { rows } = await sql`SELECT 1 FROM document_fts WHERE document_fts MATCH ${quoted(term)} LIMIT 1`.execute(db);
  return rows.length > 0;
}

async function correctionTerms(
  db: Db,
  initial: string,
  minLength: number,
  maxLength: number,
): Promise<{ term: string; documents: number }[]> {
  await sql
    .raw("CREATE VIRTUAL TABLE IF NOT EXISTS temp.dl_heading_terms USING fts5vocab('main', 'heading_fts', 'row')")
    .execute(db);
  // fts5vocab reads only the terms within the range: those of one initial.
  const { rows } = await sql<{ term: string; documents: number }>`
    SELECT term, doc AS documents FROM temp.dl_heading_terms
    WHERE term >= ${initial} AND term < ${`${initial}\u{10ffff}`}
      AND length(term) BETWEEN ${minLength} AND ${maxLength}`.execute(db);
  return rows;
}

const MARK_START = '\u0002';
const MARK_END = '\u0003';

async function writtenForms(db: Db, term: string, limit: number): Promise<string[]> {
  const { rows } = await sql<{ title: string; summary: string }>`
    SELECT highlight(heading_fts, 0, ${MARK_START}, ${MARK_END}) AS title,
      highlight(heading_fts, 1, ${MARK_START}, ${MARK_END}) AS summary
    FROM heading_fts WHERE heading_fts MATCH ${quoted(term)} LIMIT ${limit}`.execute(db);
  const forms: string[] = [];
  const marked = new RegExp(`${MARK_START}([^${MARK_END}]*)${MARK_END}`, 'g');
  for (const row of rows) {
    for (const text of [row.title, row.summary])
      for (const match of text.matchAll(marked)) forms.push(match[1] as string);
  }
  return forms;
}

export const sqliteIndexTerms: IndexTermSource = {
  termsOf,
  indexTermsOf,
  vocabulary,
  termIds,
  anyTermIds,
  holds,
  correctionTerms,
  writtenForms,
};
