// Date-named migrations, applied in order inside Kysely's migrator (each step logged).
import { type Kysely, type Migration, type MigrationResultSet, Migrator } from 'kysely';
import type { EngineCapabilities } from './dialect.ts';
import * as initialSchema from './migrations/2026-11-30-initial-schema.ts';
import * as searchIndex from './migrations/2026-11-30-search-index.ts';
import * as datesSourcesChanges from './migrations/2026-12-01-dates-sources-changes.ts';
import * as headingIndex from './migrations/2026-12-02-heading-index.ts';
import * as prefixIndexes from './migrations/2026-12-02-prefix-indexes.ts';
import * as textSearchVectors from './migrations/2026-12-02-text-search-vectors.ts';

/** What a frozen migration may know about the engine: column types, nothing else. */
export interface MigrationContext {
  readonly engine: 'sqlite' | 'postgres';
  readonly idType: 'integer' | 'serial';
  readonly timestampType: 'text' | 'timestamptz';
}

interface MigrationModule {
  up(db: Kysely<unknown>, context: MigrationContext): Promise<void>;
  down(db: Kysely<unknown>, context: MigrationContext): Promise<void>;
}

const MIGRATIONS: Record<string, MigrationModule> = {
  '2026-11-30-initial-schema': initialSchema,
  '2026-11-30-search-index': searchIndex,
  '2026-12-01-dates-sources-changes': datesSourcesChanges,
  '2026-12-02-heading-index': headingIndex,
  '2026-12-02-prefix-indexes': prefixIndexes,
  '2026-12-02-text-search-vectors': textSearchVectors,
};

function migrationsFor(capabilities: EngineCapabilities): Record<string, Migration> {
  const context: MigrationContext = {
    engine: capabilities.engine,
    idType: capabilities.engine === 'postgres' ? 'serial' : 'integer',
    timestampType: capabilities.timestampType,
  };
  return Object.fromEntries(
    Object.entries(MIGRATIONS).map(([name, module]) => [
      name,
      { up: (db) => module.up(db, context), down: (db) => module.down(db, context) },
    ]),
  );
}

export const MIGRATION_NAMES = Object.keys(MIGRATIONS);

function migratorFor(db: Kysely<unknown>, capabilities: EngineCapabilities): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => migrationsFor(capabilities) } });
}

export async function migrateToLatest(
  db: Kysely<unknown>,
  capabilities: EngineCapabilities,
): Promise<MigrationResultSet> {
  return migratorFor(db, capabilities).migrateToLatest();
}

/** Up or down to the named migration (tests build a database of an older schema with it). */
export async function migrateTo(
  db: Kysely<unknown>,
  capabilities: EngineCapabilities,
  name: string,
): Promise<MigrationResultSet> {
  return migratorFor(db, capabilities).migrateTo(name);
}
