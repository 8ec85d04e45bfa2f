// The only file that knows which database engines exist. Engine differences that are not
// SQL text are named capability flags; migrations get the column types they need from here.
import { type Dialect, type Kysely, PostgresAdapter, type RawBuilder, SqliteAdapter, sql } from 'kysely';
import type { Database } from './schema.ts';

export type Engine = 'sqlite' | 'postgres';

export interface EngineCapabilities {
  readonly engine: Engine;
  /** Column type for ISO-8601 timestamps. */
  readonly timestampType: 'text' | 'timestamptz';
  /** Several connections can write at once (false: one serialised writer). */
  readonly supportsConcurrentWriters: boolean;
}

export interface DialectSetup {
  readonly dialect: Dialect;
  readonly capabilities: EngineCapabilities;
  readonly close: () => Promise<void>;
  /** Whether a driver error is a unique-constraint violation (read from its code, never its text). */
  readonly isUniqueViolation: (error: unknown) => boolean;
  /**
   * Runs a one-column integer SELECT straight on the driver, without a row object per result:
   * four times faster for the hundreds of thousands of ids a common word matches.
   */
  readonly selectIntegers?: (sql: string, parameters: readonly unknown[]) => Uint32Array | Promise<Uint32Array>;
  /**
   * Calls `listener` soon after another connection commits to the change log (PostgreSQL's
   * LISTEN); absent where followers only poll. Returns the function that stops listening.
   */
  readonly listenForChanges?: (listener: () => void) => () => void;
  /**
   * A second, read-only way in for text search, whose statements may run long: off the process's
   * main thread and stopped past `StoreOptions.searchTimeoutMs`. Absent: search reads `dialect`.
   */
  readonly searchReaders?: {
    readonly dialect: Dialect;
    readonly selectIntegers: (sql: string, parameters: readonly unknown[]) => Promise<Uint32Array>;
    /** Starts what the first search would otherwise wait for; resolves when it is ready. */
    readonly warm: () => Promise<void>;
  };
}

export interface StoreOptions {
  /** The longest one search statement may run, waiting for a search thread included. */
  searchTimeoutMs?: number;
  /** Search statements that may run at once, each in its own thread. */
  searchThreads?: number;
}

/** Two seconds: twenty times the slowest class of the search benchmark at 1,000,000 documents. */
export const DEFAULT_SEARCH_TIMEOUT_MS = 2_000;
export const DEFAULT_SEARCH_THREADS = 2;

export function engineOf(databaseUrl: string): Engine {
  if (databaseUrl.startsWith('sqlite:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return 'postgres';
  throw new Error(`Unsupported DATABASE_URL: ${databaseUrl}`);
}

export async function createDialect(databaseUrl: string, options: StoreOptions = {}): Promise<DialectSetup> {
  const engine = engineOf(databaseUrl);
  if (engine === 'sqlite') {
    const { createSqliteDialect } = await import('./sqlite.ts');
    return createSqliteDialect(databaseUrl.slice('sqlite:'.length), options);
  }
  const { createPostgresDialect } = await import('./postgres.ts');
  return createPostgresDialect(databaseUrl, options);
}

/** Which engine runs behind a Kysely handle (or transaction), read from its adapter. */
export function engineOfDb(db: Kysely<Database>): Engine {
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof SqliteAdapter) return 'sqlite';
  if (adapter instanceof PostgresAdapter) return 'postgres';
  throw new Error(`Unsupported database adapter ${adapter.constructor.name}`);
}

/** The calendar year (UTC) of the documents' own date `d.dated_at`, as four-digit text. */
export function datedYearExpression(db: Kysely<Database>): RawBuilder<string> {
  return engineOfDb(db) === 'sqlite'
    ? sql<string>`substr(d.dated_at, 1, 4)`
    : sql<string>`to_char(d.dated_at AT TIME ZONE 'UTC', 'YYYY')`;
}

/** The structures that issued the document `d`, lead first, as comma-separated ids (null: none). */
export function sourceIdsExpression(db: Kysely<Database>): RawBuilder<string | null> {
  return engineOfDb(db) === 'sqlite'
    ? sql<
        string | null
      >`(SELECT group_concat(s.structure_id, ',' ORDER BY s.position) FROM document_sources s WHERE s.document_id = d.id)`
    : sql<
        string | null
      >`(SELECT string_agg(s.structure_id::text, ',' ORDER BY s.position) FROM document_sources s WHERE s.document_id = d.id)`;
}

/** The values of an integer column over a group, comma-separated (in no particular order). */
export function idListExpression(db: Kysely<Database>, column: string): RawBuilder<string> {
  return engineOfDb(db) === 'sqlite'
    ? sql<string>`group_concat(${sql.ref(column)}, ',')`
    : sql<string>`string_agg(${sql.ref(column)}::text, ',')`;
}

/**
 * Serialises appends to the change log across connections, so that entries commit in the order
 * of their numbers: a follower that has read entry n never later finds an n - 1 committed after
 * it. SQLite has one writer at a time already; PostgreSQL takes a transaction-level lock.
 */
export async function lockChangeLog(tx: Kysely<Database>): Promise<void> {
  if (engineOfDb(tx) === 'postgres') await sql`SELECT pg_advisory_xact_lock(${CHANGE_LOG_LOCK})`.execute(tx);
}

/** Tells other processes, at commit, that the log has grown (PostgreSQL's NOTIFY; a no-op on SQLite). */
export async function announceChange(tx: Kysely<Database>): Promise<void> {
  if (engineOfDb(tx) === 'postgres') await sql`SELECT pg_notify(${CHANGE_CHANNEL}, '')`.execute(tx);
}

/** The advisory lock of the change log (an arbitrary number of ours). */
const CHANGE_LOG_LOCK = 20261202;
/** The channel other processes LISTEN on for change-log growth. */
export const CHANGE_CHANNEL = 'dateline_changes';

/**
 * The highest id the counter of `table.column` has handed out (0: none): at least the highest
 * stored, and also those of rows since deleted where the engine remembers them (a SQLite
 * AUTOINCREMENT table, a PostgreSQL sequence), so that an export can carry it.
 * @example await readIdCounter(tx, 'documents', 'id') // 2210, though document 2210 was deleted
 */
export async function readIdCounter(db: Kysely<Database>, table: string, column: string): Promise<number> {
  const stored = await sql<{
    highest: number | null;
  }>`SELECT MAX(${sql.ref(column)}) AS highest FROM ${sql.table(table)}`.execute(db);
  const highest = Number(stored.rows[0]?.highest ?? 0);
  let remembered: { value: number | null } | undefined;
  if (engineOfDb(db) === 'postgres') {
    // last_value is null for a sequence that never handed out a value.
    const { rows } = await sql<{ value: number | null }>`SELECT s.last_value AS value FROM pg_sequences s
      WHERE format('%I.%I', s.schemaname, s.sequencename) = pg_get_serial_sequence(${table}, ${column})`.execute(db);
    remembered = rows[0];
  } else if (await isAutoincrement(db, table)) {
    const { rows } = await sql<{
      value: number | null;
    }>`SELECT seq AS value FROM sqlite_sequence WHERE name = ${table}`.execute(db);
    remembered = rows[0];
  }
  return Math.max(highest, Number(remembered?.value ?? 0));
}

/**
 * Moves the counter of `table.column` so that the next row gets `highest + 1`: after an import
 * that kept every id, new rows must not collide with them nor reuse a deleted document's id.
 * Where the engine takes the next id from the stored ones (a plain SQLite INTEGER PRIMARY KEY),
 * there is nothing to move.
 */
export async function setIdCounter(
  db: Kysely<Database>,
  table: string,
  column: string,
  highest: number,
): Promise<void> {
  if (engineOfDb(db) === 'postgres') {
    // setval(…, 1, false): the next value is 1, for a counter that never handed one out.
    await sql`SELECT setval(pg_get_serial_sequence(${table}, ${column}), ${Math.max(highest, 1)}, ${highest > 0})`.execute(
      db,
    );
    return;
  }
  if (!(await isAutoincrement(db, table))) return;
  await sql`DELETE FROM sqlite_sequence WHERE name = ${table}`.execute(db);
  await sql`INSERT INTO sqlite_sequence (name, seq) VALUES (${table}, ${highest})`.execute(db);
}

/** SQLite keeps a table's high-water mark in sqlite_sequence only when it was declared AUTOINCREMENT. */
async function isAutoincrement(db: Kysely<Database>, table: string): Promise<boolean> {
  const { rows } = await sql`SELECT 1 FROM sqlite_master
    WHERE type = 'table' AND name = ${table} AND upper(sql) LIKE '%AUTOINCREMENT%'`.execute(db);
  return rows.length > 0;
}

/**
 * What an INSERT that gives its own values to identity columns says before VALUES: PostgreSQL
 * refuses them for a GENERATED ALWAYS column (the change log's `seq`) unless told; SQLite needs nothing.
 */
export function keepingIdentity(db: Kysely<Database>): RawBuilder<unknown> {
  return engineOfDb(db) === 'postgres' ? sql`OVERRIDING SYSTEM VALUE` : sql``;
}
