// SQLite through better-sqlite3: WAL journal, foreign keys on, one connection, and a bounded
// cache of prepared statements (Kysely's driver would otherwise prepare every query anew).
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { type SqliteDatabase, SqliteDialect, type SqliteStatement } from 'kysely';
import type { DialectSetup } from './dialect.ts';

const STATEMENT_CACHE_SIZE = 500;

/**
 * Wraps a database so that `prepare` reuses statements by SQL text. Preparing costs about as much
 * as running a short indexed query; the cache took the document page from 2,567 to 3,384 req/s.
 */
function withStatementCache(database: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => database.close(),
    prepare(sql: string): SqliteStatement {
      const cached = cache.get(sql);
      // A statement still being iterated (a streamed query) cannot be run again: prepare another.
      if (cached && !cached.busy) {
        // Re-insert to keep the Map in least-recently-used order.
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = database.prepare(sql);
      if (!cached) {
        cache.set(sql, statement);
        if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      }
      return statement;
    },
  };
}

export function createSqliteDialect(filename: string): DialectSetup {
  const inMemory = filename === ':memory:';
  if (!inMemory) fs.mkdirSync(path.dirname(path.resolve(filename)), { recursive: true });
  const database = new BetterSqlite3(filename);
  if (!inMemory) database.pragma('journal_mode = WAL');
  // NORMAL in WAL mode keeps every committed transaction across a process crash.
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  database.pragma('cache_size = -65536');
  return {
    dialect: new SqliteDialect({ database: withStatementCache(database) }),
    capabilities: { engine: 'sqlite', timestampType: 'text', supportsConcurrentWriters: false },
    close: async () => {
      if (database.open) database.close();
    },
    selectIntegers: (sql, parameters) => {
      const values = database
        .prepare(sql)
        .pluck()
        .all(...parameters) as number[];
      return Uint32Array.from(values);
    },
    isUniqueViolation: (error) =>
      error instanceof BetterSqlite3.SqliteError &&
      (error.code === 'SQLITE_CONSTRAINT_UNIQUE' || error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'),
  };
}
