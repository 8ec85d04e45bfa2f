// Frozen in time: full-text search on PostgreSQL. Each document's text gets one tsvector, kept by
// PostgreSQL itself in the writing transaction (a stored generated column), with the weights
// that rank and filter by column: A the title, B the summary, C the body. The configuration
// `dateline` is English stemming after unaccent, as SQLite's porter tokenizer with its
// diacritics removed.
// Nothing changes on SQLite, whose FTS5 indexes came before.
import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from '../migrate.ts';

export async function up(db: Kysely<unknown>, { engine }: MigrationContext): Promise<void> {
  if (engine !== 'postgres') return;
  // unaccent is a trusted extension: the database's owner may create it.
  await sql`CREATE EXTENSION IF NOT EXISTS unaccent`.execute(db);
  // English stemming without a stop-word list, as SQLite's porter tokenizer: "the" is a word.
  await sql`CREATE TEXT SEARCH DICTIONARY dateline_stem (TEMPLATE = snowball, Language = english)`.execute(db);
  await sql`CREATE TEXT SEARCH CONFIGURATION dateline (COPY = english)`.execute(db);
  await sql`ALTER TEXT SEARCH CONFIGURATION dateline
    ALTER MAPPING FOR word, asciiword, hword_part, hword_asciipart WITH unaccent, dateline_stem`.execute(db);
  // A hyphenated word is indexed as its parts only ("co-operation": co, operation), in the
  // positions a reader's phrase expects, as SQLite's unicode61 tokenizer does.
  await sql`ALTER TEXT SEARCH CONFIGURATION dateline DROP MAPPING FOR hword, asciihword`.execute(db);
  await sql`ALTER TABLE document_texts ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('dateline', title), 'A') ||
    setweight(to_tsvector('dateline', summary), 'B') ||
    setweight(to_tsvector('dateline', body), 'C')
  ) STORED`.execute(db);
  await sql`CREATE INDEX document_texts_search ON document_texts USING gin (search)`.execute(db);
}

export async function down(db: Kysely<unknown>, { engine }: MigrationContext): Promise<void> {
  if (engine !== 'postgres') return;
  await sql`DROP INDEX IF EXISTS document_texts_search`.execute(db);
  await sql`ALTER TABLE document_texts DROP COLUMN IF EXISTS search`.execute(db);
  await sql`DROP TEXT SEARCH CONFIGURATION IF EXISTS dateline`.execute(db);
  await sql`DROP TEXT SEARCH DICTIONARY IF EXISTS dateline_stem`.execute(db);
}
