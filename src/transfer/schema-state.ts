// What a database holds, as the export format sees it: its schema version, and its tables sorted
// into exported and derived ones, with any table or column the format does not know named.
import { sql } from 'kysely';
import { MIGRATION_NAMES } from '../store/migrate.ts';
import type { Db } from '../store/store.ts';
import { isDerivedTable, TABLES } from './format.ts';

/** The migrations applied to the database, oldest first (empty: a database Dateline never touched). */
export async function appliedMigrations(db: Db): Promise<string[]> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  if (!tables.some((table) => table.name === 'kysely_migration')) return [];
  const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db);
  return rows.map((row) => row.name);
}

/** The latest migration this version of Dateline knows. */
export const LATEST_SCHEMA = MIGRATION_NAMES.at(-1) as string;

/** The non-derived tables of the database and their columns (in no particular order). */
export async function storedTables(db: Db): Promise<Map<string, Set<string>>> {
  const tables = await db.introspection.getTables();
  const stored = new Map<string, Set<string>>();
  for (const table of tables) {
    if (table.isView || isDerivedTable(table.name)) continue;
    stored.set(table.name, new Set(table.columns.map((column) => column.name)));
  }
  return stored;
}

/**
 * Every stored table and column must be one the format writes (or a derived one): a table added
 * by a later migration and forgotten here would otherwise be left out of every export, silently.
 */
export function unknownParts(stored: Map<string, Set<string>>): string | null {
  for (const [name, columns] of stored) {
    const format = TABLES.find((candidate) => candidate.name === name);
    if (!format) return `the table ${name}`;
    for (const column of columns) if (!(column in format.columns)) return `the column ${name}.${column}`;
    for (const column of Object.keys(format.columns)) if (!columns.has(column)) return `no column ${name}.${column}`;
  }
  for (const format of TABLES) if (!stored.has(format.name)) return `no table ${format.name}`;
  return null;
}
