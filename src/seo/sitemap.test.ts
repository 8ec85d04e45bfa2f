// Sitemaps through HTTP and directly: the split into files, absolute addresses, embargoes, well-formed XML.

import { XMLParser, XMLValidator } from 'fast-xml-parser';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/support/test-app.ts';
import { documentLastmod } from '../documents/visibility.ts';
import { seoRoutes } from './routes.ts';
import {
  countSitemapDocuments,
  documentSitemapPaths,
  listSitemapPaths,
  parseDocumentSitemapFile,
  readSitemapDocuments,
  renderUrlset,
  SITEMAP_NAMESPACE,
} from './sitemap.ts';
import { escapeXml, toW3cDatetime } from './xml.ts';

const ORIGIN = 'http://localhost:3000';
const DAY = 86_400_000;
const W3C_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const EMBARGOED_SLUG = 'embargoed-ministerial-declaration';
const DRAFT_SLUG = 'draft-statement-on-nothing-yet';

let testApp: TestApp;
/** A second instance of the routes, with 100 addresses per documents' sitemap. */
let small: FastifyInstance;
let clock = new Date();
/** When the embargoed declaration may be seen. */
const embargoEnds = new Date(clock.getTime() + DAY);

const parser = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'url' || name === 'sitemap' });

interface UrlEntry {
  loc: string;
  lastmod?: string;
}

/** Checks the XML is well-formed and of the sitemap namespace, and returns its entries. */
function parseSitemap(xml: string, root: 'urlset' | 'sitemapindex'): UrlEntry[] {
  expect(XMLValidator.validate(xml)).toBe(true);
  const parsed = parser.parse(xml) as Record<string, Record<string, unknown>>;
  const element = parsed[root];
  expect(element?.['@_xmlns']).toBe(SITEMAP_NAMESPACE);
  return (element?.[root === 'urlset' ? 'url' : 'sitemap'] ?? []) as UrlEntry[];
}

async function fetchXml(app: FastifyInstance, url: string): Promise<string> {
  const response = await app.inject({ url });
  expect(response.statusCode, url).toBe(200);
  expect(response.headers['content-type'], url).toBe('application/xml; charset=utf-8');
  return response.body;
}

/** Every sitemap the index of `app` lists, and the entries of each. */
async function crawlSitemaps(app: FastifyInstance): Promise<Map<string, UrlEntry[]>> {
  const files = new Map<string, UrlEntry[]>();
  for (const { loc } of parseSitemap(await fetchXml(app, '/sitemap.xml'), 'sitemapindex')) {
    expect(loc.startsWith(`${ORIGIN}/sitemaps/`), loc).toBe(true);
    const path = loc.slice(ORIGIN.length);
    files.set(path, parseSitemap(await fetchXml(app, path), 'urlset'));
  }
  return files;
}

const nowIso = () => clock.toISOString();

beforeAll(async () => {
  testApp = await buildTestApp({ demo: 250, clock: () => clock });
  await testApp.store.transaction(async (tx) => {
    await testApp.writer.create(tx, {
      kind: 'press-release',
      slug: EMBARGOED_SLUG,
      title: 'Embargoed ministerial declaration',
      bodyHtml: '<p>Not before tomorrow.</p>',
      datedAt: clock.toISOString(),
      publishAt: embargoEnds.toISOString(),
      status: 'published',
    });
    await testApp.writer.create(tx, {
      kind: 'statement',
      slug: DRAFT_SLUG,
      title: 'Draft statement',
      bodyHtml: '<p>Draft.</p>',
      datedAt: new Date(clock.getTime() - DAY).toISOString(),
      status: 'draft',
    });
  });
  small = Fastify();
  await small.register(seoRoutes, { context: testApp.context, documentsPerSitemap: 100 });
  await small.ready();
});
afterAll(async () => {
  await small.close();
  await testApp.cleanup();
});

describe('splitting the documents into files', () => {
  it('needs one file per started batch of addresses, none without documents', () => {
    expect(documentSitemapPaths(0, 100)).toEqual([]);
    expect(documentSitemapPaths(100, 100)).toEqual(['/sitemaps/documents-1.xml']);
    expect(documentSitemapPaths(101, 100)).toEqual(['/sitemaps/documents-1.xml', '/sitemaps/documents-2.xml']);
    expect(documentSitemapPaths(50_000)).toHaveLength(1);
    expect(documentSitemapPaths(50_001)).toHaveLength(2);
    expect(() => documentSitemapPaths(10, 0)).toThrow(RangeError);
    expect(() => documentSitemapPaths(10, 50_001)).toThrow(RangeError);
  });

  it('250 demo documents and the seed press release make 3 files of 100', async () => {
    const count = await countSitemapDocuments(testApp.store.db, nowIso());
    expect(count).toBe(251);
    expect(await listSitemapPaths(testApp.store.db, nowIso(), 100)).toEqual([
      '/sitemaps/pages.xml',
      '/sitemaps/documents-1.xml',
      '/sitemaps/documents-2.xml',
      '/sitemaps/documents-3.xml',
    ]);
    expect(await listSitemapPaths(testApp.store.db, nowIso())).toEqual([
      '/sitemaps/pages.xml',
      '/sitemaps/documents-1.xml',
    ]);
  });

  it('reads a file in batches by keyset and gets the same rows as in one statement', async () => {
    const read = async (batchSize: number) => {
      const ids: number[] = [];
      for await (const batch of readSitemapDocuments(testApp.store.db, nowIso(), {
        part: 2,
        perFile: 100,
        batchSize,
      })) {
        expect(batch.length).toBeLessThanOrEqual(batchSize);
        ids.push(...batch.map((row) => row.id));
      }
      return ids;
    };
    const inOne = await read(5_000);
    expect(inOne).toHaveLength(100);
    expect(await read(7)).toEqual(inOne);
    expect([...inOne].sort((a, b) => a - b)).toEqual(inOne);
  });

  it('parses only the files it writes', () => {
    expect(parseDocumentSitemapFile('documents-1.xml')).toBe(1);
    expect(parseDocumentSitemapFile('documents-12.xml')).toBe(12);
    for (const file of ['documents-0.xml', 'documents-01.xml', 'documents-1.xml.gz', 'documents-x.xml', 'pages.xml']) {
      expect(parseDocumentSitemapFile(file), file).toBeUndefined();
    }
  });
});

describe('sitemaps over HTTP', () => {
  let files: Map<string, UrlEntry[]>;
  beforeAll(async () => {
    files = await crawlSitemaps(small);
  });

  it('the index lists the site pages and 3 documents files of at most 100 addresses', () => {
    expect([...files.keys()]).toEqual([
      '/sitemaps/pages.xml',
      '/sitemaps/documents-1.xml',
      '/sitemaps/documents-2.xml',
      '/sitemaps/documents-3.xml',
    ]);
    expect([1, 2, 3].map((part) => files.get(`/sitemaps/documents-${part}.xml`)?.length)).toEqual([100, 100, 51]);
  });

  it('the documents files hold every visible document once, with its last change', async () => {
    const visible = await testApp.store.db
      .selectFrom('documents')
      .select(['kind', 'slug', 'published_at', 'updated_at'])
      .where('status', '=', 'published')
      .where((eb) => eb.or([eb('publish_at', 'is', null), eb('publish_at', '<=', nowIso())]))
      .where('kind', '!=', 'page')
      .execute();
    const entries = [1, 2, 3].flatMap((part) => files.get(`/sitemaps/documents-${part}.xml`) ?? []);
    expect(new Set(entries.map((entry) => entry.loc)).size).toBe(entries.length);
    expect(entries).toHaveLength(visible.length);
    for (const entry of entries) expect(entry.lastmod).toMatch(W3C_DATETIME);
    const seed = entries.find((entry) => entry.loc.includes('/press-releases/2007/09/osce-plays-key-role'));
    const seedRow = visible.find((row) => row.slug.startsWith('osce-plays-key-role'));
    expect(seed?.lastmod).toBe(toW3cDatetime(documentLastmod(seedRow as NonNullable<typeof seedRow>)));
  });

  it('every address is absolute and answers 200', async () => {
    const locs = [...files.values()].flat().map((entry) => entry.loc);
    expect(locs.length).toBeGreaterThan(251);
    for (const loc of locs) {
      expect(loc.startsWith(`${ORIGIN}/`), loc).toBe(true);
      const response = await testApp.app.inject({ url: loc.slice(ORIGIN.length) });
      expect(response.statusCode, loc).toBe(200);
    }
  });

  it('the site pages file has home, listings, taxonomy pages and page documents', () => {
    const locs = (files.get('/sitemaps/pages.xml') ?? []).map((entry) => entry.loc.slice(ORIGIN.length));
    for (const path of [
      '/',
      '/press-releases',
      '/news',
      '/statements',
      '/events',
      '/publications',
      '/documents',
      '/fields-of-work',
      '/fields-of-work/arms-control',
      '/meetings',
      '/countries',
      '/countries/participating-states',
      '/countries/asian-partners',
      '/countries/mediterranean-partners',
      '/countries/spain',
      '/structures',
      '/structures/secretariat',
      '/about-us',
    ]) {
      expect(locs, path).toContain(path);
    }
    expect(locs.filter((path) => path.startsWith('/countries/')).length).toBe(
      testApp.context.catalog.countries.length + 3,
    );
    expect(locs.filter((path) => path.startsWith('/structures/')).length).toBe(
      testApp.context.catalog.structures.length,
    );
  });

  it('embargoed and draft documents are in no sitemap until their time comes', async () => {
    const all = [...files.values()].flat().map((entry) => entry.loc);
    expect(all.some((loc) => loc.includes(EMBARGOED_SLUG))).toBe(false);
    expect(all.some((loc) => loc.includes(DRAFT_SLUG))).toBe(false);

    const realNow = clock;
    clock = new Date(realNow.getTime() + 2 * DAY);
    try {
      const later = [...(await crawlSitemaps(small)).values()].flat().map((entry) => entry.loc);
      expect(later.filter((loc) => loc.includes(EMBARGOED_SLUG))).toHaveLength(1);
      // It changed for readers when it appeared, after its last save.
      const entry = [...(await crawlSitemaps(small)).values()].flat().find((e) => e.loc.includes(EMBARGOED_SLUG));
      expect(entry?.lastmod).toBe(toW3cDatetime(embargoEnds.toISOString()));
      expect(later.some((loc) => loc.includes(DRAFT_SLUG))).toBe(false);
    } finally {
      clock = realNow;
    }
  });

  it('the application serves one documents file at the protocol limit', async () => {
    const index = parseSitemap(await fetchXml(testApp.app, '/sitemap.xml'), 'sitemapindex');
    expect(index.map((entry) => entry.loc)).toEqual([
      `${ORIGIN}/sitemaps/pages.xml`,
      `${ORIGIN}/sitemaps/documents-1.xml`,
    ]);
    expect(parseSitemap(await fetchXml(testApp.app, '/sitemaps/documents-1.xml'), 'urlset')).toHaveLength(251);
  });

  it.each([
    '/sitemaps/documents-0.xml',
    '/sitemaps/documents-4.xml',
    '/sitemaps/documents-1.xml.gz',
    '/sitemaps/other.xml',
  ])('%s is not found', async (url) => {
    expect((await small.inject({ url })).statusCode).toBe(404);
  });
});

describe('XML text', () => {
  it('escapes the five special characters and drops those XML forbids', () => {
    expect(escapeXml(`a&b<c>d"e'f\u0001g`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;fg');
  });

  it('a base URL with special characters still makes a well-formed sitemap', () => {
    const xml = renderUrlset('https://example.org/a&b', [
      { path: '/x?y=1&z=<2>', lastmod: '2007-09-11T08:30:00.123Z' },
    ]);
    const [entry] = parseSitemap(xml, 'urlset');
    expect(entry).toEqual({ loc: 'https://example.org/a&b/x?y=1&z=<2>', lastmod: '2007-09-11T08:30:00Z' });
  });
});
