// A PostgreSQL database that goes away while the site serves: every page, feed, search and API
// request answers 503 with a clear message and Retry-After at once (never a 500, never a hung
// request), /healthz stays 200 and /readyz says 503, the outage is logged once, and when the
// database returns the site serves again by itself, its LISTEN for other processes' writes too.
// It stops a throwaway cluster of its own, never the shared test server.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writerFor } from '../src/compose.ts';
import { setUpDatabase } from '../src/setup.ts';
import { createDatabase } from '../src/store/postgres.ts';
import { openStore } from '../src/store/store.ts';
import { loadCatalog } from '../src/taxonomy/catalog.ts';
import { requireTool, shouldSkip } from './support/environment.ts';
import { type ServerProcess, startServerProcess } from './support/server-process.ts';
import { checkPostgresBinaries, startThrowawayPostgres, type ThrowawayPostgres } from './support/throwaway-postgres.ts';

const SUITE = 'the database outage test';
const skip = shouldSkip(SUITE, checkPostgresBinaries());

/** The longest any request may take while the database is away. */
const ANSWER_WITHIN_MS = 5_000;
/** How long after the database is back the site must serve again, without a restart. */
const RECOVER_WITHIN_MS = 5_000;
/** How long each outage lasts. */
const OUTAGE_MS = 2_500;

interface Answer {
  url: string;
  status: number;
  ms: number;
  type: string;
  retryAfter: string | null;
  body: string;
}

/** One request, given up (status 0) past twice the bound, so that a hung request fails the test. */
async function get(origin: string, url: string): Promise<Answer> {
  const started = performance.now();
  try {
    const response = await fetch(`${origin}${url}`, { signal: AbortSignal.timeout(2 * ANSWER_WITHIN_MS) });
    const body = await response.text();
    return {
      url,
      status: response.status,
      ms: performance.now() - started,
      type: response.headers.get('content-type') ?? '',
      retryAfter: response.headers.get('retry-after'),
      body,
    };
  } catch (error) {
    return { url, status: 0, ms: performance.now() - started, type: '', retryAfter: null, body: String(error) };
  }
}

/** Polls until `check` holds; resolves with how long that took. */
async function within(ms: number, what: string, check: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check()) return performance.now() - started;
    if (performance.now() - started > ms) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Requests in a loop from several clients until stopped: what readers in flight meet. */
function keepReading(origin: string, urls: readonly string[], clients = 6): { stop: () => Promise<Answer[]> } {
  let going = true;
  const answers: Answer[] = [];
  const loops = Array.from({ length: clients }, async (_, client) => {
    for (let turn = client; going; turn += 1) answers.push(await get(origin, urls[turn % urls.length] as string));
  });
  return {
    async stop() {
      going = false;
      await Promise.all(loops);
      return answers;
    },
  };
}

const worst = (answers: readonly Answer[]) => Math.max(...answers.map((answer) => answer.ms));

describe.skipIf(skip)('a PostgreSQL database that goes away while the site serves', () => {
  let cluster: ThrowawayPostgres | undefined;
  let server: ServerProcess | undefined;
  let databaseUrl = '';
  /** Pages, feeds, search and the API that read the database at every request. */
  let pages: string[] = [];
  let api: string[] = [];
  /**
   * Pages the process may answer from what it holds (the bitmap index, held rows and documents'
   * records) while the database is away: 200 from memory, or 503 like the others, never a 500.
   * Nothing can change meanwhile: every write goes through the database.
   */
  const held = ['/', '/documents', '/press-releases?page_size=5'];
  const measured: string[] = [];

  beforeAll(async () => {
    requireTool(SUITE, checkPostgresBinaries());
    cluster = await startThrowawayPostgres();
    await createDatabase(cluster.url(), 'dateline');
    databaseUrl = cluster.url('dateline');
    const store = await openStore(databaseUrl);
    try {
      await setUpDatabase(store, { demo: 40 });
    } finally {
      await store.close();
    }
    server = await startServerProcess(databaseUrl);
    const listed = (await (await fetch(`${server.origin}/api/v1/documents?page_size=1`)).json()) as {
      items: { id: number; url: string }[];
    };
    const first = listed.items[0];
    if (!first) throw new Error('the demo content is missing');
    held.push(new URL(first.url).pathname);
    pages = ['/search?q=security', '/documents.rss', '/press-releases.atom', '/search.json?q=security', '/sitemap.xml'];
    api = ['/api/v1/documents', `/api/v1/documents/${first.id}`, '/api/v1/documents?q=security'];
  }, 90_000);

  afterAll(async () => {
    if (server && server.child.exitCode === null) {
      const exited = new Promise((resolve) => server?.child.once('exit', resolve));
      server.child.kill('SIGTERM');
      await exited;
    }
    await cluster?.remove();
    if (measured.length > 0) console.log(measured.join('\n'));
  });

  /** Every reading request answers 503 with the message, Retry-After, HTML or problem+json, in time. */
  async function expectUnavailable(origin: string): Promise<number> {
    const fromMemory = await Promise.all(held.map((url) => get(origin, url)));
    for (const answer of fromMemory) expect([200, 503], answer.url).toContain(answer.status);
    const answers = [
      ...(await Promise.all([...pages, ...api].map((url) => get(origin, url)))),
      ...fromMemory.filter((answer) => answer.status === 503),
    ];
    for (const answer of answers) {
      expect(answer.status, `${answer.url}: ${answer.body.slice(0, 300)}`).toBe(503);
      expect(answer.ms, answer.url).toBeLessThan(ANSWER_WITHIN_MS);
      expect(answer.retryAfter, answer.url).toMatch(/^\d+$/);
      expect(answer.body, answer.url).toContain('cannot reach its database');
    }
    for (const answer of answers.filter((entry) => entry.url.startsWith('/api/'))) {
      expect(answer.type, answer.url).toContain('application/problem+json');
      expect(JSON.parse(answer.body)).toMatchObject({ status: 503, code: 'DL_ERR_DATABASE_UNAVAILABLE' });
    }
    for (const answer of answers.filter((entry) => !/^\/api\/|\.(rss|atom|json|xml)\b/.test(entry.url))) {
      expect(answer.type, answer.url).toContain('text/html');
    }
    const health = await get(origin, '/healthz');
    expect(health.status).toBe(200);
    const ready = await get(origin, '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.ms).toBeLessThan(ANSWER_WITHIN_MS);
    expect(ready.retryAfter).toMatch(/^\d+$/);
    expect(JSON.parse(ready.body)).toMatchObject({ database: 'unavailable' });
    return worst([...answers, ...fromMemory]);
  }

  /** Without a restart of the app: every request answers 200 again. */
  async function expectRecovered(origin: string): Promise<number> {
    return within(RECOVER_WITHIN_MS, 'every page answers 200 again', async () => {
      const answers = await Promise.all([...held, ...pages, ...api, '/readyz'].map((url) => get(origin, url)));
      return answers.every((answer) => answer.status === 200);
    });
  }

  /** The app's LISTEN connection is open again on the returned server. */
  async function listening(): Promise<boolean> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN dateline_changes'`,
      );
      return (rows[0] as { n: number }).n > 0;
    } finally {
      await client.end();
    }
  }

  /** A document published by another process is in the app's search within a second. */
  async function publishedElsewhereIsSeen(origin: string, word: string): Promise<number> {
    const store = await openStore(databaseUrl);
    try {
      const catalog = await loadCatalog(store.db);
      const writer = writerFor(store);
      await store.transaction((tx) =>
        writer.create(tx, {
          kind: 'press-release',
          slug: `${word}-agreement-reached`,
          title: `${word} agreement reached`,
          summary: 'Written by another process after the database came back.',
          bodyHtml: `<p>VIENNA – The ${word} agreement.</p>`,
          datedAt: new Date(Date.now() - 3_600_000).toISOString(),
          place: 'Vienna',
          sourceIds: [catalog.structureBySlug('secretariat')?.id as number],
          status: 'published',
          fieldIds: [],
        }),
      );
      return await within(1_000, `${word} is found`, async () => {
        const answer = await get(origin, `/search.json?q=${word}`);
        return answer.status === 200 && (JSON.parse(answer.body) as { total: number }).total === 1;
      });
    } finally {
      await store.close();
    }
  }

  it('serves pages and the API while the database answers', async () => {
    const origin = server?.origin as string;
    for (const url of [...held, ...pages, ...api]) expect((await get(origin, url)).status, url).toBe(200);
  });

  /**
   * Stops the database under readers in flight, keeps it away for a while (several retries of the
   * LISTEN connection, several polls of the followers), then starts it again on the same port.
   */
  async function outage(mode: 'fast' | 'immediate', word: string): Promise<string> {
    const origin = server?.origin as string;
    if (!cluster?.running) await cluster?.start();
    const readers = keepReading(origin, [...held, ...pages, ...api]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await cluster?.stop(mode);
    const worstDown = await expectUnavailable(origin);
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    await expectUnavailable(origin);
    const during = await readers.stop();
    const failed = during.filter((answer) => answer.status !== 200 && answer.status !== 503);
    expect(failed.map((answer) => `${answer.url} ${answer.status} ${answer.body.slice(0, 200)}`)).toEqual([]);
    expect(during.filter((answer) => answer.status === 503).length).toBeGreaterThan(0);
    expect(worst(during)).toBeLessThan(ANSWER_WITHIN_MS);

    await cluster?.start();
    const recovered = await expectRecovered(origin);
    // NOTIFY works again, not only the poll: the app's LISTEN connection is open on the new server.
    const relistened = await within(3_000, 'the LISTEN connection is back', listening);
    const seen = await publishedElsewhereIsSeen(origin, word);
    expect(seen).toBeLessThan(1_000);
    return (
      `${mode} stop: ${during.length} requests under way (none failed otherwise than 503), slowest ` +
      `${worst(during).toFixed(0)} ms; once it was down, every answer within ${worstDown.toFixed(0)} ms; every page 200 ` +
      `${recovered.toFixed(0)} ms after the restart; LISTEN back ${relistened.toFixed(0)} ms later; another ` +
      `process's document seen after ${seen.toFixed(0)} ms`
    );
  }

  it('answers 503 at once when the database shuts down, then serves again when it is back', async () => {
    measured.push(await outage('fast', 'quillonwort'));
  });

  it('the same when the database crashes under requests in flight', async () => {
    measured.push(await outage('immediate', 'brambleford'));
  });

  it('logged each outage once, and never crashed', () => {
    expect(server?.child.exitCode, server?.output()).toBeNull();
    const lines = (server?.output() ?? '')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; msg: string });
    const errors = lines.filter((line) => line.level >= 50).map((line) => line.msg);
    expect(errors).toEqual([]);
    const lost = lines.filter((line) => /database does not answer/.test(line.msg));
    const back = lines.filter((line) => /database answers again/.test(line.msg));
    expect(lost).toHaveLength(2);
    expect(back).toHaveLength(2);
    expect(server?.output()).not.toMatch(/Unhandled|uncaught/i);
  });
});
