// PostgreSQL through node-postgres: a pool, every session in UTC, and type parsers so that
// values cross the store boundary as on SQLite: timestamps as ISO-8601 text with milliseconds
// in UTC ("2007-09-11T10:00:00.000Z"), counts (bigint) as numbers. No Date and no bigint
// string ever leaves the store.
import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient, sql } from 'kysely';
import pg from 'pg';
import { DatabaseUnavailableError, SearchTimeoutError, StartupError } from '../errors.ts';
import { CHANGE_CHANNEL, DEFAULT_SEARCH_TIMEOUT_MS, type DialectSetup, type StoreOptions } from './dialect.ts';

const OID = { int8: 20, timestamptz: 1184, timestamp: 1114 } as const;

/** "2007-09-11 10:00:00.5+00" (the session is in UTC) → "2007-09-11T10:00:00.500Z". */
export function isoFromPostgres(text: string): string {
  return new Date(`${text.replace(' ', 'T').replace(/\+00(:00)?$/, '')}Z`).toISOString();
}

const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === OID.timestamptz || oid === OID.timestamp) return isoFromPostgres;
    if (oid === OID.int8) return Number;
    return pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** The address without its password, for messages. */
function describe(databaseUrl: string): { where: string; database: string; user: string } {
  try {
    const url = new URL(databaseUrl);
    return {
      where: `${url.hostname || 'localhost'}:${url.port || '5432'}`,
      database: decodeURIComponent(url.pathname.slice(1)) || '(the user name)',
      user: decodeURIComponent(url.username) || '(the system user)',
    };
  } catch {
    return { where: 'the address given', database: '?', user: '?' };
  }
}

/** A failed first connection, as what is wrong and how to fix it. */
export function connectionProblem(databaseUrl: string, error: unknown): StartupError {
  const { where, database, user } = describe(databaseUrl);
  const code = (error as { code?: string }).code;
  const detail = error instanceof Error ? error.message : String(error);
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH' || code === 'ETIMEDOUT') {
    return new StartupError(
      `PostgreSQL at ${where} does not answer (${code}).`,
      'Start PostgreSQL, or correct the host and port in DATABASE_URL (postgres://user@host:port/database).',
    );
  }
  if (code === '28P01' || code === '28000') {
    return new StartupError(
      `PostgreSQL at ${where} refused user ${user}: ${detail}.`,
      'Check the user and password in DATABASE_URL, and that pg_hba.conf lets this user connect from this machine.',
    );
  }
  if (code === '3D000') {
    return new StartupError(
      `The database ${database} does not exist on PostgreSQL at ${where}.`,
      `Create it (createdb -h ${where.split(':')[0]} -U ${user} ${database}) or correct DATABASE_URL.`,
    );
  }
  return new StartupError(
    `PostgreSQL at ${where} cannot be used: ${detail}.`,
    'Check DATABASE_URL (postgres://user:password@host:port/database) and that the server is running.',
  );
}

/** PostgreSQL cancelled the statement at `statement_timeout`. */
const QUERY_CANCELED = '57014';

/** Socket errors and SQLSTATEs of a server that is gone, shutting down or not yet accepting. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);

/**
 * pg's own failures carry no code, only their text: a connection that broke mid-statement, a
 * client used after its connection broke, and no connection within `connectionTimeoutMillis`
 * (the server does not answer, or every connection is busy: either way, try again shortly).
 */
const UNAVAILABLE_MESSAGES =
  /Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect/;

/** A failure of the server rather than of the statement: DatabaseUnavailableError. */
function unavailable(error: unknown): unknown {
  const code = (error as { code?: string }).code;
  if (code && UNAVAILABLE_CODES.has(code)) return new DatabaseUnavailableError({ cause: error });
  if (error instanceof Error && UNAVAILABLE_MESSAGES.test(error.message))
    return new DatabaseUnavailableError({ cause: error });
  return error;
}

/** A search statement's failure in the error catalogue's terms: past its budget, or no connection in time. */
function searchFailure(error: unknown, budgetMs: number): unknown {
  if ((error as { code?: string }).code === QUERY_CANCELED) return new SearchTimeoutError(budgetMs, 'slow');
  if (error instanceof Error && /timeout exceeded when trying to connect/.test(error.message)) {
    return new SearchTimeoutError(budgetMs, 'busy');
  }
  return unavailable(error);
}

/** A pool as Kysely sees it, with its failures translated into the error catalogue's. */
function translatedPool(pool: pg.Pool, translate: (error: unknown) => unknown): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect().catch((error: unknown) => {
        throw translate(error);
      });
      // pg-pool listens for 'error' on idle clients only: a server that goes away while a client
      // is checked out (between two statements of a transaction) would otherwise be an unhandled
      // 'error' event, which ends the process. The statement under way fails on its own.
      let broken = false;
      const onError = () => {
        broken = true;
      };
      client.on('error', onError);
      return {
        query: ((text: string, parameters: readonly unknown[]) =>
          client.query(text, [...parameters]).catch((error: unknown) => {
            throw translate(error);
          })) as unknown as PostgresPoolClient['query'],
        // A client whose connection broke is dropped rather than handed out again.
        release: (destroy?: boolean) => {
          client.removeListener('error', onError);
          client.release(destroy || broken);
        },
      };
    },
    end: () => pool.end(),
  };
}

/** Waits before the listener's next attempt: a quarter of a second, doubling, at most two. */
const LISTEN_RETRY_FIRST_MS = 250;
const LISTEN_RETRY_MAX_MS = 2_000;

/**
 * One connection that LISTENs for change-log growth while anyone wants to hear of it. A lost
 * connection is opened again with backoff (followers still poll meanwhile); once it is back,
 * the listeners are called once, for what was committed while nobody listened.
 */
function changeListener(
  databaseUrl: string,
  connection: Pick<pg.ClientConfig, 'connectionTimeoutMillis' | 'keepAlive' | 'keepAliveInitialDelayMillis'>,
): {
  listen: (listener: () => void) => () => void;
  /** Tries again now rather than at the next retry: another connection just succeeded. */
  retryNow: () => void;
  close: () => Promise<void>;
} {
  const listeners = new Set<() => void>();
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;
  let retryMs = LISTEN_RETRY_FIRST_MS;
  let lostOnce = false;
  const wake = () => {
    for (const listener of listeners) listener();
  };
  const connect = () => {
    if (closed || client || retry || listeners.size === 0) return;
    const next = new pg.Client({ connectionString: databaseUrl, ...connection });
    client = next;
    const lost = () => {
      if (client !== next) return;
      client = null;
      lostOnce = true;
      next.end().catch(() => undefined);
      if (!closed && !retry) {
        retry = setTimeout(() => {
          retry = null;
          connect();
        }, retryMs).unref();
        retryMs = Math.min(retryMs * 2, LISTEN_RETRY_MAX_MS);
      }
    };
    // Every 'error' a client emits is handled here: a server that goes away must not end the process.
    next.on('error', lost);
    next.on('end', lost);
    next.on('notification', wake);
    next
      .connect()
      .then(() => next.query(`LISTEN ${CHANGE_CHANNEL}`))
      .then(() => {
        retryMs = LISTEN_RETRY_FIRST_MS;
        if (lostOnce && client === next) wake();
      })
      .catch(lost);
  };
  return {
    listen(listener) {
      listeners.add(listener);
      connect();
      return () => listeners.delete(listener);
    },
    retryNow() {
      if (!retry) return;
      clearTimeout(retry);
      retry = null;
      connect();
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      const current = client;
      client = null;
      await current?.end().catch(() => undefined);
    },
  };
}

export async function createPostgresDialect(databaseUrl: string, options: StoreOptions = {}): Promise<DialectSetup> {
  const budgetMs = options.searchTimeoutMs ?? DEFAULT_SEARCH_TIMEOUT_MS;
  const connection = {
    // A server that is gone refuses at once; one that does not answer (or a pool whose every
    // connection is busy) makes a request wait this long before its 503, never indefinitely.
    connectionTimeoutMillis: 3_000,
    // TCP keepalive: a connection to a server that vanished without a word is noticed and dropped.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  };
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    types: typeParsers,
    max: 10,
    ...connection,
    options: '-c TimeZone=UTC',
  });
  // An idle client that loses its server (a restart) must not crash the process; the pool drops it.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw connectionProblem(databaseUrl, error);
  }
  // Search statements on their own pool with a server-side budget, which PostgreSQL enforces
  // by cancelling the statement (SearchTimeoutError is raised from its error code).
  const searchPool = new pg.Pool({
    connectionString: databaseUrl,
    types: typeParsers,
    max: options.searchThreads ?? 4,
    ...connection,
    connectionTimeoutMillis: budgetMs,
    options: `-c TimeZone=UTC -c statement_timeout=${Math.round(budgetMs)} -c default_transaction_read_only=on`,
  });
  searchPool.on('error', () => undefined);
  const changes = changeListener(databaseUrl, connection);
  // The server is back as soon as the pool connects again: the LISTEN need not wait for its backoff.
  pool.on('connect', () => changes.retryNow());
  const selectIntegersOn = (target: pg.Pool) => async (text: string, values: readonly unknown[]) => {
    const result = await target.query({ text, values: [...values], rowMode: 'array' }).catch((error: unknown) => {
      throw target === searchPool ? searchFailure(error, budgetMs) : unavailable(error);
    });
    return Uint32Array.from(result.rows as unknown[][], (row) => Number(row[0]));
  };
  return {
    dialect: new PostgresDialect({ pool: translatedPool(pool, unavailable) }),
    capabilities: { engine: 'postgres', timestampType: 'timestamptz', supportsConcurrentWriters: true },
    // Kysely ends both pools when the handles are destroyed; the listener is ours to close.
    close: () => changes.close(),
    listenForChanges: (listener) => changes.listen(listener),
    isUniqueViolation: (error) => (error as { code?: string }).code === '23505',
    selectIntegers: selectIntegersOn(pool),
    searchReaders: {
      dialect: new PostgresDialect({ pool: translatedPool(searchPool, (error) => searchFailure(error, budgetMs)) }),
      selectIntegers: selectIntegersOn(searchPool),
      warm: async () => {},
    },
  };
}

/**
 * Creates (or drops) a database on the server of `adminUrl`, for tests and set-up.
 * @example await createDatabase('postgres://postgres@127.0.0.1:5432/postgres', 'dateline_test_1');
 */
export async function createDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = new Kysely<unknown>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: adminUrl, max: 1 }) }),
  });
  try {
    await sql`CREATE DATABASE ${sql.id(name)}`.execute(admin);
  } finally {
    await admin.destroy();
  }
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = new Kysely<unknown>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: adminUrl, max: 1 }) }),
  });
  try {
    await sql`DROP DATABASE IF EXISTS ${sql.id(name)} WITH (FORCE)`.execute(admin);
  } finally {
    await admin.destroy();
  }
}
