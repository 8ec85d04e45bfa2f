// Test databases on PostgreSQL: each suite creates its own, uniquely named, and drops it after.
import crypto from 'node:crypto';
import { createDatabase, dropDatabase } from '../../src/store/postgres.ts';
import { checkPostgres, POSTGRES_ADMIN_URL, requireTool, shouldSkip } from './environment.ts';

/** Whether this run leaves PostgreSQL out (off CI, when no server answers; loudly). */
export const skipPostgres = shouldSkip('the PostgreSQL half of the suite', checkPostgres());

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A new, empty database on the test server; `drop` removes it (even with connections open). */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  requireTool('the PostgreSQL half of the suite', checkPostgres());
  const name = `dateline_test_${label.replace(/[^a-z0-9]+/gi, '_').toLowerCase()}_${crypto.randomBytes(4).toString('hex')}`;
  await createDatabase(POSTGRES_ADMIN_URL, name);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => dropDatabase(POSTGRES_ADMIN_URL, name) };
}
