// Frozen in time: the full-text index. Plain text per document in `document_texts` (both
// engines); on SQLite an FTS5 index over it with external content, kept in sync by the writer.
import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from '../migrate.ts';

export async function up(db: Kysely<unknown>, { engine }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('document_texts')
    .addColumn('document_id', 'integer', (c) => c.primaryKey().references('documents.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .execute();
  // Lets an in-memory index catch up with what changed since it last looked.
  await db.schema.createIndex('documents_updated_at').on('documents').column('updated_at').execute();
  if (engine === 'sqlite') {
    // porter: "trafficking" finds "trafficked"; remove_diacritics: "Türkiye" finds "Turkiye".
    await sql`CREATE VIRTUAL TABLE document_fts USING fts5(
      title, summary, body,
      content='document_texts', content_rowid='document_id',
      tokenize='porter unicode61 remove_diacritics 2'
    )`.execute(db);
    // Title above summary above body, configured once so that queries can ORDER BY rank.
    await sql`INSERT INTO document_fts(document_fts, rank) VALUES('rank', 'bm25(10.0, 4.0, 1.0)')`.execute(db);
  }
}

export async function down(db: Kysely<unknown>, { engine }: MigrationContext): Promise<void> {
  if (engine === 'sqlite') await sql`DROP TABLE IF EXISTS document_fts`.execute(db);
  await db.schema.dropTable('document_texts').ifExists().execute();
  await db.schema.dropIndex('documents_updated_at').ifExists().execute();
}
