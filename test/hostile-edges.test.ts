// Regression tests for edges a hostile or careless client found: each names the defect it pins.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ifNoneMatchMatches } from '../src/api/conditional.ts';
import { securityHeaders } from '../src/security-headers.ts';
import { requestCost } from '../src/throttle.ts';
import { buildTestApp, type TestApp } from './support/test-app.ts';

describe('If-None-Match as RFC 9110 reads it', () => {
  it('matches "*", any tag of a list, and weak against strong', () => {
    expect(ifNoneMatchMatches('*', '"abc"')).toBe(true);
    expect(ifNoneMatchMatches('"x", "abc"', '"abc"')).toBe(true);
    expect(ifNoneMatchMatches('W/"abc"', '"abc"')).toBe(true);
    expect(ifNoneMatchMatches('"abc"', 'W/"abc"')).toBe(true);
    expect(ifNoneMatchMatches('"x", "y"', '"abc"')).toBe(false);
    expect(ifNoneMatchMatches(undefined, '"abc"')).toBe(false);
    expect(ifNoneMatchMatches('"abc"', undefined)).toBe(false);
  });
});

describe('edges of the site and the API', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await buildTestApp({ demo: 120 });
  });
  afterAll(() => testApp.cleanup());

  it('the 400 page for a malformed address carries the security headers like every response', async () => {
    const response = await testApp.app.inject({ url: '/%FF' });
    expect(response.statusCode).toBe(400);
    for (const [name, value] of Object.entries(securityHeaders())) expect(response.headers[name]).toBe(value);
  });

  it('names an object inherits are not country groups: /countries/constructor is a 404', async () => {
    for (const name of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) {
      const response = await testApp.app.inject({ url: `/countries/${name}` });
      expect(response.statusCode, name).toBe(404);
    }
    expect((await testApp.app.inject({ url: '/countries/participating-states' })).statusCode).toBe(200);
  });

  it('a listing opened with a cursor links its pages without the cursor, and each link answers', async () => {
    const first = JSON.parse((await testApp.app.inject({ url: '/documents.json?page_size=5' })).body) as {
      next_cursor: string | null;
    };
    expect(first.next_cursor).not.toBeNull();
    const page = await testApp.app.inject({
      url: `/documents?page_size=5&cursor=${encodeURIComponent(first.next_cursor as string)}`,
    });
    expect(page.statusCode).toBe(200);
    const links = [...page.body.matchAll(/<nav class="pagination"[\s\S]*?<\/nav>/g)].flatMap((nav) =>
      [...nav[0].matchAll(/href="([^"]+)"/g)].map((m) => (m[1] as string).replaceAll('&amp;', '&')),
    );
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      expect(link).not.toContain('cursor=');
      expect((await testApp.app.inject({ url: link })).statusCode, link).toBe(200);
    }
  });

  it('ids have one address: /api/v1/documents/000102 is refused, naming the parameter', async () => {
    const listed = JSON.parse((await testApp.app.inject({ url: '/api/v1/documents?page_size=1&fields=id' })).body) as {
      items: { id: number }[];
    };
    const id = listed.items[0]?.id as number;
    expect((await testApp.app.inject({ url: `/api/v1/documents/${id}` })).statusCode).toBe(200);
    const padded = await testApp.app.inject({ url: `/api/v1/documents/000${id}` });
    expect(padded.statusCode).toBe(400);
    expect(JSON.parse(padded.body)).toMatchObject({ code: 'DL_ERR_INVALID_PARAMETER', parameter: 'id' });
  });

  it('snippets are made only where they are shown: pages and JSON, not feeds, CSV or fields without them', async () => {
    const snippetStatements = async (url: string) => {
      let count = 0;
      const stop = testApp.store.observeQueries((sql) => {
        // FTS5's snippet(), PostgreSQL's ts_headline().
        if (sql.includes('snippet(') || sql.includes('ts_headline(')) count += 1;
      });
      const response = await testApp.app.inject({ url });
      stop();
      expect(response.statusCode, url).toBe(200);
      return count;
    };
    for (const url of ['/search?q=police', '/search.json?q=police', '/api/v1/documents?q=police'])
      expect(await snippetStatements(url), url).toBe(1);
    for (const url of [
      '/search.rss?q=police',
      '/search.atom?q=police',
      '/search.csv?q=police',
      '/search.feed.json?q=police',
      '/search.json?q=police&fields=id,title',
      '/api/v1/documents?q=police&fields=id',
    ])
      expect(await snippetStatements(url), url).toBe(0);
  });

  it('answers 304 to If-None-Match: * and to a list holding the current ETag', async () => {
    const url = '/api/v1/fields-of-work';
    const fresh = await testApp.app.inject({ url });
    const etag = fresh.headers.etag as string;
    expect(etag).toMatch(/^(W\/)?"/);
    const star = await testApp.app.inject({ url, headers: { 'if-none-match': '*' } });
    expect(star.statusCode).toBe(304);
    expect(star.body).toBe('');
    const list = await testApp.app.inject({ url, headers: { 'if-none-match': `"stale", ${etag}` } });
    expect(list.statusCode).toBe(304);
    const other = await testApp.app.inject({ url, headers: { 'if-none-match': '"stale", "older"' } });
    expect(other.statusCode).toBe(200);
  });
});

describe('the rate limit', () => {
  let limitedApp: TestApp;
  beforeAll(async () => {
    limitedApp = await buildTestApp({ rateLimit: { max: 2, timeWindowMs: 60_000 } });
  });
  afterAll(() => limitedApp.cleanup());

  it('the 429 message states the configured window, not the seconds left in it', async () => {
    let limited: { statusCode: number; body: string } | undefined;
    for (let i = 0; i < 5 && !limited; i += 1) {
      const response = await limitedApp.app.inject({ url: '/api/v1/countries' });
      if (response.statusCode === 429) limited = response;
    }
    expect(limited?.statusCode).toBe(429);
    const problem = JSON.parse(limited?.body ?? '{}') as { detail: string; code: string };
    expect(problem.code).toBe('DL_ERR_RATE_LIMITED');
    expect(problem.detail).toMatch(/at most 2 points per minute for each address/);
  });

  it('a search costs five points, so the budget buys five times fewer searches than pages', async () => {
    const searching = await buildTestApp({ demo: 20, rateLimit: { max: 12, timeWindowMs: 60_000 } });
    try {
      const statuses: number[] = [];
      for (const url of ['/search?q=police', '/search?q=media', '/documents', '/news', '/search?q=youth'])
        statuses.push((await searching.app.inject({ url })).statusCode);
      // 5 + 5 + 1 + 1 spent of 12: two pages still fitted, a third search does not.
      expect(statuses).toEqual([200, 200, 200, 200, 429]);
    } finally {
      await searching.cleanup();
    }
  });
});

describe('requestCost', () => {
  it('weighs a request by the work it asks for', () => {
    expect(requestCost('/documents', {})).toBe(1);
    expect(requestCost('/search', { q: 'media' })).toBe(5);
    expect(requestCost('/search', { q: '   ' })).toBe(1);
    expect(requestCost('/api/v1/documents', { q: ['media', 'x'], page_size: '100' })).toBe(7);
    expect(requestCost('/documents.csv', { page_size: '100000' })).toBe(21);
    for (const free of ['/assets/site.abc.css', '/healthz', '/readyz', '/robots.txt', '/favicon.ico'])
      expect(requestCost(free, { q: 'x' }), free).toBe(0);
  });
});

describe('the count cache never changes what a response says', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await buildTestApp({ demo: 60, countCacheTtlMs: 30_000 });
  });
  afterAll(() => testApp.cleanup());

  it('JSON carries facets only when asked, even right after an HTML page counted the same filter', async () => {
    const body = async (url: string) => (await testApp.app.inject({ url })).body;
    const before = {
      api: await body('/api/v1/documents?page_size=1'),
      json: await body('/documents.json?page_size=1'),
    };
    expect((await testApp.app.inject({ url: '/documents?page_size=1' })).body).toContain('facet');
    const after = { api: await body('/api/v1/documents?page_size=1'), json: await body('/documents.json?page_size=1') };
    expect(after).toEqual(before);
    expect(JSON.parse(after.api)).not.toHaveProperty('facets');
    expect(JSON.parse(after.json)).not.toHaveProperty('facets');
    expect(JSON.parse(await body('/api/v1/documents?page_size=1&facets=true'))).toHaveProperty('facets');
  });
});

describe('slow clients', () => {
  let testApp: TestApp;
  let port: number;
  beforeAll(async () => {
    testApp = await buildTestApp({ timeouts: { headersMs: 300, requestMs: 600, checkEveryMs: 100 } });
    const address = await testApp.app.listen({ port: 0, host: '127.0.0.1' });
    port = Number(new URL(address).port);
  });
  afterAll(() => testApp.cleanup());

  /** Sends `text` and never more; resolves with what the server answered and when it hung up. */
  function trickle(text: string): Promise<{ answer: string; closedAfterMs: number }> {
    return new Promise((resolve, reject) => {
      const started = performance.now();
      let answer = '';
      const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
      socket.on('data', (chunk) => {
        answer += chunk.toString('latin1');
      });
      socket.on('error', reject);
      socket.on('close', () => resolve({ answer, closedAfterMs: performance.now() - started }));
      setTimeout(() => reject(new Error('the server kept the connection open')), 5_000).unref();
    });
  }

  it('a client that never finishes its headers gets a 408 and is cut off', async () => {
    const { answer, closedAfterMs } = await trickle('GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ');
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(closedAfterMs).toBeGreaterThanOrEqual(250);
    expect(closedAfterMs).toBeLessThan(3_000);
  });

  it('a client that never finishes its body is cut off too', async () => {
    const { answer, closedAfterMs } = await trickle(
      'POST /search HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\nq=',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 (408|404|405|413|415) /);
    expect(closedAfterMs).toBeLessThan(3_000);
  });
});

describe('a search past its time budget', () => {
  // The worst search the grammar allows: four of the shortest prefixes, a hundred rows, in every
  // format. Over long bodies made of words with those prefixes, its snippets alone take seconds.
  const WORST = encodeURIComponent('con* OR pro* OR sec* OR org*');
  const WORST_URLS = [
    `/search?q=${WORST}&page_size=100`,
    `/documents.rss?q=${WORST}&page_size=100`,
    `/documents.csv?q=${WORST}&page_size=100`,
    `/documents.json?q=${WORST}&page_size=100`,
    `/api/v1/documents?q=${WORST}&page_size=100`,
    `/api/v1/documents?q=${WORST}&page_size=100&fields=id`,
  ];
  const WORDS = ['concern', 'process', 'second', 'organise', 'contribute', 'programme', 'security', 'organisation'];
  let tight: TestApp;
  let roomy: TestApp;
  let port: number;
  /** A quarter of what the worst search takes with room to finish: always past the budget. */
  let budgetMs: number;

  async function withLongReports(options: { searchTimeoutMs: number }): Promise<TestApp> {
    const testApp = await buildTestApp(options);
    await testApp.store.transaction(async (tx) => {
      for (let i = 0; i < 300; i++) {
        const words = Array.from({ length: 1500 }, (_, j) => WORDS[(i * 7 + j * 13 + (j >> 3)) % WORDS.length]);
        await testApp.writer.create(tx, {
          kind: 'news',
          slug: `long-report-${i}`,
          title: `Long report ${i} on ${WORDS[i % WORDS.length]}`,
          summary: words.slice(0, 30).join(' '),
          bodyHtml: `<p>${words.join(' ')}.</p>`,
          datedAt: new Date(Date.UTC(2020, 0, 1 + i)).toISOString(),
          place: 'Vienna',
          sourceIds: [1],
          status: 'published',
        });
      }
    });
    return testApp;
  }

  beforeAll(async () => {
    roomy = await withLongReports({ searchTimeoutMs: 60_000 });
    const started = performance.now();
    expect((await roomy.app.inject({ url: WORST_URLS[0] as string })).statusCode).toBe(200);
    budgetMs = Math.max(10, Math.round((performance.now() - started) / 4));
    tight = await withLongReports({ searchTimeoutMs: budgetMs });
    const address = await tight.app.listen({ port: 0, host: '127.0.0.1' });
    port = Number(new URL(address).port);
  });
  afterAll(() => Promise.all([tight.cleanup(), roomy.cleanup()]));

  const timed = async (path: string) => {
    const started = performance.now();
    const response = await fetch(`http://127.0.0.1:${port}${path}`);
    return {
      status: response.status,
      headers: response.headers,
      body: await response.text(),
      ms: performance.now() - started,
    };
  };

  it('is answered within the budget in every format: in full, or 503 with Retry-After and what to do', async () => {
    const statuses: number[] = [];
    for (const url of WORST_URLS) {
      const answer = await timed(url);
      statuses.push(answer.status);
      expect([200, 503], url).toContain(answer.status);
      // A statement is stopped at the budget: never answered when it would have ended.
      expect(answer.ms, url).toBeLessThan(budgetMs * 3 + 500);
      if (answer.status === 503) {
        expect(answer.headers.get('retry-after'), url).toBe('5');
        expect(answer.body, url).toMatch(/more words, fewer prefixes/);
      }
    }
    // The pages that show snippets are the ones past the budget.
    expect(statuses[0]).toBe(503);
    expect(statuses[4]).toBe(503);
    const problem = JSON.parse((await timed(WORST_URLS[4] as string)).body) as { code: string; status: number };
    expect(problem).toMatchObject({ code: 'DL_ERR_SEARCH_TIMEOUT', status: 503 });
  });

  it('while /healthz and a page answer at once', async () => {
    const search = timed(WORST_URLS[0] as string);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const health = await timed('/healthz');
    const page = await timed('/documents?page_size=5');
    expect(health.status).toBe(200);
    expect(health.ms).toBeLessThan(150);
    expect(page.status).toBe(200);
    expect(page.ms).toBeLessThan(150);
    expect((await search).status).toBe(503);
  });

  it('answers in full when it fits its budget', async () => {
    for (const url of WORST_URLS.slice(1)) {
      expect((await roomy.app.inject({ url })).statusCode, url).toBe(200);
    }
  });
});
