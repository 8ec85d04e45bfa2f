// Writes a whole database as an export (format.ts): one consistent snapshot, read in keyset pages
// of a thousand rows, each page handed to the sink, which may make the reading wait.
import { type RawBuilder, sql } from 'kysely';
import { StartupError } from '../errors.ts';
import { readIdCounter } from '../store/dialect.ts';
import type { Db, Tx } from '../store/store.ts';
import {
  CHANGE_LOG_COUNTER,
  DOCUMENT_COUNTER,
  type ExportHeader,
  exportedValue,
  FORMAT_NAME,
  FORMAT_VERSION,
  headerLine,
  rowLine,
  TABLES,
  type TableFormat,
} from './format.ts';
import { appliedMigrations, LATEST_SCHEMA, storedTables, unknownParts } from './schema-state.ts';

/** Where the lines go; a slow reader makes `write` resolve later, and the export waits for it. */
export interface LineSink {
  write(lines: readonly string[]): Promise<void>;
}

export interface ExportOptions {
  /** Rows per keyset page (default 1,000). */
  pageSize?: number;
  /** Called after each page with the rows written so far and the total. */
  onProgress?: (done: number, total: number) => void;
}

export interface ExportSummary {
  header: ExportHeader;
  rows: number;
}

export const PAGE_SIZE = 1_000;

/**
 * Writes the database's content to `sink`: the header, then every row of every exported table.
 * @throws StartupError when the database is not at this version's latest schema, or holds a
 *   table or column the format does not know
 * @example await exportDatabase(store.db, fileSink(stream));
 */
export async function exportDatabase(db: Db, sink: LineSink, options: ExportOptions = {}): Promise<ExportSummary> {
  const pageSize = options.pageSize ?? PAGE_SIZE;
  // One snapshot: counts, counters and rows agree even while the site goes on writing
  // (PostgreSQL's repeatable read; a SQLite read transaction sees one state of the WAL).
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (tx) => {
      const header = await readHeader(tx);
      const total = Object.values(header.rows).reduce((sum, count) => sum + count, 0);
      await sink.write([headerLine(header)]);
      let done = 0;
      for (const format of TABLES) {
        for await (const page of pagesOf(tx, format, pageSize)) {
          await sink.write(page.map((row) => rowLine(format, normalised(format, row))));
          done += page.length;
          options.onProgress?.(done, total);
        }
      }
      if (done !== total) {
        // Cannot happen inside one snapshot; if it does, the file must not pass for a whole one.
        throw new Error(`read ${done} rows where the snapshot counted ${total}`);
      }
      return { header, rows: total };
    });
}

async function readHeader(tx: Tx): Promise<ExportHeader> {
  const applied = await appliedMigrations(tx);
  const schema = applied.at(-1);
  if (!schema) {
    throw new StartupError(
      'The database has no Dateline schema: there is nothing to export.',
      'Check DATABASE_URL (or --from): it names a database Dateline has never set up.',
    );
  }
  if (schema !== LATEST_SCHEMA) {
    throw new StartupError(
      `The database is at schema ${schema}; this version of Dateline exports schema ${LATEST_SCHEMA}.`,
      applied.includes(LATEST_SCHEMA) || schema > LATEST_SCHEMA
        ? 'It was migrated by a newer Dateline: export it with that version.'
        : 'Bring it up to date first: dateline migrate (with the same DATABASE_URL).',
    );
  }
  const unknown = unknownParts(await storedTables(tx));
  if (unknown) {
    throw new StartupError(
      `The database does not match the export format: it has ${unknown}.`,
      'Every table must be exported or rebuilt on import: describe it in src/transfer/format.ts.',
    );
  }
  const rows: Record<string, number> = {};
  for (const format of TABLES) {
    const { rows: counted } = await sql<{ n: number | string }>`SELECT COUNT(*) AS n FROM ${sql.table(
      format.name,
    )}`.execute(tx);
    rows[format.name] = Number(counted[0]?.n ?? 0);
  }
  return {
    format: FORMAT_NAME,
    version: FORMAT_VERSION,
    schema,
    lastChangeSeq: await readIdCounter(tx, CHANGE_LOG_COUNTER.table, CHANGE_LOG_COUNTER.column),
    lastDocumentId: await readIdCounter(tx, DOCUMENT_COUNTER.table, DOCUMENT_COUNTER.column),
    rows,
  };
}

/** A table's rows in key order, a page at a time: `WHERE (key) > (last key)`, never OFFSET. */
async function* pagesOf(tx: Tx, format: TableFormat, pageSize: number): AsyncGenerator<Record<string, unknown>[]> {
  const columns = sql.join(Object.keys(format.columns).map((column) => sql.ref(column)));
  const key = sql.join(format.key.map((column) => sql.ref(column)));
  let after: unknown[] | null = null;
  for (;;) {
    const where: RawBuilder<unknown> = after ? sql`WHERE (${key}) > (${sql.join(after)})` : sql``;
    const { rows } = await sql<Record<string, unknown>>`SELECT ${columns} FROM ${sql.table(format.name)} ${where}
      ORDER BY ${key} LIMIT ${pageSize}`.execute(tx);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < pageSize) return;
    const last = rows.at(-1) as Record<string, unknown>;
    after = format.key.map((column) => last[column]);
  }
}

function normalised(format: TableFormat, row: Record<string, unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const where = (column: string) =>
    `${format.name} (${format.key.map((name) => `${name} ${String(row[name])}`).join(', ')}): ${column}`;
  for (const [column, kind] of Object.entries(format.columns)) {
    try {
      values[column] = exportedValue(kind, row[column], () => where(column));
    } catch (error) {
      throw new StartupError(
        `The database holds a value its schema does not allow: ${(error as Error).message}.`,
        'Correct that row (it would not import into either engine), then export again.',
      );
    }
  }
  return values;
}
