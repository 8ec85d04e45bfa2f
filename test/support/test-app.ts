// Test factories: a migrated, seeded database in a temporary file, and the app built on it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp, type ConnectionTimeouts, type DatelineApp } from '../../src/app.ts';
import type { Clock } from '../../src/clock.ts';
import { writerFor } from '../../src/compose.ts';
import { loadConfig } from '../../src/config.ts';
import type { DocumentWriter } from '../../src/documents/writer.ts';
import type { IndexTermSource, SearchProvider } from '../../src/search/provider.ts';
import { searchFor } from '../../src/search/providers.ts';
import { setUpDatabase } from '../../src/setup.ts';
import type { Engine } from '../../src/store/dialect.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import type { RateLimit } from '../../src/throttle.ts';
import { createTestDatabase } from './postgres.ts';

/**
 * The engine test stores and apps use unless a test names one: TEST_ENGINE (the vitest project
 * "postgres" sets it), else SQLite.
 */
export const TEST_ENGINE: Engine = process.env.TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';

export interface TestStore {
  store: Store;
  /** Writes documents with the store's search index and the test's clock. */
  writer: DocumentWriter;
  search: SearchProvider;
  terms: IndexTermSource;
  directory: string;
  /** The database's address, for a second store on it (another server process). */
  databaseUrl: string;
  cleanup(): Promise<void>;
}

/** A fresh database (SQLite in its own temporary directory, or PostgreSQL), migrated and seeded. */
export async function buildTestStore(
  options: { demo?: number; clock?: Clock; searchTimeoutMs?: number; engine?: Engine } = {},
): Promise<TestStore> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'dateline-test-'));
  const engine = options.engine ?? TEST_ENGINE;
  const database =
    engine === 'postgres'
      ? await createTestDatabase('store')
      : { url: `sqlite:${path.join(directory, 'test.db')}`, drop: async () => {} };
  const store = await openStore(database.url, { searchTimeoutMs: options.searchTimeoutMs });
  await setUpDatabase(store, { demo: options.demo ?? 0, clock: options.clock });
  return {
    store,
    writer: writerFor(store, options.clock),
    ...searchFor(store.capabilities.engine),
    directory,
    databaseUrl: database.url,
    async cleanup() {
      await store.close();
      await database.drop();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}

export interface TestApp extends DatelineApp {
  cleanup(): Promise<void>;
}

export interface TestAppOptions {
  /** Demonstration documents generated after the seed. */
  demo?: number;
  /** The current moment, for travelling in time (reads and writes alike). */
  clock?: Clock;
  /** A lower rate limit than production's, to reach 429 in a few requests. */
  rateLimit?: RateLimit;
  /** Tests write and read back at once: counts are never reused unless a test asks for it. */
  countCacheTtlMs?: number;
  /** Listings through the bitmap index (loaded when the app is ready) instead of SQL. */
  bitmapIndex?: boolean;
  /** Postings held for words in at least this many documents (production: 50,000). */
  frequentTermMinDocuments?: number;
  /** Shorter limits on slow clients than production's. */
  timeouts?: Partial<ConnectionTimeouts>;
  /** The longest one search statement may run (production: SEARCH_TIMEOUT_MS). */
  searchTimeoutMs?: number;
  /** Where the index is kept between runs (default: nowhere). */
  indexSnapshot?: string | null;
}

/** The whole application on a fresh database; `demo` documents are generated first. */
export async function buildTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const testStore = await buildTestStore({
    demo: options.demo,
    clock: options.clock,
    searchTimeoutMs: options.searchTimeoutMs,
  });
  const config = loadConfig({ LOG_LEVEL: 'silent', BASE_URL: 'http://localhost:3000' });
  const built = await buildApp(config, {
    store: testStore.store,
    clock: options.clock,
    // Suites send hundreds of requests from one address: no limit unless a test sets one.
    rateLimit: options.rateLimit ?? null,
    countCacheTtlMs: options.countCacheTtlMs ?? 0,
    bitmapIndex: options.bitmapIndex ?? false,
    frequentTermMinDocuments: options.frequentTermMinDocuments,
    timeouts: options.timeouts,
    indexSnapshot: options.indexSnapshot ?? null,
  });
  return {
    ...built,
    async cleanup() {
      await built.app.close();
      await testStore.cleanup();
    },
  };
}
