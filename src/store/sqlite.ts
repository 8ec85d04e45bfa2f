// SQLite through better-sqlite3: WAL journal, foreign keys on, one connection.
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { SqliteDialect } from 'kysely';
import type { DialectSetup } from './dialect.ts';

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
    dialect: new SqliteDialect({ database }),
    capabilities: { engine: 'sqlite', timestampType: 'text', supportsConcurrentWriters: false },
    close: async () => {
      if (database.open) database.close();
    },
  };
}
