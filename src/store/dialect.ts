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
