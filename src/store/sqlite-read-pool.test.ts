// The search read pool: statements in worker threads, stopped at their budget while the main
// thread stays free, a replacement thread for the next statement, and nothing written.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SearchTimeoutError } from '../errors.ts';
import { PooledStatementError, SqliteReadPool } from './sqlite-read-pool.ts';
import { openStore, type Store, selectIntegers } from './store.ts';

/** A statement that keeps SQLite busy for about a second on this machine, in one step. */
const LONG_STATEMENT =
  'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 8000000) SELECT count(*) AS n FROM c';

/** The longest the main thread went without running a 5 ms timer while `work` ran. */
async function longestStall(work: () => Promise<unknown>): Promise<number> {
  let longest = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  try {
    await work().catch(() => undefined);
  } finally {
    clearInterval(timer);
  }
  return longest;
}

describe('the search read pool', () => {
  let directory: string;
  let store: Store;
  let pool: SqliteReadPool;

  beforeEach(async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'dateline-read-pool-'));
    const filename = path.join(directory, 'pool.db');
    store = await openStore(`sqlite:${filename}`);
    await sql`CREATE TABLE numbers (n INTEGER PRIMARY KEY)`.execute(store.db);
    await sql`INSERT INTO numbers (n) VALUES (1), (2), (3)`.execute(store.db);
    pool = new SqliteReadPool({ filename, threads: 1, budgetMs: 150 });
    // A thread's start (loading the driver, opening the file) is not what these tests time.
    await pool.warm();
  });

  afterEach(async () => {
    await pool.close();
    await store.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('reads rows and integers, and sees what the main connection has just committed', async () => {
    expect(await pool.rows('SELECT n FROM numbers WHERE n > ? ORDER BY n', [1])).toEqual([{ n: 2 }, { n: 3 }]);
    await sql`INSERT INTO numbers (n) VALUES (4)`.execute(store.db);
    expect([...(await pool.integers('SELECT n FROM numbers ORDER BY n', []))]).toEqual([1, 2, 3, 4]);
  });

  it('stops a statement at its budget, without holding the main thread, and answers the next one', async () => {
    let failure: unknown;
    const started = performance.now();
    const stall = await longestStall(() =>
      pool.rows(LONG_STATEMENT, []).catch((error: unknown) => {
        failure = error;
      }),
    );
    const answeredAfter = performance.now() - started;
    expect(failure).toBeInstanceOf(SearchTimeoutError);
    expect((failure as SearchTimeoutError).reason).toBe('slow');
    expect(answeredAfter).toBeGreaterThanOrEqual(140);
    expect(answeredAfter).toBeLessThan(600);
    expect(stall).toBeLessThan(100);
    // The stopped statement's thread finishes it in the background; a new thread takes the next.
    expect(pool.busyThreads()).toBe(1);
    expect(await pool.rows('SELECT count(*) AS n FROM numbers', [])).toEqual([{ n: 3 }]);
  });

  it('answers "busy" to a statement that waited its whole budget for a thread', async () => {
    // One thread: the first long statement runs, is stopped at 150 ms and keeps its retired thread
    // busy; the second takes the one replacement allowed; the third waits in the queue meanwhile.
    const first = pool.rows(LONG_STATEMENT, []).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = pool.rows(LONG_STATEMENT, []).catch((error: unknown) => error);
    const third = pool.rows('SELECT 1 AS one', []).catch((error: unknown) => error);
    const reasons = (await Promise.all([first, second, third])).map((error) => (error as SearchTimeoutError).reason);
    expect(reasons).toEqual(['slow', 'slow', 'busy']);
    expect(pool.busyThreads()).toBe(2);
  });

  it('never writes, and reports SQLite errors with their code', async () => {
    await expect(pool.rows('DELETE FROM numbers', [])).rejects.toThrow(/only reads/);
    await expect(pool.rows('SELECT * FROM missing', [])).rejects.toBeInstanceOf(PooledStatementError);
    expect(await pool.rows('SELECT count(*) AS n FROM numbers', [])).toEqual([{ n: 3 }]);
  });
});

describe("a store's search handle", () => {
  it('runs Kysely statements in the pool on a file and is the main handle in memory', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'dateline-search-db-'));
    const store = await openStore(`sqlite:${path.join(directory, 'search.db')}`, { searchTimeoutMs: 300 });
    try {
      await store.warmSearch();
      expect(store.searchDb).not.toBe(store.db);
      await sql`CREATE TABLE numbers (n INTEGER PRIMARY KEY)`.execute(store.db);
      await sql`INSERT INTO numbers (n) VALUES (5), (6)`.execute(store.db);
      const seen: string[] = [];
      const stop = store.observeQueries((text) => seen.push(text));
      expect((await sql<{ n: number }>`SELECT n FROM numbers WHERE n > ${5}`.execute(store.searchDb)).rows).toEqual([
        { n: 6 },
      ]);
      stop();
      expect(seen).toEqual(['SELECT n FROM numbers WHERE n > ?']);
      expect([...(await selectIntegers(store.searchDb, sql`SELECT n FROM numbers ORDER BY n`))]).toEqual([5, 6]);
      await expect(sql.raw(LONG_STATEMENT).execute(store.searchDb)).rejects.toBeInstanceOf(SearchTimeoutError);
      await expect(store.searchDb.transaction().execute(async () => 1)).rejects.toThrow(/only reads/);
    } finally {
      await store.close();
      fs.rmSync(directory, { recursive: true, force: true });
    }
    const memory = await openStore('sqlite::memory:');
    expect(memory.searchDb).toBe(memory.db);
    await memory.close();
  });
});
