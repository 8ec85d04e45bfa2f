// Frozen in time: one date per meaning, several sources per document, and the change log.
// - `published_at` (the dateline's date and the moment of going public at once) becomes
//   `dated_at` (the document's own date), `publish_at` (an embargo or schedule; set for the
//   documents that were still waiting for their date, so nothing becomes public early) and a
//   new `published_at` (when it went public), plus `time_zone` for events.
// - `permalink`: the public address, fixed at first publication so that it never changes.
// - `source_id` becomes `document_sources` (ordered; the first leads).
// - `document_changes`: the log every cache and process follows.
// On SQLite a column used by a foreign key cannot be dropped, so the table is rebuilt (the
// documented procedure: foreign keys off, copy, drop, rename, check, in one transaction).
import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from '../migrate.ts';

/** The kinds' address segments as they were when this migration was written. */
const KIND_PATH_SQL = `CASE kind WHEN 'press-release' THEN 'press-releases' WHEN 'statement' THEN 'statements'
  WHEN 'event' THEN 'events' WHEN 'publication' THEN 'publications' ELSE kind END`;

/** The address a published document had under the old schema, from its date column. */
function permalinkSql(dateColumn: string, year: string, month: string): string {
  return `CASE WHEN status = 'published' THEN
    (CASE WHEN language = 'en' THEN '' ELSE '/' || language END) ||
    (CASE WHEN kind = 'page' THEN '/' || slug
     ELSE '/' || ${KIND_PATH_SQL} || '/' || ${year.replace('$', dateColumn)} || '/' || ${month.replace('$', dateColumn)} || '/' || slug END)
  END`;
}

const run = (db: Kysely<unknown>, statement: string) => sql.raw(statement).execute(db);

const DOCUMENT_INDEXES = [
  // The public read path: published, in date order, optionally of one kind. publish_at last: the
  // visibility rule is checked in the index, without reading the row (counts 1.5 → 0.2 ms at 2,000).
  'CREATE INDEX documents_public ON documents (status, dated_at, publish_at)',
  'CREATE INDEX documents_kind_public ON documents (kind, status, dated_at, publish_at)',
  'CREATE INDEX documents_meeting_series ON documents (meeting_series_id, dated_at)',
];

const SOURCES_TABLE = (engine: MigrationContext['engine']) => `CREATE TABLE document_sources (
  document_id integer NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  structure_id integer NOT NULL REFERENCES structures(id) ON DELETE CASCADE,
  position integer NOT NULL DEFAULT 0,
  CONSTRAINT document_sources_pk PRIMARY KEY (document_id, structure_id)
)${engine === 'sqlite' ? ' WITHOUT ROWID' : ''}`;

const CHANGES_TABLE = (engine: MigrationContext['engine'], timestampType: string) => `CREATE TABLE document_changes (
  seq ${engine === 'sqlite' ? 'integer PRIMARY KEY AUTOINCREMENT' : 'bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY'},
  document_id integer,
  action text NOT NULL,
  revision integer,
  at ${timestampType} NOT NULL
)`;

async function inSqliteRebuild(db: Kysely<unknown>, work: () => Promise<void>): Promise<void> {
  await run(db, 'PRAGMA foreign_keys = OFF');
  await run(db, 'BEGIN IMMEDIATE');
  try {
    await work();
    const { rows } = await sql.raw('PRAGMA foreign_key_check').execute(db);
    if (rows.length > 0) throw new Error(`foreign key check failed after the rebuild: ${JSON.stringify(rows[0])}`);
    await run(db, 'COMMIT');
  } catch (error) {
    await run(db, 'ROLLBACK');
    throw error;
  } finally {
    await run(db, 'PRAGMA foreign_keys = ON');
  }
}

export async function up(db: Kysely<unknown>, { engine, timestampType }: MigrationContext): Promise<void> {
  const now = new Date().toISOString();
  if (engine === 'sqlite') {
    await inSqliteRebuild(db, async () => {
      await run(
        db,
        // AUTOINCREMENT: a deleted document's id is never given to another (links, caches and the
        // change log name documents by id).
        `CREATE TABLE documents_new (
          id integer PRIMARY KEY AUTOINCREMENT,
          kind text NOT NULL,
          slug text NOT NULL,
          language text NOT NULL DEFAULT 'en',
          translation_group text,
          title text NOT NULL,
          summary text NOT NULL DEFAULT '',
          body_html text NOT NULL DEFAULT '',
          dated_at text NOT NULL,
          ends_at text,
          time_zone text,
          place text,
          meeting_series_id integer REFERENCES meeting_series(id) ON DELETE SET NULL,
          status text NOT NULL DEFAULT 'draft',
          publish_at text,
          published_at text,
          permalink text UNIQUE,
          is_demo integer NOT NULL DEFAULT 0,
          legacy_key text UNIQUE,
          revision integer NOT NULL DEFAULT 1,
          created_at text NOT NULL,
          updated_at text NOT NULL,
          CONSTRAINT documents_kind_language_slug UNIQUE (kind, language, slug)
        )`,
      );
      await sql`INSERT INTO documents_new (id, kind, slug, language, translation_group, title, summary, body_html,
          dated_at, ends_at, time_zone, place, meeting_series_id, status, publish_at, published_at, permalink,
          is_demo, legacy_key, revision, created_at, updated_at)
        SELECT id, kind, slug, language, translation_group, title, summary, body_html,
          published_at, ends_at, NULL, place, meeting_series_id, status,
          CASE WHEN published_at > ${now} THEN published_at END,
          CASE WHEN status = 'published' THEN published_at END,
          ${sql.raw(permalinkSql('published_at', 'substr($, 1, 4)', 'substr($, 6, 2)'))},
          is_demo, legacy_key, revision, created_at, updated_at
        FROM documents`.execute(db);
      await run(db, SOURCES_TABLE(engine));
      await run(
        db,
        'INSERT INTO document_sources (document_id, structure_id, position) SELECT id, source_id, 0 FROM documents WHERE source_id IS NOT NULL',
      );
      await run(db, 'DROP TABLE documents');
      await run(db, 'ALTER TABLE documents_new RENAME TO documents');
      for (const statement of DOCUMENT_INDEXES) await run(db, statement);
      await run(db, 'CREATE INDEX document_sources_by_structure ON document_sources (structure_id, document_id)');
      await run(db, CHANGES_TABLE(engine, timestampType));
    });
    return;
  }
  await run(db, 'ALTER TABLE documents RENAME COLUMN published_at TO dated_at');
  await run(
    db,
    'ALTER TABLE documents ADD COLUMN time_zone text, ADD COLUMN publish_at timestamptz, ADD COLUMN published_at timestamptz, ADD COLUMN permalink text UNIQUE',
  );
  await sql`UPDATE documents SET
      publish_at = CASE WHEN dated_at > ${now}::timestamptz THEN dated_at END,
      published_at = CASE WHEN status = 'published' THEN dated_at END,
      permalink = ${sql.raw(permalinkSql('dated_at', "to_char($ AT TIME ZONE 'UTC', 'YYYY')", "to_char($ AT TIME ZONE 'UTC', 'MM')"))}`.execute(
    db,
  );
  await run(db, SOURCES_TABLE(engine));
  await run(
    db,
    'INSERT INTO document_sources (document_id, structure_id, position) SELECT id, source_id, 0 FROM documents WHERE source_id IS NOT NULL',
  );
  await run(db, 'CREATE INDEX document_sources_by_structure ON document_sources (structure_id, document_id)');
  await run(db, 'DROP INDEX IF EXISTS documents_source_public');
  await run(db, 'DROP INDEX IF EXISTS documents_public');
  await run(db, 'DROP INDEX IF EXISTS documents_kind_public');
  await run(db, 'DROP INDEX IF EXISTS documents_meeting_series');
  for (const statement of DOCUMENT_INDEXES) await run(db, statement);
  await run(db, 'DROP INDEX IF EXISTS documents_updated_at');
  await run(db, 'ALTER TABLE documents DROP COLUMN source_id');
  await run(db, CHANGES_TABLE(engine, timestampType));
}

/**
 * Back to one date and one source. What the old schema cannot hold is lost: co-issuers after the
 * lead, time zones, and the difference between a document's date and its embargo (the later of
 * the two becomes the old `published_at`, so nothing embargoed becomes public early).
 */
export async function down(db: Kysely<unknown>, { engine, timestampType }: MigrationContext): Promise<void> {
  const lead =
    '(SELECT s.structure_id FROM document_sources s WHERE s.document_id = documents.id ORDER BY s.position LIMIT 1)';
  const latestDate = 'CASE WHEN publish_at IS NOT NULL AND publish_at > dated_at THEN publish_at ELSE dated_at END';
  if (engine === 'sqlite') {
    await inSqliteRebuild(db, async () => {
      await run(
        db,
        `CREATE TABLE documents_old (
          id integer PRIMARY KEY,
          kind text NOT NULL,
          slug text NOT NULL,
          language text NOT NULL DEFAULT 'en',
          translation_group text,
          title text NOT NULL,
          summary text NOT NULL DEFAULT '',
          body_html text NOT NULL DEFAULT '',
          published_at ${timestampType} NOT NULL,
          ends_at ${timestampType},
          place text,
          source_id integer REFERENCES structures(id) ON DELETE SET NULL,
          meeting_series_id integer REFERENCES meeting_series(id) ON DELETE SET NULL,
          status text NOT NULL DEFAULT 'draft',
          is_demo integer NOT NULL DEFAULT 0,
          legacy_key text UNIQUE,
          revision integer NOT NULL DEFAULT 1,
          created_at ${timestampType} NOT NULL,
          updated_at ${timestampType} NOT NULL,
          CONSTRAINT documents_kind_language_slug UNIQUE (kind, language, slug)
        )`,
      );
      await run(
        db,
        `INSERT INTO documents_old (id, kind, slug, language, translation_group, title, summary, body_html,
          published_at, ends_at, place, source_id, meeting_series_id, status, is_demo, legacy_key, revision,
          created_at, updated_at)
        SELECT id, kind, slug, language, translation_group, title, summary, body_html,
          ${latestDate}, ends_at, place, ${lead}, meeting_series_id, status, is_demo, legacy_key, revision,
          created_at, updated_at
        FROM documents`,
      );
      await run(db, 'DROP TABLE document_changes');
      await run(db, 'DROP TABLE document_sources');
      await run(db, 'DROP TABLE documents');
      await run(db, 'ALTER TABLE documents_old RENAME TO documents');
      await run(db, 'CREATE INDEX documents_public ON documents (status, published_at)');
      await run(db, 'CREATE INDEX documents_kind_public ON documents (kind, status, published_at)');
      await run(db, 'CREATE INDEX documents_source_public ON documents (source_id, status, published_at)');
      await run(db, 'CREATE INDEX documents_meeting_series ON documents (meeting_series_id, published_at)');
      await run(db, 'CREATE INDEX documents_updated_at ON documents (updated_at)');
    });
    return;
  }
  await run(db, 'ALTER TABLE documents ADD COLUMN source_id integer REFERENCES structures(id) ON DELETE SET NULL');
  await run(db, `UPDATE documents SET source_id = ${lead}, dated_at = ${latestDate}`);
  await run(db, 'DROP TABLE document_changes');
  await run(db, 'DROP TABLE document_sources');
  await run(
    db,
    'ALTER TABLE documents DROP COLUMN time_zone, DROP COLUMN publish_at, DROP COLUMN published_at, DROP COLUMN permalink',
  );
  await run(db, 'ALTER TABLE documents RENAME COLUMN dated_at TO published_at');
  await run(db, 'CREATE INDEX documents_source_public ON documents (source_id, status, published_at)');
  await run(db, 'CREATE INDEX documents_updated_at ON documents (updated_at)');
}
