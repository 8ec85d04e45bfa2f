// Every listing's feeds through HTTP: valid RSS 2.0, Atom 1.0, JSON Feed 1.1 and CSV, read back with real parsers.
import { parseFeed } from '@rowanmanning/feed-parser';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/support/test-app.ts';
import type { DocumentInput } from '../documents/writer.ts';
import type { FeedFormat } from '../listing/formats.ts';
import { CSV_COLUMNS } from './csv.ts';
import { JSON_FEED_VERSION, type JsonFeed } from './json-feed.ts';

const ORIGIN = 'http://localhost:3000';
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const XML_FORMATS = ['rss', 'atom'] as const;
const FORMATS: readonly FeedFormat[] = ['rss', 'atom', 'feed.json', 'csv'];

// No literal "&amp;" here: readers decode entities in titles a second time, whatever the format says.
const HOSTILE_TITLE = 'Beware <script>alert("x")</script> ]]> R&D & ]]> \u0001\u0008end';
/** What readers must get back: everything but the characters XML 1.0 cannot carry. */
const HOSTILE_SHOWN = 'Beware <script>alert("x")</script> ]]> R&D & ]]> end';
const FORMULA_TITLE = '=HYPERLINK("http://evil.example","Click, here")';

let testApp: TestApp;
let humanRights: number;
const get = (url: string) => testApp.app.inject({ method: 'GET', url });

const RFC_822 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC_3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const DOCUMENT_TAG = /^tag:localhost,2026:document:\d+$/;

const REPEATABLE = new Set([
  'rss.channel.item',
  'rss.channel.atom:link',
  'rss.channel.item.category',
  'feed.link',
  'feed.author',
  'feed.entry',
  'feed.entry.link',
  'feed.entry.author',
  'feed.entry.category',
]);

/** The raw XML tree, with repeatable elements always as arrays, for checking what the specs require. */
const xmlTree = (xml: string) =>
  new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    parseAttributeValue: false,
    htmlEntities: false,
    isArray: (_name, path) => REPEATABLE.has(String(path)),
  }).parse(xml);

type Node = Record<string, unknown>;
const text = (node: unknown): string =>
  typeof node === 'string' ? node : String((node as Node | undefined)?.['#text'] ?? '');
const nodes = (node: unknown): Node[] => (Array.isArray(node) ? (node as Node[]) : []);
const child = (node: unknown, name: string): Node => ((node as Node | undefined)?.[name] ?? {}) as Node;

/** RSS items or Atom entries, as raw XML nodes. */
function xmlItems(format: 'rss' | 'atom', xml: string): Node[] {
  const tree = xmlTree(xml);
  return format === 'rss' ? nodes(child(child(tree, 'rss'), 'channel').item) : nodes(child(tree, 'feed').entry);
}

/** One item as any reader sees it, whatever the format. */
interface ReadItem {
  id: string;
  url: string;
  title: string;
  content: string;
}

function readItems(format: FeedFormat, body: string): ReadItem[] {
  if (format === 'feed.json') {
    return (JSON.parse(body) as JsonFeed).items.map((item) => ({
      id: item.id,
      url: item.url,
      title: item.title,
      content: item.content_html,
    }));
  }
  if (format === 'csv') {
    const rows = parseCsv(body, { bom: true, columns: true }) as Record<string, string>[];
    return rows.map((row) => ({ id: row.id ?? '', url: row.url ?? '', title: row.title ?? '', content: '' }));
  }
  expect(XMLValidator.validate(body)).toBe(true);
  return parseFeed(body).items.map((item) => ({
    id: item.id ?? '',
    url: item.url ?? '',
    title: item.title ?? '',
    content: item.content ?? '',
  }));
}

async function fetchItems(format: FeedFormat, path: string, query = ''): Promise<ReadItem[]> {
  const response = await get(`${path}.${format}${query}`);
  expect(response.statusCode).toBe(200);
  return readItems(format, response.body);
}

/** The document links of an HTML listing's first page, in order. */
async function htmlLinks(url: string): Promise<string[]> {
  const response = await get(url);
  expect(response.statusCode).toBe(200);
  return [...response.body.matchAll(/class="doc-row__title"><a href="([^"]+)"/g)].map((m) => `${ORIGIN}${m[1]}`);
}

const recent = (minutesAgo: number) => new Date(Date.now() - minutesAgo * MINUTE).toISOString();

function pressRelease(slug: string, title: string, extra: Partial<DocumentInput> = {}): DocumentInput {
  return {
    kind: 'press-release',
    slug,
    title,
    bodyHtml: '<p>Body.</p>',
    datedAt: recent(5),
    status: 'published',
    fieldIds: [humanRights],
    ...extra,
  };
}

beforeAll(async () => {
  testApp = await buildTestApp({ demo: 150 });
  const catalog = testApp.context.catalog;
  humanRights = catalog.fieldBySlug('human-rights')?.id ?? 0;
  const secretariat = catalog.structureBySlug('secretariat')?.id ?? 0;
  const austria = catalog.countryBySlug('austria')?.id ?? 0;
  await testApp.store.transaction(async (tx) => {
    await testApp.writer.create(
      tx,
      pressRelease('hostile-title', HOSTILE_TITLE, {
        summary: 'A summary with <b>markup</b> & ]]> in it.',
        bodyHtml: '<p>See <a href="/about-us">about us</a> and <a href="https://example.org/x">elsewhere</a> ]]></p>',
        datedAt: recent(1),
        sourceIds: [secretariat],
        countryIds: [austria],
        place: 'Vienna',
      }),
    );
    await testApp.writer.create(
      tx,
      pressRelease('formula-title', FORMULA_TITLE, {
        summary: 'First line, with a comma\nsecond line with "quotes"',
        place: '@Vienna',
        datedAt: recent(2),
      }),
    );
    await testApp.writer.create(
      tx,
      pressRelease('embargoed-feed-item', 'Embargoed feed item', {
        publishAt: new Date(Date.now() + DAY).toISOString(),
      }),
    );
  });
});
afterAll(() => testApp.cleanup());

describe('RSS 2.0', () => {
  it('has the channel and item elements the specification requires, and readers parse it', async () => {
    const url = '/press-releases.rss?field=human-rights';
    const response = await get(url);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    expect(XMLValidator.validate(response.body)).toBe(true);

    const rss = xmlTree(response.body).rss as Node;
    expect(rss['@_version']).toBe('2.0');
    const channel = rss.channel as Node;
    expect(text(channel.title)).not.toBe('');
    expect(text(channel.link)).toBe(`${ORIGIN}/press-releases?field=human-rights`);
    expect(text(channel.description)).not.toBe('');
    expect(text(channel.lastBuildDate)).toMatch(RFC_822);
    const self = nodes(channel['atom:link']).find((link) => link['@_rel'] === 'self');
    expect(self?.['@_href']).toBe(`${ORIGIN}${url}`);

    const items = nodes(channel.item);
    expect(items.length).toBeGreaterThan(1);
    for (const item of items) {
      expect(text(item.title)).not.toBe('');
      expect(text(item.link)).toMatch(new RegExp(`^${ORIGIN}/press-releases/\\d{4}/\\d{2}/`));
      const guid = item.guid as Node;
      expect(guid['@_isPermaLink']).toBe('false');
      expect(text(guid)).toMatch(DOCUMENT_TAG);
      expect(text(item.pubDate)).toMatch(RFC_822);
      expect(text(item['content:encoded'])).toMatch(/^<p>/);
      const categories = nodes(item.category).map(text);
      expect(categories).toContain('Press release');
      expect(categories).toContain('Human rights');
    }

    const feed = parseFeed(response.body);
    expect(feed.meta.type).toBe('rss');
    expect(feed.self).toBe(`${ORIGIN}${url}`);
    const hostile = feed.items.find((item) => item.title === HOSTILE_SHOWN);
    expect(hostile?.authors.map((author) => author.name)).toEqual(['OSCE Secretariat']);
    expect(hostile?.categories.map((category) => category.label)).toEqual(['Press release', 'Human rights', 'Austria']);
    expect(hostile?.published?.getTime()).toBeGreaterThan(Date.now() - 10 * MINUTE);
  });
});

describe('Atom 1.0', () => {
  it('has the feed and entry elements RFC 4287 requires, and readers parse it', async () => {
    const url = '/structures/secretariat.atom';
    const response = await get(url);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(XMLValidator.validate(response.body)).toBe(true);

    const feed = xmlTree(response.body).feed as Node;
    expect(feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(text(feed.id)).toMatch(/^tag:localhost,2026:listing:\/structures\/secretariat$/);
    expect(text(feed.title)).not.toBe('');
    expect(text(feed.updated)).toMatch(RFC_3339);
    const links = nodes(feed.link);
    expect(links.find((link) => link['@_rel'] === 'self')?.['@_href']).toBe(`${ORIGIN}${url}`);
    expect(links.find((link) => link['@_rel'] === 'alternate')?.['@_href']).toBe(`${ORIGIN}/structures/secretariat`);
    expect(text((nodes(feed.author)[0] as Node).name)).not.toBe('');

    const entries = nodes(feed.entry);
    expect(entries.length).toBeGreaterThan(1);
    for (const entry of entries) {
      expect(text(entry.id)).toMatch(DOCUMENT_TAG);
      expect(text(entry.title)).not.toBe('');
      expect(text(entry.updated)).toMatch(RFC_3339);
      expect(text(entry.published)).toMatch(RFC_3339);
      expect(text(entry.updated) >= text(entry.published)).toBe(true);
      expect(nodes(entry.link)[0]?.['@_href']).toMatch(new RegExp(`^${ORIGIN}/`));
      // The secretariat or one of its departments issued every one of them.
      const author = nodes(entry.author)[0] as Node;
      expect(text(author.name)).not.toBe('');
      expect(text(author.uri)).toMatch(new RegExp(`^${ORIGIN}/structures/`));
      expect((entry.content as Node)['@_type']).toBe('html');
    }
    // The feed is as new as its newest entry.
    const newest = entries
      .map((entry) => text(entry.updated))
      .sort()
      .at(-1);
    expect(text(feed.updated)).toBe(newest);

    const parsed = parseFeed(response.body);
    expect(parsed.meta.type).toBe('atom');
    expect(parsed.items[0]?.authors[0]?.url).toMatch(new RegExp(`^${ORIGIN}/structures/`));
  });

  it('gives an empty listing a valid feed dated now', async () => {
    const response = await get('/search.atom?q=zzzqqxnothingmatches');
    expect(response.statusCode).toBe(200);
    expect(XMLValidator.validate(response.body)).toBe(true);
    const feed = xmlTree(response.body).feed as Node;
    expect(feed.entry).toBeUndefined();
    expect(Date.parse(text(feed.updated))).toBeGreaterThan(Date.now() - MINUTE);
  });
});

describe('JSON Feed 1.1', () => {
  it('has the version, the top-level and the item properties, with authors', async () => {
    const url = '/search.feed.json?q=trafficking';
    const response = await get(url);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/feed+json; charset=utf-8');
    const feed = JSON.parse(response.body) as JsonFeed;
    expect(feed.version).toBe(JSON_FEED_VERSION);
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.title).toBe('Search — “trafficking”');
    expect(feed.home_page_url).toBe(`${ORIGIN}/search?q=trafficking`);
    expect(feed.feed_url).toBe(`${ORIGIN}${url}`);
    expect(feed.authors[0]?.name).toBe('Organization for Security and Co-operation in Europe');
    expect(feed).not.toHaveProperty('author');
    expect(feed.items.length).toBeGreaterThan(0);
    for (const item of feed.items) {
      expect(item.id).toMatch(DOCUMENT_TAG);
      expect(item.url).toMatch(new RegExp(`^${ORIGIN}/`));
      expect(item.title).not.toBe('');
      expect(item.content_html.length).toBeGreaterThan(0);
      expect(item.date_published).toMatch(RFC_3339);
      expect(item.date_modified).toMatch(RFC_3339);
      expect(item.tags.length).toBeGreaterThan(0);
      for (const author of item.authors ?? []) expect(author.name).not.toBe('');
      expect(item).not.toHaveProperty('author');
    }
  });

  it('links the next page when there is one', async () => {
    const first = JSON.parse((await get('/documents.feed.json?page_size=5')).body) as JsonFeed;
    expect(first.next_url).toMatch(new RegExp(`^${ORIGIN}/documents\\.feed\\.json\\?page_size=5&cursor=`));
    const next = JSON.parse((await get((first.next_url ?? '').slice(ORIGIN.length))).body) as JsonFeed;
    expect(next.items).toHaveLength(5);
    expect(next.items.map((item) => item.id)).not.toContain(first.items[4]?.id);
  });
});

describe('CSV', () => {
  it('has the header row, one row per document, RFC 4180 line ends and quoting, UTF-8 with a BOM', async () => {
    const response = await get('/fields-of-work/human-rights.csv');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toContain('.csv');
    const body = response.body;
    expect(body.startsWith(`\uFEFF${CSV_COLUMNS.join(',')}\r\n`)).toBe(true);
    expect(CSV_COLUMNS.slice(0, 4)).toEqual(['id', 'kind', 'title', 'date']);

    const rows = parseCsv(body, { bom: true, columns: true }) as Record<string, string>[];
    const html = await htmlLinks('/fields-of-work/human-rights');
    expect(rows.map((row) => row.url)).toEqual(html);

    const formula = rows.find((row) => row.url?.endsWith('/formula-title'));
    // A spreadsheet shows the text, and runs nothing.
    expect(formula?.title).toBe(`'${FORMULA_TITLE}`);
    expect(formula?.place).toBe("'@Vienna");
    expect(formula?.summary).toBe('First line, with a comma\nsecond line with "quotes"');
    expect(formula?.kind).toBe('Press release');
    expect(formula?.fields_of_work).toBe('Human rights');
    expect(body).toContain(`"'=HYPERLINK(""http://evil.example"",""Click, here"")"`);

    const seed = rows.find((row) => row.id === '1');
    expect(seed?.source).toBe('OSCE Secretariat');
    expect(seed?.fields_of_work).toBe('Human rights; Combating trafficking in human beings');
    expect(seed?.countries).toContain('; ');
    expect(seed?.date).toBe('2007-09-11T00:00:00.000Z');
    expect(seed?.demo).toBe('no');
  });
});

describe('every format', () => {
  it.each([
    ['rss', '/press-releases', '?field=human-rights'],
    ['atom', '/countries/austria', ''],
    ['feed.json', '/search', '?q=trafficking'],
    ['csv', '/documents', '?type=news&sort=oldest'],
    ['rss', '/structures/secretariat', '?page=2'],
  ] as const)('%s of %s%s lists the same documents as the page', async (format, path, query) => {
    const items = await fetchItems(format, path, query);
    expect(items.length).toBeGreaterThan(0);
    expect(items.map((item) => item.url)).toEqual(await htmlLinks(`${path}${query}`));
  });

  it('answers for meetings too', async () => {
    const meeting = testApp.context.catalog.meetings[0];
    expect(meeting).toBeDefined();
    for (const format of FORMATS) {
      const response = await get(`/meetings/${meeting?.slug}.${format}`);
      expect(response.statusCode).toBe(200);
      readItems(format, response.body);
    }
  });

  it.each(['rss', 'atom', 'feed.json'] as const)('%s carries the full body with absolute links', async (format) => {
    const items = await fetchItems(format, '/press-releases');
    const hostile = items.find((item) => item.url.endsWith('/hostile-title'));
    expect(hostile?.content).toContain(`<a href="${ORIGIN}/about-us">about us</a>`);
    expect(hostile?.content).toContain('<a href="https://example.org/x">elsewhere</a>');
  });

  it.each(FORMATS)('%s keeps a hostile title as inert text', async (format) => {
    const response = await get(`/press-releases.${format}`);
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain('\u0001');
    const hostile = readItems(format, response.body).find((item) => item.url.endsWith('/hostile-title'));
    expect(hostile?.title).toBe(HOSTILE_SHOWN);
    if (format === 'rss' || format === 'atom') {
      // As markup it would have closed CDATA or opened an element; escaped, it is only text.
      expect(response.body).not.toContain('<script>');
      expect(response.body).not.toContain(']]>');
      expect(xmlItems(format, response.body).map((item) => text(item.title))).toContain(HOSTILE_SHOWN);
    }
  });

  it.each(FORMATS)('%s leaves out embargoed documents', async (format) => {
    for (const path of ['/press-releases', '/documents', '/fields-of-work/human-rights']) {
      const response = await get(`${path}.${format}`);
      expect(response.statusCode).toBe(200);
      expect(response.body).not.toContain('Embargoed feed item');
      expect(response.body).not.toContain('embargoed-feed-item');
    }
  });

  it('keeps GUIDs and addresses when a document is renamed', async () => {
    const id = await testApp.store.transaction((tx) =>
      testApp.writer.create(tx, pressRelease('guid-before', 'GUID before', { datedAt: recent(3) })),
    );
    const before = new Map<FeedFormat, ReadItem | undefined>();
    for (const format of FORMATS) {
      const item = (await fetchItems(format, '/press-releases')).find((i) => i.url.endsWith('/guid-before'));
      expect(item, format).toBeDefined();
      before.set(format, item);
    }
    // A new title and slug: the permalink was fixed when the document was first published.
    await testApp.store.transaction((tx) =>
      testApp.writer.update(tx, id, 1, pressRelease('guid-after', 'GUID after', { datedAt: recent(3) })),
    );
    for (const format of FORMATS) {
      const items = await fetchItems(format, '/press-releases');
      expect(items.find((i) => i.url.endsWith('/guid-after'))).toBeUndefined();
      const item = items.find((i) => i.id === before.get(format)?.id);
      expect(item?.title).toBe('GUID after');
      expect(item?.url).toBe(before.get(format)?.url);
    }
    expect(before.get('rss')?.id).toBe(`tag:localhost,2026:document:${id}`);
    expect(before.get('csv')?.id).toBe(String(id));
    // The new slug leads to the permalink.
    const url = new URL(before.get('rss')?.url ?? '');
    const moved = await get(url.pathname.replace(/guid-before$/, 'guid-after'));
    expect(moved.statusCode).toBe(301);
    expect(moved.headers.location).toBe(url.pathname);
  });
});

describe.each(XML_FORMATS)('%s autodiscovery', (format) => {
  it('is linked from the HTML page with the same parameters', async () => {
    const response = await get('/press-releases?field=human-rights');
    expect(response.body).toContain(`href="/press-releases.${format}?field=human-rights"`);
  });
});
