// Follows every internal link of the site, breadth-first from the home page, through
// app.inject: no link may lead to a 4xx or 5xx. Form actions are not followed (a GET form's
// states are covered by the listing tests); fragments are dropped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentPath } from '../src/listing/urls.ts';
import { buildTestApp, type TestApp } from './support/test-app.ts';

/** Enough demo documents that the link graph holds well over 1,000 distinct addresses. */
const DEMO_DOCUMENTS = 2000;
const MIN_URLS = 1000;
/**
 * Bounds the time; the whole site (about 3,600 addresses with 2,000 documents) crawls in under a
 * minute alone, and in up to twice that beside the other suites.
 */
const MAX_URLS = 8000;
/** The site's configured address (test-app's BASE_URL): canonical links use it. */
const SITE_ORIGIN = 'http://localhost:3000';

const LINK_TAG = /<(?:a|link)\b[^>]*>/gi;
const HREF = /\shref\s*=\s*(?:"([^"]*)"|'([^']*)')/i;
/** Facet links are nofollow: their combinations are endless, as for any crawler that honours it. */
const NOFOLLOW = /\srel\s*=\s*(?:"[^"]*\bnofollow\b[^"]*"|'[^']*\bnofollow\b[^']*')/i;
const SCRIPT_OR_IMAGE_SRC = /<(?:script|img)\b[^>]*?\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;

const NAMED_ENTITIES: Record<string, string> = { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>' };

function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity[0] === '#') {
      const code =
        entity[1] === 'x' || entity[1] === 'X' ? Number.parseInt(entity.slice(2), 16) : Number(entity.slice(1));
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[entity.toLowerCase()] ?? whole;
  });
}

/** Every same-origin address an HTML page refers to (links, stylesheets, scripts, images). */
function extractLinks(html: string, pageUrl: string): string[] {
  const base = new URL(pageUrl, SITE_ORIGIN);
  const found = new Set<string>();
  const add = (raw: string | undefined) => {
    if (raw === undefined) return;
    const value = decodeEntities(raw.trim());
    if (value === '' || value.startsWith('#')) return;
    let url: URL;
    try {
      url = new URL(value, base);
    } catch {
      found.add(`invalid URL: ${value}`);
      return;
    }
    if (url.origin !== SITE_ORIGIN) return;
    url.hash = '';
    found.add(url.pathname + url.search);
  };
  for (const [tag] of html.matchAll(LINK_TAG)) {
    if (NOFOLLOW.test(tag)) continue;
    const href = HREF.exec(tag);
    if (href) add(href[1] ?? href[2]);
  }
  for (const match of html.matchAll(SCRIPT_OR_IMAGE_SRC)) add(match[1] ?? match[2]);
  return [...found];
}

interface Failure {
  url: string;
  status: number | string;
  /** The first page found linking to it. */
  from: string;
}

describe('crawl of every internal link', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await buildTestApp({ demo: DEMO_DOCUMENTS });
  }, 120_000);

  afterAll(async () => {
    await testApp?.cleanup();
  });

  it('extracts links the way a browser resolves them', () => {
    const html = `<a href="/a?x=1&amp;y=2#top">x</a><a href='b'>b</a><link rel="canonical" href="http://localhost:3000/c">
      <a href="https://example.org/d">d</a><a href="mailto:x@example.org">m</a><a href="#main">skip</a>
      <form action="/search"></form><script src="/assets/s.js"></script><a class="x" href="/e&#39;s">e</a>
      <a href="/facet?field=x" rel="nofollow">f</a>`;
    expect(extractLinks(html, '/dir/page').sort()).toEqual(['/a?x=1&y=2', '/assets/s.js', '/c', '/dir/b', "/e's"]);
  });

  it(`visits at least ${MIN_URLS} distinct addresses without a 4xx or 5xx`, { timeout: 300_000 }, async () => {
    const started = Date.now();
    const referrer = new Map<string, string>([['/', '(start)']]);
    const queue: string[] = ['/'];
    const failures: Failure[] = [];
    const redirects: Failure[] = [];
    const statusCounts = new Map<number, number>();
    let visited = 0;
    let htmlPages = 0;
    let queueIndex = 0;

    while (queueIndex < queue.length && visited < MAX_URLS) {
      const url = queue[queueIndex++] as string;
      visited += 1;
      const from = referrer.get(url) ?? '?';
      if (url.startsWith('invalid URL')) {
        failures.push({ url, status: 'unparseable', from });
        continue;
      }
      const response = await testApp.app.inject({ method: 'GET', url });
      statusCounts.set(response.statusCode, (statusCounts.get(response.statusCode) ?? 0) + 1);
      if (response.statusCode >= 400) {
        failures.push({ url, status: response.statusCode, from });
        continue;
      }
      if (response.statusCode >= 300) {
        redirects.push({ url, status: `${response.statusCode} → ${response.headers.location}`, from });
        const location = response.headers.location;
        if (typeof location === 'string') {
          const [target] = extractLinks(`<a href="${location.replace(/"/g, '&quot;')}">`, url);
          if (target && !referrer.has(target)) {
            referrer.set(target, url);
            queue.push(target);
          }
        }
        continue;
      }
      if (!String(response.headers['content-type'] ?? '').startsWith('text/html')) continue;
      htmlPages += 1;
      for (const link of extractLinks(response.body, url)) {
        if (referrer.has(link)) continue;
        referrer.set(link, url);
        queue.push(link);
      }
    }

    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const statuses = [...statusCounts].map(([status, count]) => `${status}: ${count}`).join(', ');
    console.info(
      `crawl: ${visited} addresses visited (${htmlPages} HTML pages) of ${queue.length} discovered, ` +
        `cap ${MAX_URLS}, in ${seconds} s; statuses ${statuses}; ${redirects.length} redirects`,
    );
    if (redirects.length > 0) {
      console.warn(
        `internal links that redirect:\n${redirects
          .slice(0, 20)
          .map((r) => `  ${r.url} (${r.status}) linked from ${r.from}`)
          .join('\n')}`,
      );
    }
    const report = failures
      .slice(0, 50)
      .map((f) => `  ${f.status} ${f.url}\n      linked from ${f.from}`)
      .join('\n');
    expect(failures.length, `${failures.length} broken internal links:\n${report}`).toBe(0);
    expect(visited).toBeGreaterThanOrEqual(MIN_URLS);

    // Every published document must be reachable by links (checked when the crawl was complete).
    const complete = queueIndex === queue.length;
    if (!complete) {
      console.warn(`crawl capped at ${MAX_URLS} addresses: the reachability of every document was not checked`);
      return;
    }
    const now = new Date().toISOString();
    const documents = await testApp.store.db
      .selectFrom('documents')
      .select(['kind', 'slug', 'language', 'dated_at', 'permalink'])
      .where('status', '=', 'published')
      .where('language', '=', 'en')
      .where((eb) => eb.or([eb('publish_at', 'is', null), eb('publish_at', '<=', now)]))
      .execute();
    const unreachable = documents.map((doc) => documentPath(doc)).filter((path) => !referrer.has(path));
    expect(documents.length).toBeGreaterThanOrEqual(DEMO_DOCUMENTS / 2);
    expect(unreachable, `${unreachable.length} of ${documents.length} documents no link leads to`).toEqual([]);
  });
});
