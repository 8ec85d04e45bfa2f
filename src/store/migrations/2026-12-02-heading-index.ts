// Frozen in time: a second, small full-text index over each document's title and summary only.
// Ranking asks "do the words stand together in the title?" for every multi-word search; in the
// full index that question reads the body's position lists too (18 ms for a two-word phrase at
// 1,000,000 documents), in this one only the headings' (see docs/decisions/0012).
import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from '../migrate.ts';

export async function up(db: Kysely<unknown>, { engine }: MigrationContext): Promise<void> {
  if (engine !== 'sqlite') return;
  // Same tokenizer as document_fts (a test compares them), same external content.
  await sql`CREATE VIRTUAL TABLE heading_fts USING fts5(
    title, summary,
    content='document_texts', content_rowid='document_id',
    tokenize='porter unicode61 remove_diacritics 2'
  )`.execute(db);
  await sql`INSERT INTO heading_fts(heading_fts) VALUES('rebuild')`.execute(db);
}

export async function down(db: Kysely<unknown>, { engine }: MigrationContext): Promise<void> {
  if (engine === 'sqlite') await sql`DROP TABLE IF EXISTS heading_fts`.execute(db);
}
