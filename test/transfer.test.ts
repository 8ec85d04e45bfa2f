// Moving a site between engines, losslessly: export, import, migrate-data and backup, on both
// engines at once (this suite opens each itself, so it is not in ON_BOTH_ENGINES).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type ProgressStream } from '../src/cli.ts';
import { writerFor } from '../src/compose.ts';
import { latestChangeSeq } from '../src/documents/change-log.ts';
import type { DocumentInput, DocumentWriter } from '../src/documents/writer.ts';
import { ImportFormatError, StartupError } from '../src/errors.ts';
import { searchFor } from '../src/search/providers.ts';
import { parseSearchQuery, type SearchQuery } from '../src/search/query.ts';
import { MIGRATION_NAMES } from '../src/store/migrate.ts';
import { openStore, type Store } from '../src/store/store.ts';
import { backupSqliteFile, pgDumpCommand } from '../src/transfer/backup.ts';
import { exportDatabase, type LineSink } from '../src/transfer/export.ts';
import { TABLES } from '../src/transfer/format.ts';
import { type ImportOptions, importDatabase } from '../src/transfer/import.ts';
import { appliedMigrations } from '../src/transfer/schema-state.ts';
import { linePipe, linesOf } from '../src/transfer/streams.ts';
import { createTestDatabase, skipPostgres, type TestDatabase } from './support/postgres.ts';
import { buildTestStore, type TestStore } from './support/test-app.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEMO = 200;
/** A word only the document with a history holds, and words every engine finds in many. */
const RARE_WORD = 'Zanzibarian';
const SEARCHES = [RARE_WORD, 'security', 'human rights', 'elect*', '"field operation"'];

/** The whole export as text, as a file would hold it. */
async function exportText(store: Store, pageSize?: number): Promise<string> {
  const chunks: string[] = [];
  const sink: LineSink = {
    async write(lines) {
      chunks.push(`${lines.join('\n')}\n`);
    },
  };
  await exportDatabase(store.db, sink, { pageSize });
  return chunks.join('');
}

async function* linesOfText(text: string): AsyncGenerator<string> {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  yield* lines;
}

function importOptions(store: Store, source = 'test.ndjson'): ImportOptions {
  return {
    source,
    target: 'the test database',
    startOver: 'Start over with a new one.',
    search: searchFor(store.capabilities.engine).search,
  };
}

const importText = (store: Store, text: string, source?: string) =>
  importDatabase(store, linesOfText(text), importOptions(store, source));

/** The first line where two exports differ, for a readable failure (the files are compared whole too). */
function firstDifference(a: string, b: string): string | null {
  const left = a.split('\n');
  const right = b.split('\n');
  for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
    if (left[index] !== right[index]) return `line ${index + 1}:\n  ${left[index]}\n  ${right[index]}`;
  }
  return null;
}

/** Rows in every exported table, by table. */
async function rowCounts(store: Store): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const { name } of TABLES) {
    const { rows } = await sql<{ n: number | string }>`SELECT COUNT(*) AS n FROM ${sql.table(name)}`.execute(store.db);
    counts[name] = Number(rows[0]?.n);
  }
  return counts;
}

const noRows = Object.fromEntries(TABLES.map(({ name }) => [name, 0]));

async function matchingIds(store: Store, text: string): Promise<number[]> {
  const { required } = await searchFor(store.capabilities.engine).search.matchingIds(
    store.db,
    parseSearchQuery(text) as SearchQuery,
  );
  return [...(required ?? [])].sort((a, b) => a - b);
}

const documentInput = (overrides: Partial<DocumentInput>): DocumentInput => ({
  kind: 'press-release',
  slug: 'transfer-test',
  title: 'A document',
  bodyHtml: '<p>Text.</p>',
  datedAt: '2025-03-04T09:00:00.000Z',
  status: 'published',
  ...overrides,
});

/**
 * What demo content lacks: a document with three revisions whose sources, fields and countries
 * changed, an event with a time zone and an end, an embargoed one, text that tests the line
 * format (quotes, a line separator, emoji), and a deleted document with the highest id, so that
 * the counters must be carried (a new document must not take its id).
 */
async function addHistory(store: Store, writer: DocumentWriter): Promise<void> {
  const structures = await store.db.selectFrom('structures').select('id').orderBy('id').limit(4).execute();
  const fields = await store.db.selectFrom('fields_of_work').select('id').orderBy('id').limit(3).execute();
  const countries = await store.db.selectFrom('countries').select('id').orderBy('id').limit(3).execute();
  const ids = (rows: { id: number }[]) => rows.map((row) => row.id);
  const [s1, s2, s3, s4] = ids(structures) as [number, number, number, number];
  const history = documentInput({
    slug: 'a-history',
    title: `${RARE_WORD} talks open in Vienna`,
    summary: 'Quotes " and \\ and a line\u2028separator, 🕊️ and Türkiye.',
    bodyHtml: `<p>The ${RARE_WORD} delegation met.</p><p>Second paragraph.</p>`,
    place: 'Chisinau/Vienna',
    sourceIds: [s1, s2, s3],
    fieldIds: ids(fields),
    countryIds: ids(countries),
  });
  const id = await store.transaction((tx) => writer.create(tx, history, 'first draft'));
  await store.transaction((tx) =>
    writer.update(tx, id, 1, { ...history, sourceIds: [s2, s1, s4], summary: 'Second summary.' }, 'sources'),
  );
  await store.transaction((tx) =>
    writer.update(tx, id, 2, { ...history, sourceIds: [s4, s3, s2, s1], fieldIds: [] }, null),
  );
  await store.transaction((tx) =>
    writer.create(
      tx,
      documentInput({
        kind: 'event',
        slug: 'an-event',
        title: 'Conference on security',
        datedAt: '2025-06-01T07:30:00.000Z',
        endsAt: '2025-06-02T15:00:00.000Z',
        timeZone: 'Europe/Vienna',
        sourceIds: [s2],
      }),
    ),
  );
  await store.transaction((tx) =>
    writer.create(tx, documentInput({ slug: 'embargoed', publishAt: '2099-01-01T00:00:00.000Z', sourceIds: [s1] })),
  );
  const doomed = await store.transaction((tx) => writer.create(tx, documentInput({ slug: 'deleted-later' })));
  await store.transaction((tx) => writer.remove(tx, doomed));
}

/** A new document on the target takes a fresh id and the change log goes on after its position. */
async function expectCountersMoved(store: Store, exported: string): Promise<void> {
  const header = JSON.parse(exported.slice(0, exported.indexOf('\n'))) as {
    lastDocumentId: number;
    lastChangeSeq: number;
    rows: Record<string, number>;
  };
  const highestStored = await store.db
    .selectFrom('documents')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirstOrThrow();
  // The deleted document had the highest id: the counter, not the rows, must have carried it.
  expect(Number(highestStored.id)).toBeLessThan(header.lastDocumentId);
  const id = await store.transaction((tx) => writerFor(store).create(tx, documentInput({ slug: 'after-the-move' })));
  expect(id).toBe(header.lastDocumentId + 1);
  expect(await latestChangeSeq(store.db)).toBe(header.lastChangeSeq + 2); // created, published
  const field = await store.db
    .insertInto('fields_of_work')
    .values({ slug: 'new-field', name: 'New field', kind: 'field', summary: '', position: 99 })
    .returning('id')
    .executeTakeFirstOrThrow();
  expect(field.id).toBe((header.rows.fields_of_work ?? 0) + 1);
}

interface Target {
  store: Store;
  dispose(): Promise<void>;
}

const temporaryDirectories: string[] = [];
function temporaryDirectory(): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'dateline-transfer-'));
  temporaryDirectories.push(directory);
  return directory;
}

async function emptySqlite(): Promise<Target & { url: string }> {
  const url = `sqlite:${path.join(temporaryDirectory(), 'target.db')}`;
  const store = await openStore(url);
  return { store, url, dispose: () => store.close() };
}

async function emptyPostgres(label: string): Promise<Target & { url: string }> {
  const database = await createTestDatabase(label);
  const store = await openStore(database.url);
  return {
    store,
    url: database.url,
    async dispose() {
      await store.close();
      await database.drop();
    },
  };
}

afterAll(() => {
  for (const directory of temporaryDirectories) fs.rmSync(directory, { recursive: true, force: true });
});

/** Runs a command as the shell would; the progress stream is a pipe unless a test passes a terminal. */
async function runCli(argv: string[], env: Record<string, string> = {}, progressStream?: ProgressStream) {
  const out: string[] = [];
  const err: string[] = [];
  const previous = { ...process.env };
  Object.assign(process.env, { BASE_URL: 'http://localhost:3000' }, env);
  try {
    const code = await main(
      argv,
      (line) => out.push(line),
      (line) => err.push(line),
      progressStream ?? Object.assign(new PassThrough(), { isTTY: false }),
    );
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    process.env = previous;
  }
}

describe('export and import between SQLite and PostgreSQL', () => {
  let sqliteSource: TestStore;
  let sqliteExport: string;

  beforeAll(async () => {
    sqliteSource = await buildTestStore({ engine: 'sqlite', demo: DEMO });
    await addHistory(sqliteSource.store, sqliteSource.writer);
    sqliteExport = await exportText(sqliteSource.store);
  }, 120_000);
  afterAll(async () => {
    await sqliteSource?.cleanup();
  });

  it('writes a header, then every row in table and key order, columns in the schema’s order', async () => {
    const lines = sqliteExport.trimEnd().split('\n');
    const header = JSON.parse(lines[0] as string);
    expect(Object.keys(header)).toEqual(['format', 'version', 'schema', 'lastChangeSeq', 'lastDocumentId', 'rows']);
    expect(header).toMatchObject({ format: 'dateline-export', version: 1, schema: MIGRATION_NAMES.at(-1) });
    expect(Object.keys(header.rows)).toEqual(TABLES.map((table) => table.name));
    expect(lines.length - 1).toBe(Object.values(header.rows as Record<string, number>).reduce((a, b) => a + b, 0));
    expect(header.rows).toEqual(await rowCounts(sqliteSource.store));
    expect(header.lastChangeSeq).toBe(await latestChangeSeq(sqliteSource.store.db));
    expect(header.rows.documents).toBe(DEMO + 2 + 3); // the bundled pages, the three kept of addHistory's four

    const rows = lines.slice(1).map((line) => JSON.parse(line) as { table: string; row: Record<string, unknown> });
    const tableOrder = [...new Set(rows.map((line) => line.table))];
    expect(tableOrder).toEqual(TABLES.map((table) => table.name));
    for (const format of TABLES) {
      const own = rows.filter((line) => line.table === format.name);
      for (const line of own) expect(Object.keys(line.row)).toEqual(Object.keys(format.columns));
      const keys = own.map((line) => format.key.map((column) => line.row[column] as number));
      const sorted = [...keys].sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] ?? 0) - (b[1] ?? 0));
      expect(keys, format.name).toEqual(sorted);
    }
    // The history: three revisions, four sources in their last order, the deleted one in the log only.
    const history = rows.find((line) => line.table === 'documents' && line.row.slug === 'a-history')?.row;
    expect(history).toMatchObject({ revision: 3, time_zone: null, is_demo: 0 });
    const revisions = rows.filter(
      (line) => line.table === 'document_revisions' && line.row.document_id === history?.id,
    );
    expect(revisions.map((line) => line.row.revision)).toEqual([1, 2, 3]);
    const sources = rows.filter((line) => line.table === 'document_sources' && line.row.document_id === history?.id);
    expect(sources).toHaveLength(4);
    const deleted = rows.filter((line) => line.table === 'document_changes' && line.row.action === 'deleted');
    expect(deleted).toHaveLength(1);
    expect(deleted[0]?.row.document_id).toBe(header.lastDocumentId);
    // Derived data is rebuilt on import, never exported.
    expect(sqliteExport).not.toContain('"table":"document_texts"');
    expect(sqliteExport).not.toContain('_fts');
    // Nothing about the moment of the export.
    expect(await exportText(sqliteSource.store)).toBe(sqliteExport);
  });

  it('reads in pages of at most a thousand rows and waits for a slow sink', async () => {
    const writes: number[] = [];
    const held: { release: (() => void) | null } = { release: null };
    let waiting = 0;
    const sink: LineSink = {
      write(lines) {
        writes.push(lines.length);
        waiting += 1;
        return new Promise<void>((resolve) => {
          held.release = () => {
            held.release = null;
            waiting -= 1;
            resolve();
          };
        });
      },
    };
    const exporting = exportDatabase(sqliteSource.store.db, sink, { pageSize: 100 });
    for (let turn = 0; turn < 5; turn += 1) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      // One write at a time: the next page is not read while the sink holds the last one.
      expect(waiting).toBe(1);
      held.release?.();
    }
    const pump = setInterval(() => held.release?.(), 0);
    await exporting;
    clearInterval(pump);
    expect(Math.max(...writes)).toBeLessThanOrEqual(100);
    const defaults: number[] = [];
    await exportDatabase(sqliteSource.store.db, {
      async write(lines) {
        defaults.push(lines.length);
      },
    });
    const header = JSON.parse(sqliteExport.slice(0, sqliteExport.indexOf('\n'))) as { rows: Record<string, number> };
    const pages = (size: number) => Object.values(header.rows).reduce((sum, n) => sum + Math.ceil(n / size), 1);
    expect(writes).toHaveLength(pages(100));
    expect(Math.max(...defaults)).toBeLessThanOrEqual(1_000);
    expect(defaults).toHaveLength(pages(1_000));
  });

  it.skipIf(skipPostgres)(
    'SQLite → PostgreSQL → export: the same bytes; search finds the same documents; new rows get new ids',
    async () => {
      const target = await emptyPostgres('transfer_to_pg');
      try {
        const summary = await importText(target.store, sqliteExport);
        expect(summary.indexed).toBe(summary.header.rows.documents);
        const again = await exportText(target.store);
        expect(firstDifference(sqliteExport, again)).toBeNull();
        expect(again).toBe(sqliteExport);
        for (const words of SEARCHES) {
          const expected = await matchingIds(sqliteSource.store, words);
          expect(await matchingIds(target.store, words), words).toEqual(expected);
        }
        expect(await matchingIds(target.store, RARE_WORD)).toHaveLength(1);
        await expectCountersMoved(target.store, sqliteExport);
      } finally {
        await target.dispose();
      }
    },
    120_000,
  );

  it.skipIf(skipPostgres)(
    'PostgreSQL → SQLite → export: the same bytes; search finds the same documents; new rows get new ids',
    async () => {
      const source = await buildTestStore({ engine: 'postgres', demo: DEMO });
      const target = await emptySqlite();
      try {
        await addHistory(source.store, source.writer);
        const exported = await exportText(source.store);
        await importText(target.store, exported);
        const again = await exportText(target.store);
        expect(firstDifference(exported, again)).toBeNull();
        expect(again).toBe(exported);
        for (const words of SEARCHES) {
          expect(await matchingIds(target.store, words), words).toEqual(await matchingIds(source.store, words));
        }
        await expectCountersMoved(target.store, exported);
      } finally {
        await target.dispose();
        await source.cleanup();
      }
    },
    120_000,
  );

  it('SQLite → SQLite keeps the bytes too, and a file of an older schema is migrated after it is loaded', async () => {
    const same = await emptySqlite();
    const older = await emptySqlite();
    try {
      await importText(same.store, sqliteExport);
      expect(await exportText(same.store)).toBe(sqliteExport);
      // The tables of 2026-12-01 are the ones exported today: only derived ones came after.
      const schema = '2026-12-01-dates-sources-changes';
      const oldFile = sqliteExport.replace(`"schema":"${MIGRATION_NAMES.at(-1)}"`, `"schema":"${schema}"`);
      await importText(older.store, oldFile);
      expect((await appliedMigrations(older.store.db)).at(-1)).toBe(MIGRATION_NAMES.at(-1));
      expect(await matchingIds(older.store, RARE_WORD)).toEqual(await matchingIds(sqliteSource.store, RARE_WORD));
      expect(await exportText(older.store)).toBe(sqliteExport);
    } finally {
      await same.dispose();
      await older.dispose();
    }
  });

  describe('refusals', () => {
    it('refuses a database with content, naming what it holds and how to start over; changes nothing', async () => {
      const seeded = await buildTestStore({ engine: 'sqlite' });
      try {
        const before = await rowCounts(seeded.store);
        const error = await importText(seeded.store, sqliteExport).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(StartupError);
        expect((error as StartupError).message).toMatch(
          /^The database the test database is not empty: it holds rows in fields_of_work \(25\), countries \(68\)/,
        );
        expect((error as StartupError).fix).toBe('Start over with a new one.');
        expect(await rowCounts(seeded.store)).toEqual(before);
      } finally {
        await seeded.cleanup();
      }
    });

    const lines = () => sqliteExport.trimEnd().split('\n');
    const lineOf = (all: string[], test: (line: string) => boolean) => all.findIndex(test) + 1;
    const firstOf = (table: string) => (all: string[]) => lineOf(all, (line) => line.includes(`"table":"${table}"`));
    const rowAt = (all: string[], number: number) => JSON.parse(all[number - 1] as string) as Record<string, unknown>;
    const withRow = (all: string[], number: number, change: (row: Record<string, unknown>) => void) => {
      const line = rowAt(all, number);
      change(line.row as Record<string, unknown>);
      all[number - 1] = JSON.stringify(line);
      return all;
    };

    const cases: {
      name: string;
      edit: (all: string[]) => { text: string[]; line: number };
      reason: RegExp;
    }[] = [
      {
        name: 'bad JSON',
        edit: (all) => {
          const line = firstOf('documents')(all) + 7;
          all[line - 1] = (all[line - 1] as string).slice(0, -3);
          return { text: all, line };
        },
        reason: /^not valid JSON/,
      },
      {
        name: 'an empty line',
        edit: (all) => {
          all.splice(30, 0, '');
          return { text: all, line: 31 };
        },
        reason: /^the line is empty$/,
      },
      {
        name: 'an unknown table',
        edit: (all) => {
          const line = firstOf('countries')(all) + 2;
          all[line - 1] = (all[line - 1] as string).replace('"table":"countries"', '"table":"redirects"');
          return { text: all, line };
        },
        reason: /^unknown table "redirects"$/,
      },
      {
        name: 'an unknown column',
        edit: (all) => {
          const line = firstOf('documents')(all) + 3;
          return {
            text: withRow(all, line, (row) => {
              row.colour = 'blue';
            }),
            line,
          };
        },
        reason: /^unknown column "colour" in documents$/,
      },
      {
        name: 'a missing column',
        edit: (all) => {
          const line = firstOf('document_revisions')(all) + 1;
          return {
            text: withRow(all, line, (row) => {
              delete row.snapshot;
            }),
            line,
          };
        },
        reason: /^the row of document_revisions has no "snapshot"$/,
      },
      {
        name: 'a value of the wrong kind',
        edit: (all) => {
          const line = firstOf('documents')(all) + 1;
          return {
            text: withRow(all, line, (row) => {
              row.dated_at = 'yesterday';
            }),
            line,
          };
        },
        reason: /^documents\.dated_at must be a moment such as "2007-09-11T10:00:00\.000Z", not "yesterday"$/,
      },
      {
        name: 'a table out of order',
        edit: (all) => {
          // The header counts one row fewer, so that the table ends where the file says.
          const header = JSON.parse(all[0] as string);
          header.rows.fields_of_work -= 1;
          all[0] = JSON.stringify(header);
          const moved = all.splice(firstOf('fields_of_work')(all) - 1, 1)[0] as string;
          const line = firstOf('documents')(all);
          all.splice(line - 1, 0, moved);
          return { text: all, line };
        },
        reason: /^a row of fields_of_work after those of/,
      },
      {
        name: 'rows out of key order',
        edit: (all) => {
          const line = firstOf('structures')(all) + 1;
          [all[line - 2], all[line - 1]] = [all[line - 1] as string, all[line - 2] as string];
          return { text: all, line };
        },
        reason: /^rows of structures must come in order of id/,
      },
      {
        name: 'a row the database refuses (a source that does not exist)',
        edit: (all) => {
          const line = firstOf('document_sources')(all) + 4;
          return {
            text: withRow(all, line, (row) => {
              row.structure_id = 99_999;
            }),
            line: firstOf('document_sources')(all),
          };
        },
        reason: /^the database refused a row of document_sources on lines \d+–\d+: .*FOREIGN KEY/i,
      },
      {
        name: 'a table with fewer rows than the header counts',
        edit: (all) => {
          all.splice(firstOf('meeting_series')(all) - 1, 1);
          return { text: all, line: firstOf('chairpersonships')(all) };
        },
        reason: /^the header counts 17 rows of meeting_series, the file holds 16 before the rows of chairpersonships$/,
      },
      {
        name: 'a file cut short',
        edit: (all) => {
          const text = all.slice(0, -3);
          return { text, line: text.length + 1 };
        },
        reason: /^the header counts \d+ rows of document_revisions, the file holds \d+: it is cut short$/,
      },
    ];

    it.each(cases)('refuses $name, naming its line; nothing is stored', async ({ edit, reason }) => {
      const target = await emptySqlite();
      try {
        const { text, line } = edit(lines());
        const error = await importText(target.store, `${text.join('\n')}\n`, 'site.ndjson').catch(
          (caught: unknown) => caught,
        );
        expect(error).toBeInstanceOf(ImportFormatError);
        const { message } = error as ImportFormatError;
        expect(message.startsWith(`site.ndjson:${line}: `), message).toBe(true);
        expect(message.slice(`site.ndjson:${line}: `.length)).toMatch(reason);
        expect(await rowCounts(target.store)).toEqual(noRows);
      } finally {
        await target.dispose();
      }
    });

    it.skipIf(skipPostgres)(
      'on PostgreSQL too, a bad last line leaves nothing stored',
      async () => {
        const target = await emptyPostgres('transfer_bad_line');
        try {
          const all = lines();
          all[all.length - 1] = '{"table":"document_revisions","row":';
          const error = await importText(target.store, all.join('\n')).catch((caught: unknown) => caught);
          expect((error as Error).message).toMatch(new RegExp(`^test\\.ndjson:${all.length}: not valid JSON`));
          expect(await rowCounts(target.store)).toEqual(noRows);
          // Nothing stored, so the same database takes the whole file afterwards.
          await importText(target.store, sqliteExport);
          expect(await exportText(target.store)).toBe(sqliteExport);
        } finally {
          await target.dispose();
        }
      },
      60_000,
    );

    const headerCases: { name: string; header: (header: Record<string, unknown>) => string; reason: RegExp }[] = [
      {
        name: 'a newer schema',
        header: (header) => JSON.stringify({ ...header, schema: '2099-01-01-teleportation' }),
        reason:
          /^the file was written at schema 2099-01-01-teleportation, which this version of Dateline does not know \(its newest is .+\): upgrade Dateline to import it$/,
      },
      {
        name: 'a newer format version',
        header: (header) => JSON.stringify({ ...header, version: 2 }),
        reason: /^the file is in format version 2, written by a newer Dateline; this one reads version 1/,
      },
      {
        name: 'a first line that is not a header',
        header: () => '{"table":"fields_of_work","row":{}}',
        reason: /^not a Dateline export: the first line must be its header/,
      },
      {
        name: 'a first line that is not JSON',
        header: () => 'id,slug,name',
        reason: /^not a Dateline export: the first line is not JSON/,
      },
      {
        name: 'row counts of an unknown table',
        header: (header) =>
          JSON.stringify({ ...header, rows: { ...(header.rows as Record<string, number>), redirects: 0 } }),
        reason: /^the header counts rows of "redirects", a table this version of Dateline does not import at schema /,
      },
    ];

    it.each(headerCases)('refuses $name at line 1, before touching the database', async ({ header, reason }) => {
      const target = await emptySqlite();
      try {
        const all = lines();
        all[0] = header(JSON.parse(all[0] as string));
        const error = await importText(target.store, all.join('\n')).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(ImportFormatError);
        expect((error as Error).message.slice('test.ndjson:1: '.length)).toMatch(reason);
        expect((error as Error).message.startsWith('test.ndjson:1: ')).toBe(true);
        if (!/counts rows/.test(reason.source)) expect(await appliedMigrations(target.store.db)).toEqual([]);
        expect(await rowCounts(target.store).catch(() => noRows)).toEqual(noRows);
      } finally {
        await target.dispose();
      }
    });

    it('refuses an empty file', async () => {
      const target = await emptySqlite();
      try {
        await expect(importText(target.store, '')).rejects.toThrow(/^test\.ndjson:1: the file is empty/);
      } finally {
        await target.dispose();
      }
    });

    it('refuses to export a database that is behind this version’s schema', async () => {
      const old = await emptySqlite();
      try {
        await old.store.migrate(MIGRATION_NAMES[2]);
        const error = await exportText(old.store).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(StartupError);
        expect((error as StartupError).fix).toMatch(/dateline migrate/);
      } finally {
        await old.dispose();
      }
    });
  });

  describe('the command line', () => {
    it('export, import, migrate-data and backup answer --help with their own help', async () => {
      for (const command of ['export', 'import', 'migrate-data', 'backup']) {
        const { code, out } = await runCli([command, '--help'], { PORT: 'not a port' });
        expect(code, command).toBe(0);
        expect(out).toContain(`Usage: dateline ${command}`);
      }
      const { out } = await runCli(['--help']);
      for (const line of ['  export FILE ', '  import FILE ', '  migrate-data ', '  backup FILE ']) {
        expect(out).toContain(line);
      }
    });

    it.each([
      [['export'], 'export needs a FILE (a path, or - for standard output)', 'Usage: dateline export'],
      [['export', 'a.ndjson', 'b.ndjson'], 'export takes one FILE, not also "b.ndjson"', 'Usage: dateline export'],
      [['export', '--forse', 'a.ndjson'], "Unknown option '--forse'", 'Usage: dateline export'],
      [['import'], 'import needs a FILE', 'Usage: dateline import'],
      [['import', '--force', 'a.ndjson'], "Unknown option '--force'", 'Usage: dateline import'],
      [['migrate-data', '--from', 'sqlite:a.db'], 'migrate-data needs --to URL', 'Usage: dateline migrate-data'],
      [
        ['migrate-data', '--from', 'mysql://x/y', '--to', 'sqlite:b.db'],
        '--from must be sqlite:FILE or postgres://',
        'Usage: dateline migrate-data',
      ],
      [['migrate-data', '--from'], "Option '--from <value>' argument missing", 'Usage: dateline migrate-data'],
      [['backup'], 'backup needs a FILE', 'Usage: dateline backup'],
    ])('%j is a usage error naming the mistake', async (argv, message, usage) => {
      const { code, err } = await runCli(argv);
      expect(code).toBe(2);
      expect(err).toContain(message);
      expect(err).toContain(usage);
    });

    it('exports to a file, refuses to overwrite it without --force, imports it; a bad line is exit 1 with its line', async () => {
      const directory = temporaryDirectory();
      const file = path.join(directory, 'site.ndjson');
      const source = { DATABASE_URL: `sqlite:${path.join(sqliteSource.directory, 'test.db')}` };
      const exported = await runCli(['export', file], source);
      expect(exported).toMatchObject({ code: 0, err: '' });
      expect(exported.out).toMatch(/^Exported [\d,]+ rows \(205 documents, schema .+\) to .+ in [\d.]+ s\.$/);
      expect(fs.readFileSync(file, 'utf8')).toBe(sqliteExport);
      expect(fs.readdirSync(directory)).toEqual(['site.ndjson']);

      const refused = await runCli(['export', file], source);
      expect(refused.code).toBe(1);
      expect(refused.err).toBe(
        `dateline: ${file} already exists.\nChoose another file name, or add --force to replace it.`,
      );
      expect((await runCli(['export', '--force', file], source)).code).toBe(0);

      const bad = path.join(directory, 'bad.ndjson');
      fs.writeFileSync(bad, sqliteExport.replace('"table":"meeting_series"', '"table":"meetings"'));
      const badLine = sqliteExport.split('\n').findIndex((line) => line.includes('"table":"meeting_series"')) + 1;
      const target = { DATABASE_URL: `sqlite:${path.join(directory, 'imported.db')}` };
      const failed = await runCli(['import', bad], target);
      expect(failed.code).toBe(1);
      expect(failed.err).toBe(`dateline: ${bad}:${badLine}: unknown table "meetings"`);

      const imported = await runCli(['import', file], target);
      expect(imported.code).toBe(0);
      expect(imported.out.split('\n').at(-1)).toMatch(
        /^Imported [\d,]+ rows \(205 documents, schema .+\) in [\d.]+ s; search index rebuilt for 205 documents\.$/,
      );
      const again = await runCli(['import', file], target);
      expect(again.code).toBe(1);
      expect(again.err).toContain('is not empty: it holds rows in fields_of_work (25)');
      expect(again.err).toContain(`rm ${path.join(directory, 'imported.db')} `);
      expect((await runCli(['import', path.join(directory, 'missing.ndjson')], target)).err).toContain(
        'There is no file',
      );
    });

    it('draws a progress bar on a terminal, and none on a pipe', async () => {
      const terminal = Object.assign(new PassThrough(), { isTTY: true, columns: 100 });
      let drawn = '';
      terminal.on('data', (chunk: Buffer) => {
        drawn += chunk.toString();
      });
      const directory = temporaryDirectory();
      const source = { DATABASE_URL: `sqlite:${path.join(sqliteSource.directory, 'test.db')}` };
      expect((await runCli(['export', path.join(directory, 'a.ndjson')], source, terminal)).code).toBe(0);
      expect(drawn).toContain('Exporting');
      expect(drawn).toMatch(/rows\/s/);
      const pipe = Object.assign(new PassThrough(), { isTTY: false });
      let piped = '';
      pipe.on('data', (chunk: Buffer) => {
        piped += chunk.toString();
      });
      const target = { DATABASE_URL: `sqlite:${path.join(directory, 'b.db')}` };
      expect((await runCli(['import', path.join(directory, 'a.ndjson')], target, pipe)).code).toBe(0);
      expect(piped).toBe('');
    });

    it('export - writes to standard output and import - reads standard input (through bin/dateline.js)', () => {
      const directory = temporaryDirectory();
      const env = { ...process.env, BASE_URL: 'http://localhost:3000' };
      const exported = spawnSync(process.execPath, [path.join(ROOT, 'bin/dateline.js'), 'export', '-'], {
        env: { ...env, DATABASE_URL: `sqlite:${path.join(sqliteSource.directory, 'test.db')}` },
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      expect(exported.status, exported.stderr).toBe(0);
      expect(exported.stdout).toBe(sqliteExport);
      expect(exported.stderr).toMatch(/^Exported [\d,]+ rows .* to standard output/);
      const imported = spawnSync(process.execPath, [path.join(ROOT, 'bin/dateline.js'), 'import', '-'], {
        env: { ...env, DATABASE_URL: `sqlite:${path.join(directory, 'from-stdin.db')}` },
        input: exported.stdout,
        encoding: 'utf8',
      });
      expect(imported.status, imported.stderr).toBe(0);
      expect(imported.stdout).toContain('search index rebuilt for 205 documents');
    }, 60_000);

    it.skipIf(skipPostgres)(
      'migrate-data moves a SQLite file into PostgreSQL; the target then exports the same bytes',
      async () => {
        let target: TestDatabase | null = null;
        try {
          target = await createTestDatabase('transfer_migrate_data');
          const from = `sqlite:${path.join(sqliteSource.directory, 'test.db')}`;
          const moved = await runCli(['migrate-data', '--from', from, '--to', target.url]);
          expect(moved.err).toBe('');
          expect(moved.code).toBe(0);
          expect(moved.out.split('\n').at(-1)).toMatch(
            /^Moved [\d,]+ rows \(205 documents\) from .+test\.db to postgres:\/\/postgres@.+ in [\d.]+ s; search index rebuilt for 205 documents\.$/,
          );
          const store = await openStore(target.url);
          try {
            expect(await exportText(store)).toBe(sqliteExport);
          } finally {
            await store.close();
          }
          const again = await runCli(['migrate-data', '--from', from, '--to', target.url]);
          expect(again.code).toBe(1);
          expect(again.err).toContain('is not empty');
        } finally {
          await target?.drop();
        }
      },
      120_000,
    );

    it('migrate-data refuses a missing source, an in-memory target and the same database twice', async () => {
      const directory = temporaryDirectory();
      const missing = await runCli([
        'migrate-data',
        '--from',
        `sqlite:${path.join(directory, 'none.db')}`,
        '--to',
        `sqlite:${path.join(directory, 'b.db')}`,
      ]);
      expect(missing).toMatchObject({ code: 1 });
      expect(missing.err).toContain(`There is no database at ${path.join(directory, 'none.db')}`);
      expect(fs.existsSync(path.join(directory, 'none.db'))).toBe(false);
      const memory = await runCli([
        'migrate-data',
        '--from',
        `sqlite:${path.join(sqliteSource.directory, 'test.db')}`,
        '--to',
        'sqlite::memory:',
      ]);
      expect(memory.code).toBe(1);
      expect(memory.err).toContain('--to is sqlite::memory:');
      const file = path.join(sqliteSource.directory, 'test.db');
      const same = await runCli([
        'migrate-data',
        '--from',
        `sqlite:${file}`,
        '--to',
        `sqlite:${path.relative(process.cwd(), file)}`,
      ]);
      expect(same.code).toBe(1);
      expect(same.err).toContain('--from and --to name the same database.');
    });

    it('regression: lines of a file are not lost when the import starts reading late (after slow checks)', async () => {
      const file = path.join(temporaryDirectory(), 'late.ndjson');
      fs.writeFileSync(file, sqliteExport);
      const lines = linesOf(() => fs.createReadStream(file));
      await new Promise((resolve) => setTimeout(resolve, 100));
      let count = 0;
      for await (const _line of lines) count += 1;
      expect(count).toBe(sqliteExport.split('\n').length - 1);
    });

    it('an export whose source fails stops the import into the pipe; nothing is stored', async () => {
      const target = await emptySqlite();
      try {
        const pipe = linePipe(2);
        const failure = new Error('the source went away');
        const importing = importDatabase(target.store, pipe.lines, importOptions(target.store));
        const all = sqliteExport.trimEnd().split('\n');
        await pipe.sink.write(all.slice(0, 1));
        await pipe.sink.write(all.slice(1, 500));
        pipe.fail(failure);
        await expect(importing).rejects.toBe(failure);
        expect(await rowCounts(target.store)).toEqual(noRows);
      } finally {
        await target.dispose();
      }
    });
  });
});

describe('backup', () => {
  let site: TestStore;
  let databaseFile: string;

  beforeAll(async () => {
    site = await buildTestStore({ engine: 'sqlite', demo: DEMO });
    databaseFile = path.join(site.directory, 'test.db');
  }, 120_000);
  afterAll(async () => {
    await site?.cleanup();
  });

  const count = async (table: 'documents' | 'document_revisions' | 'document_texts' | 'document_changes') =>
    Number(
      (
        await site.store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('copies the live database while documents are being written; the copy is whole and consistent', async () => {
    const target = path.join(temporaryDirectory(), 'backup.db');
    const before = await count('documents');
    let writing = true;
    let written = 0;
    const writes = (async () => {
      while (writing) {
        await site.store.transaction((tx) =>
          site.writer.create(
            tx,
            documentInput({ slug: `during-backup-${written}`, title: `Written during ${written}` }),
          ),
        );
        written += 1;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const steps: number[] = [];
    let writtenAtStart = -1;
    // Let some writes land first, so that the backup starts on a database in motion.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const summary = await backupSqliteFile(databaseFile, target, {
      onProgress: (done) => {
        if (writtenAtStart < 0) writtenAtStart = written;
        steps.push(done);
      },
    });
    const duringBackup = written;
    writing = false;
    await writes;
    // The site wrote between the backup's steps, which makes SQLite start the copy over.
    expect(duringBackup).toBeGreaterThan(writtenAtStart);
    expect(summary.pages).toBeGreaterThan(100);
    expect(steps.length).toBeGreaterThan(1);

    const copy = new BetterSqlite3(target, { fileMustExist: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.pragma('foreign_key_check')).toEqual([]);
      // FTS5 checks its index against its content table (the search texts) and throws if they differ.
      copy.exec("INSERT INTO document_fts(document_fts) VALUES('integrity-check')");
      copy.exec("INSERT INTO heading_fts(heading_fts) VALUES('integrity-check')");
      const scalar = (query: string) => copy.prepare(query).pluck().get() as number;
      const documents = scalar('SELECT COUNT(*) FROM documents');
      expect(documents).toBeGreaterThanOrEqual(before);
      expect(documents).toBeLessThanOrEqual(before + written);
      // One state, not a mixture: every document with its revision, its search text and its log entries.
      expect(scalar('SELECT COUNT(*) FROM document_revisions')).toBe(documents);
      expect(scalar('SELECT COUNT(*) FROM document_texts')).toBe(documents);
      expect(scalar("SELECT COUNT(*) FROM document_changes WHERE action = 'created'")).toBe(documents);
      expect(scalar('SELECT MAX(seq) FROM document_changes')).toBe(scalar('SELECT COUNT(*) FROM document_changes'));
      const writtenBefore = scalar("SELECT COUNT(*) FROM documents WHERE slug LIKE 'during-backup-%'");
      expect(scalar(`SELECT COUNT(*) FROM documents WHERE slug = 'during-backup-${writtenBefore - 1}'`)).toBe(
        writtenBefore > 0 ? 1 : 0,
      );
    } finally {
      copy.close();
    }
    // The copy is a working database: the site's own search reads it.
    const restored = await openStore(`sqlite:${target}`);
    try {
      expect((await matchingIds(restored, 'security')).length).toBeGreaterThan(0);
    } finally {
      await restored.close();
    }
    expect(await count('documents')).toBe(before + written);
  }, 60_000);

  it('through the command line: writes FILE, refuses to overwrite it without --force', async () => {
    const directory = temporaryDirectory();
    const file = path.join(directory, 'site.db');
    const env = { DATABASE_URL: `sqlite:${databaseFile}` };
    const first = await runCli(['backup', file], env);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^Backed up .+test\.db to .+site\.db: [\d,]+ KiB in [\d.]+ s\.$/);
    const refused = await runCli(['backup', file], env);
    expect(refused.code).toBe(1);
    expect(refused.err).toBe(
      `dateline: ${file} already exists.\nChoose another file name, or add --force to replace it.`,
    );
    const forced = await runCli(['backup', '--force', file], env);
    expect(forced.code).toBe(0);
    expect(fs.readdirSync(directory)).toEqual(['site.db']);
    const self = await runCli(['backup', '--force', databaseFile], env);
    expect(self.code).toBe(1);
    expect(self.err).toContain('is the database itself');
  });

  it('on PostgreSQL prints the pg_dump command instead, and copies nothing', async () => {
    const file = path.join(temporaryDirectory(), 'site.dump');
    const { code, out, err } = await runCli(['backup', file], {
      DATABASE_URL: 'postgres://editor:secret@db.example.org:5433/dateline',
    });
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain(`pg_dump -Fc -h db.example.org -p 5433 -U editor -d dateline -f ${file}`);
    expect(err).not.toContain('secret');
    expect(err).toContain('pg_restore');
    expect(fs.existsSync(file)).toBe(false);
    expect(pgDumpCommand('postgres://u@h/my db', "it's.dump")).toBe(
      `pg_dump -Fc -h h -p 5432 -U u -d 'my db' -f 'it'\\''s.dump'`,
    );
  });
});
