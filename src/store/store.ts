// The only place that creates the Kysely handle. Also counts statements, for query budgets.
import { Kysely, type LogEvent, type RawBuilder, type Transaction } from 'kysely';
import { createDialect, type DialectSetup, type EngineCapabilities, type StoreOptions } from './dialect.ts';
import { migrateTo, migrateToLatest } from './migrate.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;

export interface Store {
  readonly db: Db;
  /**
   * Reads for text search, whose statements may run long: on a SQLite file they run in worker
   * threads, each stopped with SearchTimeoutError past its budget, so that no search holds the
   * process; on an in-memory database this is `db`. It never writes or opens a transaction.
   */
  readonly searchDb: Db;
  readonly capabilities: EngineCapabilities;
  /** Runs `work` in one transaction: all of it is committed, or none. */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /** Applies pending migrations (or moves to the named one); returns one line per step. */
  migrate(target?: string): Promise<string[]>;
  /**
   * How many transactions this handle has committed: a follower of the change log reads the log
   * at once when it moved (other processes' writes it reads on its next poll).
   */
  localCommits(): number;
  /**
   * Calls `listener` soon after another process commits to the change log, where the engine can
   * tell (PostgreSQL); elsewhere never: followers poll. Returns the function that stops it.
   */
  onRemoteChange(listener: () => void): () => void;
  /** Readies the search handle now (its threads), so that the first searches do not wait. */
  warmSearch(): Promise<void>;
  /** Whether an error thrown by a statement is a unique-constraint violation. */
  isUniqueViolation(error: unknown): boolean;
  /** Calls `listener` with the SQL of every statement run until the returned function is called. */
  observeQueries(listener: (sql: string) => void): () => void;
  close(): Promise<void>;
}

const integerSelectors = new WeakMap<object, NonNullable<DialectSetup['selectIntegers']>>();

/**
 * A one-column integer query run straight on the driver where the engine offers it (see
 * `DialectSetup.selectIntegers`), else through Kysely.
 * @example await selectIntegers(db, sql`SELECT id FROM documents`)
 */
export async function selectIntegers(db: Db, query: RawBuilder<unknown>): Promise<Uint32Array> {
  const compiled = query.compile(db);
  const direct = integerSelectors.get(db);
  if (direct) return direct(compiled.sql, compiled.parameters);
  const { rows } = await db.executeQuery<Record<string, number>>(compiled);
  return Uint32Array.from(rows, (row) => Number(Object.values(row)[0]));
}

/**
 * Opens the database named by a `DATABASE_URL`.
 * @example const store = await openStore('sqlite::memory:'); await store.migrate();
 */
export async function openStore(databaseUrl: string, options: StoreOptions = {}): Promise<Store> {
  const setup = await createDialect(databaseUrl, options);
  const listeners = new Set<(sql: string) => void>();
  const log = (event: LogEvent) => {
    if (event.level === 'query') for (const listener of listeners) listener(event.query.sql);
  };
  const db = new Kysely<Database>({ dialect: setup.dialect, log });
  if (setup.selectIntegers) integerSelectors.set(db, setup.selectIntegers);
  const readers = setup.searchReaders;
  const searchDb = readers ? new Kysely<Database>({ dialect: readers.dialect, log }) : db;
  if (readers) integerSelectors.set(searchDb, readers.selectIntegers);
  let commits = 0;
  return {
    db,
    searchDb,
    capabilities: setup.capabilities,
    async transaction(work) {
      const result = await db.transaction().execute(work);
      commits += 1;
      return result;
    },
    localCommits: () => commits,
    warmSearch: async () => readers?.warm(),
    onRemoteChange: (listener) => setup.listenForChanges?.(listener) ?? (() => {}),
    isUniqueViolation: setup.isUniqueViolation,
    async migrate(target) {
      const handle = db as unknown as Kysely<unknown>;
      const { error, results = [] } = await (target
        ? migrateTo(handle, setup.capabilities, target)
        : migrateToLatest(handle, setup.capabilities));
      const lines = results.map(
        (r) =>
          `${r.status === 'Success' ? (r.direction === 'Down' ? 'reverted' : 'applied') : r.status}: ${r.migrationName}`,
      );
      if (error) throw error instanceof Error ? error : new Error(String(error));
      return lines;
    },
    observeQueries(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      if (searchDb !== db) await searchDb.destroy();
      await db.destroy();
      await setup.close();
    },
  };
}
