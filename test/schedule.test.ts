// Time and visibility: an event dated ahead but published now is listed as upcoming; a document
// under embargo (publishAt) is nowhere to be seen — page, listings, search, feeds, API, sitemap —
// until the clock passes its moment, then it is at its permalink. The test travels in time with
// the app's clock (reads and writes alike), on the SQL engine and on the bitmap index.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './support/test-app.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const FEED_FORMATS = ['rss', 'atom', 'feed.json', 'csv'] as const;

interface DocumentItem {
  id: number;
  kind: string;
  path: string;
  date: string;
  published_at: string | null;
  ends_at: string | null;
  time_zone: string | null;
}

interface DocumentList {
  total: number;
  items: DocumentItem[];
  facets?: Record<string, { value: string; count: number }[]>;
}

const EVENT = {
  slug: 'quillwort-conference-on-water-security',
  title: 'Quillwort conference on water security',
};
const EMBARGOED = {
  slug: 'xanthorrhoea-declaration-under-embargo',
  title: 'Xanthorrhoea declaration under embargo',
  word: 'xanthorrhoea',
};

/** The address a document dated `iso` gets under a kind's path. */
const permalink = (kindPath: string, iso: string, slug: string) =>
  `/${kindPath}/${iso.slice(0, 4)}/${iso.slice(5, 7)}/${slug}`;

describe.each([
  ['SQL', false],
  ['bitmap index', true],
] as const)('upcoming events and embargoes, listings on the %s engine', (_engine, bitmapIndex) => {
  let now = new Date();
  let testApp: TestApp;
  const get = (url: string) => testApp.app.inject({ method: 'GET', url });

  async function body(url: string): Promise<string> {
    const response = await get(url);
    expect(response.statusCode, url).toBe(200);
    return response.body;
  }

  async function json<T>(url: string): Promise<T> {
    return JSON.parse(await body(url)) as T;
  }

  /** The home page's events panel. */
  async function upcomingPanel(): Promise<string> {
    const home = await body('/');
    const panel = /<h2 id="events-heading">[^<]*<\/h2>([\s\S]*?)<\/section>/.exec(home)?.[1];
    expect(panel, 'the home page has an events panel').toBeDefined();
    return panel ?? '';
  }

  /** Every sitemap the index lists, as one text. */
  async function sitemaps(): Promise<string> {
    const index = await body('/sitemap.xml');
    const files = [...index.matchAll(/<loc>http:\/\/localhost:3000([^<]+)<\/loc>/g)].map((m) => m[1] as string);
    expect(files.length).toBeGreaterThan(1);
    return (await Promise.all(files.map(body))).join('\n');
  }

  let event: { id: number; path: string; datedAt: string; endsAt: string; publishedAt: string };
  let embargoed: { id: number; path: string; datedAt: string; publishAt: string };

  beforeAll(async () => {
    testApp = await buildTestApp({ clock: () => now, bitmapIndex });
    await testApp.app.ready();
    await testApp.indexReady;
    expect(testApp.context.listings.engine().name).toBe(bitmapIndex ? 'bitmap' : 'sql');
  });
  afterAll(() => testApp.cleanup());

  it('an event dated next month, published now, is upcoming: home page, /events and the API', async () => {
    const start = new Date(now.getTime() + 30 * DAY_MS);
    start.setUTCHours(8, 0, 0, 0);
    const datedAt = start.toISOString();
    const endsAt = new Date(start.getTime() + 9 * HOUR_MS).toISOString();
    const publishedAt = now.toISOString();
    const id = await testApp.store.transaction((tx) =>
      testApp.writer.create(tx, {
        kind: 'event',
        slug: EVENT.slug,
        title: EVENT.title,
        bodyHtml: '<p>Experts meet in Vienna.</p>',
        datedAt,
        endsAt,
        timeZone: 'Europe/Vienna',
        place: 'Vienna',
        status: 'published',
      }),
    );
    // Its address comes from its own date (next month), not from today.
    event = { id, path: permalink('events', datedAt, EVENT.slug), datedAt, endsAt, publishedAt };

    const page = await body(event.path);
    expect(page).toContain(`<h1>${EVENT.title}</h1>`);
    expect(await upcomingPanel()).toContain(`<a href="${event.path}">${EVENT.title}</a>`);
    expect(await body('/events')).toContain(`href="${event.path}"`);
    expect(await body('/events.rss')).toContain(EVENT.title);

    const list = await json<DocumentList>('/api/v1/documents?type=event');
    expect(list.items.find((item) => item.id === id)).toEqual(
      expect.objectContaining({
        kind: 'event',
        path: event.path,
        date: datedAt,
        published_at: publishedAt,
        ends_at: endsAt,
        time_zone: 'Europe/Vienna',
      }),
    );
  });

  it('a document embargoed until the day after tomorrow is nowhere to be seen', async () => {
    const pressReleasesBefore = (await json<DocumentList>('/api/v1/documents?type=press-release&page_size=1')).total;
    const allBefore = (await json<DocumentList>('/documents.json?page_size=1')).total;
    const datedAt = now.toISOString();
    const publishAt = new Date(now.getTime() + 2 * DAY_MS).toISOString();
    const id = await testApp.store.transaction((tx) =>
      testApp.writer.create(tx, {
        kind: 'press-release',
        slug: EMBARGOED.slug,
        title: EMBARGOED.title,
        summary: 'To be released at the ministerial meeting.',
        bodyHtml: '<p>Not before its time.</p>',
        datedAt,
        publishAt,
        status: 'published',
      }),
    );
    embargoed = { id, path: permalink('press-releases', datedAt, EMBARGOED.slug), datedAt, publishAt };
    const stored = await testApp.store.db
      .selectFrom('documents')
      .select(['permalink', 'published_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ permalink: embargoed.path, published_at: publishAt });

    // Its page, and an address with the right slug and another date (no redirect gives it away).
    expect((await get(embargoed.path)).statusCode).toBe(404);
    expect((await get(permalink('press-releases', '2001-01-01', EMBARGOED.slug))).statusCode).toBe(404);

    // Listings, the home page and search.
    for (const url of ['/', '/press-releases', '/documents', `/documents?q=${EMBARGOED.word}`]) {
      expect(await body(url), url).not.toContain(EMBARGOED.slug);
    }
    expect(await body(`/search?q=${EMBARGOED.word}`)).toContain('No documents found.');

    // Feeds and exports.
    for (const format of FEED_FORMATS) {
      for (const url of [`/press-releases.${format}`, `/search.${format}?q=${EMBARGOED.word}`]) {
        const feed = await body(url);
        expect(feed, url).not.toContain(EMBARGOED.slug);
        expect(feed, url).not.toContain(EMBARGOED.title);
      }
    }

    // The API: by id, by path, in lists, searches and counts.
    expect((await get(`/api/v1/documents/${id}`)).statusCode).toBe(404);
    expect((await get(`/api/v1/documents/by-path?path=${encodeURIComponent(embargoed.path)}`)).statusCode).toBe(404);
    expect((await json<DocumentList>(`/api/v1/documents?q=${EMBARGOED.word}`)).total).toBe(0);
    const counted = await json<DocumentList>('/api/v1/documents?type=press-release&facets=true&page_size=100');
    expect(counted.total).toBe(pressReleasesBefore);
    expect(counted.items.map((item) => item.id)).not.toContain(id);
    expect(counted.facets?.type?.find((value) => value.value === 'press-release')?.count).toBe(pressReleasesBefore);
    expect((await json<DocumentList>('/documents.json?page_size=1')).total).toBe(allBefore);

    // The sitemaps.
    expect(await sitemaps()).not.toContain(EMBARGOED.slug);
  });

  it('is at its permalink everywhere once the clock passes its embargo', async () => {
    now = new Date(Date.parse(embargoed.publishAt) + 60_000);

    const page = await body(embargoed.path);
    expect(page).toContain(`<h1>${EMBARGOED.title}</h1>`);
    const moved = await get(permalink('press-releases', '2001-01-01', EMBARGOED.slug));
    expect(moved.statusCode).toBe(301);
    expect(moved.headers.location).toBe(embargoed.path);

    for (const url of ['/', '/press-releases', '/documents', `/search?q=${EMBARGOED.word}`]) {
      expect(await body(url), url).toContain(`href="${embargoed.path}"`);
    }
    for (const format of FEED_FORMATS) {
      expect(await body(`/press-releases.${format}`), format).toContain(embargoed.path);
    }

    const doc = await json<DocumentItem>(`/api/v1/documents/${embargoed.id}`);
    // Its own date stays the day it was written; it went public when the embargo ended.
    expect(doc).toMatchObject({ path: embargoed.path, date: embargoed.datedAt, published_at: embargoed.publishAt });
    const byPath = await json<DocumentItem>(`/api/v1/documents/by-path?path=${encodeURIComponent(embargoed.path)}`);
    expect(byPath.id).toBe(embargoed.id);
    const searched = await json<DocumentList>(`/api/v1/documents?q=${EMBARGOED.word}`);
    expect(searched.items.map((item) => item.id)).toEqual([embargoed.id]);
    const facets = await json<DocumentList>(`/api/v1/documents?q=${EMBARGOED.word}&facets=true`);
    expect(facets.facets?.type).toEqual([{ value: 'press-release', label: 'Press release', count: 1 }]);

    expect(await sitemaps()).toContain(`http://localhost:3000${embargoed.path}</loc>`);
    // The event is still ahead.
    expect(await upcomingPanel()).toContain(`href="${event.path}"`);
  });

  it('an event leaves the upcoming panel once it has ended, and stays listed', async () => {
    now = new Date(Date.parse(event.datedAt) + HOUR_MS);
    expect(await upcomingPanel(), 'under way: still upcoming').toContain(`href="${event.path}"`);
    now = new Date(Date.parse(event.endsAt) + HOUR_MS);
    expect(await upcomingPanel()).not.toContain(`href="${event.path}"`);
    expect(await body('/events')).toContain(`href="${event.path}"`);
    expect((await get(event.path)).statusCode).toBe(200);
  });
});
