// The only file that knows which database engines exist. Engine differences that are not
// SQL text are named capability flags; migrations get the column types they need from here.
import type { Dialect } from 'kysely';

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
}

export function engineOf(databaseUrl: string): Engine {
  if (databaseUrl.startsWith('sqlite:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return 'postgres';
  throw new Error(`Unsupported DATABASE_URL: ${databaseUrl}`);
}

export async function createDialect(databaseUrl: string): Promise<DialectSetup> {
  const engine = engineOf(databaseUrl);
  if (engine === 'sqlite') {
    const { createSqliteDialect } = await import('./sqlite.ts');
    return createSqliteDialect(databaseUrl.slice('sqlite:'.length));
  }
  throw new Error('PostgreSQL support is not built yet: use DATABASE_URL=sqlite:./data/dateline.db');
}
