// Frozen in time: both full-text indexes rebuilt with an index of every term's first three
// letters (FTS5 `prefix='3'`). A search for `con*` then reads one entry of that index instead of
// merging the entries of every indexed word that starts with "con" (hundreds at a million
// documents): 2.2 times faster at 5,000 documents, for 75 % more index (docs/decisions/0015).
// The rebuild reads every document's text once: about ten minutes at a million documents.
import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from '../migrate.ts';

/** Both indexes as this migration leaves them (`prefix`) or found them (no prefix option). */
async function recreate(db: Kysely<unknown>, prefix: string): Promise<void> {
  const options = sql.raw(prefix);
  await sql`DROP TABLE document_fts`.execute(db);
  await sql`CREATE VIRTUAL TABLE document_fts USING fts5(
    title, summary, body,
    content='document_texts', content_rowid='document_id',
    tokenize='porter unicode61 remove_diacritics 2'${options}
  )`.execute(db);
  await sql`INSERT INTO document_fts(document_fts, rank) VALUES('rank', 'bm25(10.0, 4.0, 1.0)')`.execute(db);
  await sql`INSERT INTO document_fts(document_fts) VALUES('rebuild')`.execute(db);
  await sql`DROP TABLE heading_fts`.execute(db);
  await sql`CREATE VIRTUAL TABLE heading_fts USING fts5(
    title, summary,
    content='document_texts', content_rowid='document_id',
    tokenize='porter unicode61 remove_diacritics 2'${options}
  )`.execute(db);
  await sql`INSERT INTO heading_fts(heading_fts) VALUES('rebuild')`.execute(db);
}

export async function up(db: Kysely<unknown>, { engine }: MigrationContext): Promise<void> {
  if (engine === 'sqlite') await recreate(db, ", prefix='3'");
}

export async function down(db: Kysely<unknown>, { engine }: MigrationContext): Promise<void> {
  if (engine === 'sqlite') await recreate(db, '');
}
