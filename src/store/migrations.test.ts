// The migration to one date per meaning, several sources and the change log, run on a database
// that the previous schema made and filled: nothing may be lost, nothing may become public early,
// and going back and forth keeps the data.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findVisibleDocumentByPath } from '../documents/reader.ts';
import { whereVisible } from '../documents/visibility.ts';
import { MIGRATION_NAMES } from './migrate.ts';
import { type Db, openStore, type Store } from './store.ts';

const PREVIOUS = '2026-11-30-search-index';
const THIS_ONE = '2026-12-01-dates-sources-changes';
const FUTURE = '2099-06-01T09:00:00.000Z';

type Row = Record<string, unknown>;

async function rows(db: Db, query: string): Promise<Row[]> {
  const { rows: result } = await sql.raw<Row>(query).execute(db);
  return result;
}

async function columnsOf(db: Db, table: string): Promise<string[]> {
  return (await rows(db, `PRAGMA table_info(${table})`)).map((column) => String(column.name));
}

async function indexesOf(db: Db, table: string): Promise<string[]> {
  return (await rows(db, `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = '${table}' ORDER BY name`))
    .map((index) => String(index.name))
    .filter((name) => !name.startsWith('sqlite_autoindex_'));
}

async function indexColumns(db: Db, index: string): Promise<string[]> {
  return (await rows(db, `PRAGMA index_info(${index})`)).map((column) => String(column.name));
}

async function tableExists(db: Db, table: string): Promise<boolean> {
  return (await rows(db, `SELECT name FROM sqlite_master WHERE type = 'table' AND name = '${table}'`)).length === 1;
}

async function ftsMatches(db: Db, query: string): Promise<number[]> {
  const found = await sql<{
    rowid: number;
  }>`SELECT rowid FROM document_fts WHERE document_fts MATCH ${query} ORDER BY rowid`.execute(db);
  return found.rows.map((row) => Number(row.rowid));
}

/** Fails (throws) when the FTS5 index disagrees with its content table. */
async function ftsIntegrityCheck(db: Db): Promise<void> {
  await sql`INSERT INTO document_fts(document_fts) VALUES('integrity-check')`.execute(db);
}

async function foreignKeysOn(db: Db): Promise<number> {
  const [row] = await rows(db, 'PRAGMA foreign_keys');
  return Number(row?.foreign_keys);
}

/** The tables this migration must not touch, in full. */
const UNTOUCHED_TABLES = [
  'fields_of_work',
  'countries',
  'structures',
  'meeting_series',
  'chairpersonships',
  'document_fields',
  'document_countries',
  'document_revisions',
  'document_texts',
] as const;

async function untouchedTables(db: Db): Promise<Record<string, Row[]>> {
  const result: Record<string, Row[]> = {};
  for (const table of UNTOUCHED_TABLES) result[table] = await rows(db, `SELECT * FROM ${table} ORDER BY 1, 2`);
  return result;
}

/** A document row as the old schema stored it. */
interface OldDocument {
  id: number;
  kind: string;
  slug: string;
  language: string;
  translation_group: string | null;
  title: string;
  summary: string;
  body_html: string;
  published_at: string;
  ends_at: string | null;
  place: string | null;
  source_id: number | null;
  meeting_series_id: number | null;
  status: string;
  is_demo: number;
  legacy_key: string | null;
  revision: number;
  created_at: string;
  updated_at: string;
}

const OLD_COLUMNS = [
  'id',
  'kind',
  'slug',
  'language',
  'translation_group',
  'title',
  'summary',
  'body_html',
  'published_at',
  'ends_at',
  'place',
  'source_id',
  'meeting_series_id',
  'status',
  'is_demo',
  'legacy_key',
  'revision',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof OldDocument)[];

const NEW_COLUMNS = [
  'id',
  'kind',
  'slug',
  'language',
  'translation_group',
  'title',
  'summary',
  'body_html',
  'dated_at',
  'ends_at',
  'time_zone',
  'place',
  'meeting_series_id',
  'status',
  'publish_at',
  'published_at',
  'permalink',
  'is_demo',
  'legacy_key',
  'revision',
  'created_at',
  'updated_at',
];

const doc = (fields: Partial<OldDocument> & Pick<OldDocument, 'id' | 'kind' | 'slug' | 'title' | 'published_at'>) => ({
  language: 'en',
  translation_group: null,
  summary: `Summary of ${fields.title}`,
  body_html: `<p>Body of ${fields.title}</p>`,
  ends_at: null,
  place: null,
  source_id: null,
  meeting_series_id: null,
  status: 'published',
  is_demo: 0,
  legacy_key: null,
  revision: 1,
  created_at: '2026-01-02T03:04:05.000Z',
  updated_at: '2026-01-02T03:04:05.000Z',
  ...fields,
});

const OLD_DOCUMENTS: OldDocument[] = [
  doc({
    id: 1,
    kind: 'press-release',
    slug: 'osce-plays-key-role-in-fight-against-human-trafficking',
    title: 'OSCE plays key role in fight against human trafficking',
    summary: 'Trafficking in human beings is a crime.',
    body_html: '<p>Victims of <strong>trafficking</strong> need protection.</p>',
    published_at: '2007-09-11T00:00:00.000Z',
    place: 'Vienna',
    source_id: 11,
    meeting_series_id: 1,
    translation_group: 'trafficking-2007',
    legacy_key: 'legacy:2007-09-11-trafficking',
    revision: 3,
    created_at: '2007-09-11T08:00:00.000Z',
    updated_at: '2007-09-12T09:30:00.000Z',
  }),
  doc({
    id: 2,
    kind: 'news',
    slug: 'ceasefire-monitors-deployed',
    title: 'Ceasefire monitors deployed',
    published_at: '2024-05-03T10:00:00.000Z',
    source_id: 10,
    is_demo: 1,
  }),
  doc({
    id: 3,
    kind: 'statement',
    slug: 'draft-statement-on-elections',
    title: 'Draft statement on elections',
    published_at: '2025-01-15T00:00:00.000Z',
    status: 'draft',
    source_id: 12,
  }),
  doc({
    id: 4,
    kind: 'event',
    slug: 'ministerial-council-2099',
    title: 'Ministerial Council 2099',
    published_at: FUTURE,
    ends_at: '2099-06-03T17:00:00.000Z',
    place: 'Valletta',
    source_id: 11,
    meeting_series_id: 1,
  }),
  doc({
    id: 5,
    kind: 'page',
    slug: 'about-us',
    title: 'About us',
    published_at: '2020-01-01T00:00:00.000Z',
    legacy_key: 'legacy:about-us',
  }),
  doc({
    id: 6,
    kind: 'press-release',
    slug: 'declaration-commune-sur-la-traite',
    language: 'fr',
    translation_group: 'trafficking-2007',
    title: 'Déclaration commune sur la traite',
    body_html: '<p>La traite des êtres humains.</p>',
    published_at: '2023-11-20T14:15:00.000Z',
    source_id: 10,
  }),
];

/** What the migration must make of each old row (the columns it derives). */
const DERIVED: Record<number, { publish_at: string | null; published_at: string | null; permalink: string | null }> = {
  1: {
    publish_at: null,
    published_at: '2007-09-11T00:00:00.000Z',
    permalink: '/press-releases/2007/09/osce-plays-key-role-in-fight-against-human-trafficking',
  },
  2: {
    publish_at: null,
    published_at: '2024-05-03T10:00:00.000Z',
    permalink: '/news/2024/05/ceasefire-monitors-deployed',
  },
  3: { publish_at: null, published_at: null, permalink: null },
  4: { publish_at: FUTURE, published_at: FUTURE, permalink: '/events/2099/06/ministerial-council-2099' },
  5: { publish_at: null, published_at: '2020-01-01T00:00:00.000Z', permalink: '/about-us' },
  6: {
    publish_at: null,
    published_at: '2023-11-20T14:15:00.000Z',
    permalink: '/fr/press-releases/2023/11/declaration-commune-sur-la-traite',
  },
};

/** The row the new schema should hold for an old one. */
function migrated(old: OldDocument): Row {
  const { published_at, source_id: _sourceId, ...rest } = old;
  const derived = DERIVED[old.id];
  if (!derived) throw new Error(`no expectation for document ${old.id}`);
  return { ...rest, dated_at: published_at, time_zone: null, ...derived };
}

async function seedOldSchema(db: Db): Promise<void> {
  const statements = [
    `INSERT INTO fields_of_work (id, slug, name, kind, summary, position) VALUES
      (1, 'combating-trafficking-in-human-beings', 'Combating trafficking in human beings', 'field', 'Trafficking.', 0),
      (2, 'elections', 'Elections', 'field', 'Observing elections.', 1),
      (3, 'human-rights', 'Human rights', 'section', '', 2)`,
    `INSERT INTO countries (id, slug, name, iso_code, role, since_year, capital, position) VALUES
      (1, 'austria', 'Austria', 'AT', 'participating', 1973, 'Vienna', 0),
      (2, 'malta', 'Malta', 'MT', 'participating', 1973, 'Valletta', 1),
      (3, 'japan', 'Japan', 'JP', 'asian-partner', 1992, NULL, 2)`,
    `INSERT INTO structures (id, slug, name, short_name, kind, parent_id, seat, country_id, territory, opened_year,
        closed_year, summary, aliases, position) VALUES
      (10, 'secretariat', 'Secretariat', NULL, 'secretariat', NULL, 'Vienna', 1, NULL, NULL, NULL, 'Supports.', '["OSCE Secretariat"]', 0),
      (11, 'secretary-general', 'Secretary General', 'SG', 'office', 10, 'Vienna', 1, NULL, 1993, NULL, NULL, '[]', 0),
      (12, 'odihr', 'Office for Democratic Institutions and Human Rights', 'ODIHR', 'institution', 10, 'Warsaw', NULL, NULL, 1991, NULL, NULL, '["ODIHR"]', 1),
      (13, 'mission-to-skopje', 'Mission to Skopje', NULL, 'field-operation', 12, 'Skopje', NULL, 'North Macedonia', 1992, 2030, NULL, '[]', 0)`,
    `INSERT INTO meeting_series (id, slug, name, summary, position) VALUES
      (1, 'ministerial-council', 'Ministerial Council', 'Foreign ministers meet yearly.', 0)`,
    `INSERT INTO chairpersonships (year, country_id, country_name, adjective, title) VALUES
      (2099, 2, 'Malta', 'Maltese', 'Maltese Chairpersonship')`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);

  for (const document of OLD_DOCUMENTS) {
    const values = OLD_COLUMNS.map((column) => document[column]);
    await sql`INSERT INTO documents (${sql.raw(OLD_COLUMNS.join(', '))}) VALUES (${sql.join(values)})`.execute(db);
  }

  const terms = [
    'INSERT INTO document_fields (document_id, field_id, position) VALUES (1, 3, 0), (1, 1, 1), (3, 2, 0), (6, 1, 0)',
    'INSERT INTO document_countries (document_id, country_id, position) VALUES (1, 1, 0), (4, 2, 0), (4, 3, 1)',
    `INSERT INTO document_revisions (document_id, revision, snapshot, note, created_at) VALUES
      (1, 1, '{"title":"OSCE plays key role"}', 'imported', '2007-09-11T08:00:00.000Z'),
      (1, 2, '{"title":"OSCE plays a key role"}', NULL, '2007-09-12T09:00:00.000Z'),
      (1, 3, '{"title":"OSCE plays key role in fight against human trafficking"}', 'typo', '2007-09-12T09:30:00.000Z'),
      (2, 1, '{"title":"Ceasefire monitors deployed"}', NULL, '2026-01-02T03:04:05.000Z'),
      (3, 1, '{"title":"Draft statement on elections"}', NULL, '2026-01-02T03:04:05.000Z')`,
  ];
  for (const statement of terms) await sql.raw(statement).execute(db);

  // The plain text and its FTS5 index, as the writer of the old schema kept them.
  const texts: [number, string, string, string][] = [
    [
      1,
      OLD_DOCUMENTS[0]?.title ?? '',
      'Trafficking in human beings is a crime.',
      'Victims of trafficking need protection.',
    ],
    [2, 'Ceasefire monitors deployed', 'Monitors arrive.', 'The ceasefire holds along the line.'],
    [3, 'Draft statement on elections', '', 'Elections were observed.'],
    [4, 'Ministerial Council 2099', 'Foreign ministers meet in Valletta.', 'An agenda for the ministerial meeting.'],
    [6, 'Déclaration commune sur la traite', '', 'La traite des êtres humains.'],
  ];
  for (const [id, title, summary, body] of texts) {
    await sql`INSERT INTO document_texts (document_id, title, summary, body) VALUES (${id}, ${title}, ${summary}, ${body})`.execute(
      db,
    );
    await sql`INSERT INTO document_fts (rowid, title, summary, body) VALUES (${id}, ${title}, ${summary}, ${body})`.execute(
      db,
    );
  }
}

describe(`migration ${THIS_ONE} on a database of the previous schema`, () => {
  let directory: string;
  let store: Store;
  let before: Record<string, Row[]>;

  beforeAll(async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'dateline-migration-'));
    store = await openStore(`sqlite:${path.join(directory, 'old.db')}`);
    expect(await store.migrate(PREVIOUS)).toEqual([
      'applied: 2026-11-30-initial-schema',
      'applied: 2026-11-30-search-index',
    ]);
    await seedOldSchema(store.db);
    before = await untouchedTables(store.db);
  });

  afterAll(async () => {
    await store?.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('starts from the old schema, as the previous migrations left it', async () => {
    expect(MIGRATION_NAMES[MIGRATION_NAMES.indexOf(PREVIOUS) + 1]).toBe(THIS_ONE);
    expect(await columnsOf(store.db, 'documents')).toEqual([...OLD_COLUMNS]);
    expect(await rows(store.db, `SELECT ${OLD_COLUMNS.join(', ')} FROM documents ORDER BY id`)).toEqual(OLD_DOCUMENTS);
    expect(await ftsMatches(store.db, 'trafficking')).toEqual([1]);
  });

  it('migrates up keeping every row and value, deriving the new dates, permalinks and sources', async () => {
    expect(await store.migrate(THIS_ONE)).toEqual([`applied: ${THIS_ONE}`]);
    const db = store.db;

    expect(await columnsOf(db, 'documents')).toEqual(NEW_COLUMNS);
    expect(await rows(db, `SELECT ${NEW_COLUMNS.join(', ')} FROM documents ORDER BY id`)).toEqual(
      OLD_DOCUMENTS.map(migrated),
    );
    expect(
      await rows(db, 'SELECT document_id, structure_id, position FROM document_sources ORDER BY document_id'),
    ).toEqual(
      OLD_DOCUMENTS.filter((old) => old.source_id !== null).map((old) => ({
        document_id: old.id,
        structure_id: old.source_id,
        position: 0,
      })),
    );
    expect(await untouchedTables(db)).toEqual(before);
    expect(await tableExists(db, 'document_changes')).toBe(true);
    expect(await rows(db, 'SELECT * FROM document_changes')).toEqual([]);
  });

  it('leaves the database consistent: foreign keys checked and back on, indexes rebuilt', async () => {
    const db = store.db;
    expect(await rows(db, 'PRAGMA foreign_key_check')).toEqual([]);
    expect(await foreignKeysOn(db)).toBe(1);
    expect(await rows(db, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    expect(await indexesOf(db, 'documents')).toEqual([
      'documents_kind_public',
      'documents_meeting_series',
      'documents_public',
    ]);
    expect(await indexColumns(db, 'documents_public')).toEqual(['status', 'dated_at', 'publish_at']);
    expect(await indexColumns(db, 'documents_kind_public')).toEqual(['kind', 'status', 'dated_at', 'publish_at']);
    expect(await indexColumns(db, 'documents_meeting_series')).toEqual(['meeting_series_id', 'dated_at']);
    expect(await indexesOf(db, 'document_sources')).toEqual(['document_sources_by_structure']);
    expect(await indexColumns(db, 'document_sources_by_structure')).toEqual(['structure_id', 'document_id']);
    // The terms' indexes, on tables not rebuilt, are still there.
    expect(await indexesOf(db, 'document_fields')).toEqual(['document_fields_by_term']);
  });

  it('keeps the full-text index in step with the texts', async () => {
    const db = store.db;
    await ftsIntegrityCheck(db);
    expect(await ftsMatches(db, 'trafficking')).toEqual([1]);
    expect(await ftsMatches(db, 'ceasefire')).toEqual([2]);
    expect(await ftsMatches(db, 'traite')).toEqual([6]);
    expect(await ftsMatches(db, 'ministerial')).toEqual([4]);
  });

  it('shows readers what the old schema showed them: the future-dated document stays hidden', async () => {
    const db = store.db;
    const now = new Date().toISOString();
    const visible = await whereVisible(db.selectFrom('documents as d'), now).select('d.id').orderBy('d.id').execute();
    expect(visible.map((row) => row.id)).toEqual([1, 2, 5, 6]);
    // Once its date comes, it appears.
    const then = await whereVisible(db.selectFrom('documents as d'), '2099-06-01T09:00:00.000Z')
      .select('d.id')
      .orderBy('d.id')
      .execute();
    expect(then.map((row) => row.id)).toEqual([1, 2, 4, 5, 6]);

    const found = await findVisibleDocumentByPath(
      db,
      '/fr/press-releases/2023/11/declaration-commune-sur-la-traite',
      now,
    );
    expect(found?.id).toBe(6);
    expect(found?.sourceIds).toEqual([10]);
    expect((await findVisibleDocumentByPath(db, '/about-us', now))?.id).toBe(5);
  });

  it('migrates down to one date and one source: the lead, and the later of date and embargo', async () => {
    const db = store.db;
    // What only the new schema can say: an embargo after the date, a co-issuer before the old source.
    await sql`UPDATE documents SET publish_at = '2024-05-10T08:00:00.000Z' WHERE id = 2`.execute(db);
    await sql`UPDATE documents SET time_zone = 'Europe/Malta' WHERE id = 4`.execute(db);
    await sql`UPDATE document_sources SET position = 1 WHERE document_id = 6`.execute(db);
    await sql`INSERT INTO document_sources (document_id, structure_id, position) VALUES (6, 13, 0), (1, 12, 1)`.execute(
      db,
    );
    await sql`INSERT INTO document_changes (document_id, action, revision, at) VALUES (2, 'updated', 2, '2026-12-01T00:00:00.000Z')`.execute(
      db,
    );

    expect(await store.migrate(PREVIOUS)).toEqual([`reverted: ${THIS_ONE}`]);

    expect(await columnsOf(db, 'documents')).toEqual([...OLD_COLUMNS]);
    const expected = OLD_DOCUMENTS.map((old) =>
      old.id === 2
        ? { ...old, published_at: '2024-05-10T08:00:00.000Z' }
        : old.id === 6
          ? { ...old, source_id: 13 }
          : old,
    );
    expect(await rows(db, `SELECT ${OLD_COLUMNS.join(', ')} FROM documents ORDER BY id`)).toEqual(expected);
    expect(await tableExists(db, 'document_sources')).toBe(false);
    expect(await tableExists(db, 'document_changes')).toBe(false);
    expect(await untouchedTables(db)).toEqual(before);

    expect(await rows(db, 'PRAGMA foreign_key_check')).toEqual([]);
    expect(await foreignKeysOn(db)).toBe(1);
    expect(await indexesOf(db, 'documents')).toEqual([
      'documents_kind_public',
      'documents_meeting_series',
      'documents_public',
      'documents_source_public',
      'documents_updated_at',
    ]);
    expect(await indexColumns(db, 'documents_public')).toEqual(['status', 'published_at']);
    expect(await indexColumns(db, 'documents_source_public')).toEqual(['source_id', 'status', 'published_at']);
    await ftsIntegrityCheck(db);
    expect(await ftsMatches(db, 'trafficking')).toEqual([1]);
  });

  it('migrates up again from the reverted database', async () => {
    const db = store.db;
    expect(await store.migrate(THIS_ONE)).toEqual([`applied: ${THIS_ONE}`]);
    const documents = await rows(db, `SELECT ${NEW_COLUMNS.join(', ')} FROM documents ORDER BY id`);
    expect(documents).toHaveLength(OLD_DOCUMENTS.length);
    expect(documents.find((row) => row.id === 2)).toMatchObject({
      dated_at: '2024-05-10T08:00:00.000Z',
      publish_at: null,
      published_at: '2024-05-10T08:00:00.000Z',
      permalink: '/news/2024/05/ceasefire-monitors-deployed',
    });
    expect(documents.find((row) => row.id === 4)).toMatchObject({ publish_at: FUTURE, time_zone: null });
    expect(
      await rows(db, 'SELECT document_id, structure_id, position FROM document_sources ORDER BY document_id'),
    ).toEqual([
      { document_id: 1, structure_id: 11, position: 0 },
      { document_id: 2, structure_id: 10, position: 0 },
      { document_id: 3, structure_id: 12, position: 0 },
      { document_id: 4, structure_id: 11, position: 0 },
      { document_id: 6, structure_id: 13, position: 0 },
    ]);
    expect(await untouchedTables(db)).toEqual(before);
    expect(await rows(db, 'PRAGMA foreign_key_check')).toEqual([]);
    expect(await foreignKeysOn(db)).toBe(1);
    await ftsIntegrityCheck(db);
    expect(await ftsMatches(db, 'ceasefire')).toEqual([2]);
  });

  it('keeps the foreign keys of the other tables pointing at the rebuilt documents table', async () => {
    const db = store.db;
    const references = await rows(db, 'PRAGMA foreign_key_list(document_fields)');
    expect(references.map((reference) => reference.table).sort()).toEqual(['documents', 'fields_of_work']);
    await expect(
      sql`INSERT INTO document_fields (document_id, field_id, position) VALUES (999, 1, 0)`.execute(db),
    ).rejects.toThrow(/FOREIGN KEY/);
    // Deleting a document cascades to its terms, sources, revisions and text.
    await sql`DELETE FROM documents WHERE id = 1`.execute(db);
    for (const table of [
      'document_fields',
      'document_countries',
      'document_sources',
      'document_revisions',
      'document_texts',
    ]) {
      expect(await rows(db, `SELECT * FROM ${table} WHERE document_id = 1`), table).toEqual([]);
    }
    expect(await rows(db, 'PRAGMA foreign_key_check')).toEqual([]);
  });

  it("never gives a deleted document's id to another one", async () => {
    const db = store.db;
    const [newest] = await rows(db, 'SELECT max(id) AS id FROM documents');
    const highest = Number(newest?.id);
    expect(highest).toBe(6);
    await sql`DELETE FROM documents WHERE id = ${highest}`.execute(db);
    const { rows: inserted } = await sql<{ id: number }>`INSERT INTO documents (kind, slug, title, dated_at, status,
        created_at, updated_at) VALUES ('news', 'after-the-migration', 'After the migration', '2026-12-02T00:00:00.000Z',
        'draft', '2026-12-02T00:00:00.000Z', '2026-12-02T00:00:00.000Z') RETURNING id`.execute(db);
    expect(inserted[0]?.id).toBe(highest + 1);
  });

  it("the next migration builds the headings' index from the stored texts; its down drops it", async () => {
    const db = store.db;
    expect(await store.migrate('2026-12-02-heading-index')).toEqual(['applied: 2026-12-02-heading-index']);
    const [texts] = await rows(db, 'SELECT count(*) AS n FROM document_texts');
    const [indexed] = await rows(db, 'SELECT count(*) AS n FROM heading_fts_docsize');
    expect(Number(indexed?.n)).toBe(Number(texts?.n));
    await sql`INSERT INTO heading_fts(heading_fts) VALUES('integrity-check')`.execute(db);
    const [first] = await rows(db, 'SELECT document_id, title FROM document_texts ORDER BY document_id LIMIT 1');
    const word = String(first?.title).split(/\s+/).at(-1) as string;
    const found = await sql<{
      rowid: number;
    }>`SELECT rowid FROM heading_fts WHERE heading_fts MATCH ${`{title} : "${word}"`}`.execute(db);
    expect(found.rows.map((row) => Number(row.rowid))).toContain(Number(first?.document_id));
    expect(await store.migrate(THIS_ONE)).toEqual(['reverted: 2026-12-02-heading-index']);
    expect(await tableExists(db, 'heading_fts')).toBe(false);
    await ftsIntegrityCheck(db);
  });

  it('the prefix indexes rebuild both indexes with prefix=3 and find the same documents; down restores them', async () => {
    const db = store.db;
    await store.migrate('2026-12-02-heading-index');
    const [first] = await rows(db, 'SELECT title FROM document_texts ORDER BY document_id LIMIT 1');
    const prefix = `"${String(first?.title).toLowerCase().slice(0, 3)}" *`;
    const prefixQuery = sql<{
      rowid: number;
    }>`SELECT rowid FROM document_fts WHERE document_fts MATCH ${prefix} ORDER BY rowid`;
    const before = (await prefixQuery.execute(db)).rows;
    expect(before.length).toBeGreaterThan(0);
    expect(await store.migrate('2026-12-02-prefix-indexes')).toEqual(['applied: 2026-12-02-prefix-indexes']);
    const definitions = await rows(
      db,
      "SELECT name, sql FROM sqlite_master WHERE name IN ('document_fts', 'heading_fts')",
    );
    expect(definitions).toHaveLength(2);
    for (const { name, sql: definition } of definitions)
      expect(String(definition), String(name)).toContain("prefix='3'");
    expect((await prefixQuery.execute(db)).rows).toEqual(before);
    await ftsIntegrityCheck(db);
    await sql`INSERT INTO heading_fts(heading_fts) VALUES('integrity-check')`.execute(db);
    // The ranking's weights survive the rebuild.
    const [rank] = await rows(db, "SELECT v FROM document_fts_config WHERE k = 'rank'");
    expect(rank?.v).toBe('bm25(10.0, 4.0, 1.0)');
    expect(await store.migrate('2026-12-02-heading-index')).toEqual(['reverted: 2026-12-02-prefix-indexes']);
    for (const { sql: definition } of await rows(
      db,
      "SELECT sql FROM sqlite_master WHERE name IN ('document_fts', 'heading_fts')",
    ))
      expect(String(definition)).not.toContain('prefix=');
    expect((await prefixQuery.execute(db)).rows).toEqual(before);
    await ftsIntegrityCheck(db);
  });
});
