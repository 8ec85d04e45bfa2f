// Documents issued jointly by several structures, through every rendering: the source filter and
// its facet, the document page, the feeds, the JSON-LD and the API. The lead source comes first
// everywhere; a structure counts each document once, whatever number of its sources are under it.
import { parseFeed } from '@rowanmanning/feed-parser';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonFeed } from '../src/feeds/json-feed.ts';
import type { StructureNode } from '../src/taxonomy/catalog.ts';
import { OpenApiContract, type OpenApiDocumentObject } from './support/openapi.ts';
import { buildTestApp, type TestApp } from './support/test-app.ts';

const ORIGIN = 'http://localhost:3000';
/** A word no demo document uses: it isolates the documents of this suite in every listing. */
const WORD = 'zephyrine';

interface Term {
  slug: string;
  name: string;
  url: string;
}

interface DocumentItem {
  id: number;
  kind: string;
  path: string;
  place: string | null;
  sources: Term[];
}

interface FacetValue {
  value: string;
  label: string;
  count: number;
}

interface DocumentList {
  total: number;
  items: DocumentItem[];
  facets?: Record<string, FacetValue[]>;
}

type JsonLdNode = Record<string, unknown>;

let testApp: TestApp;
let contract: OpenApiContract;
/** Issued by the Chairpersonship (lead) with the Mission to Moldova. */
let joint: { id: number; path: string };
/** Issued by two field operations: the Mission to Serbia (lead) and the Mission to Moldova. */
let twoMissions: { id: number; path: string };

const get = (url: string) => testApp.app.inject({ method: 'GET', url });

function structure(slug: string): StructureNode {
  const node = testApp.context.catalog.structureBySlug(slug);
  if (!node) throw new Error(`no structure ${slug}`);
  return node;
}

/** An API answer, held to the OpenAPI document the API serves. */
async function api<T>(url: string): Promise<T> {
  const response: LightMyRequestResponse = await get(url);
  contract.assertResponse('GET', url, response);
  expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
  return JSON.parse(response.body) as T;
}

async function html(url: string): Promise<string> {
  const response = await get(url);
  expect(response.statusCode, url).toBe(200);
  return response.body;
}

function jsonLd(body: string): JsonLdNode[] {
  return [...body.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map(
    (match) => JSON.parse(match[1] as string) as JsonLdNode,
  );
}

/** The count next to a facet value on an HTML listing, by the value's label. */
function htmlFacetCount(body: string, dimension: string, label: string): number | undefined {
  const block = new RegExp(`id="facet-${dimension}">[\\s\\S]*?</div>`).exec(body)?.[0] ?? '';
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(
    `<span>(?:<span class="visually-hidden">Remove filter: </span>)?${escaped}</span> <span>([\\d,]+)</span>`,
  ).exec(block);
  return match ? Number((match[1] as string).replace(/,/g, '')) : undefined;
}

const resultCount = (body: string) =>
  Number(/class="result-count" role="status">([\d,]+) documents?/.exec(body)?.[1]?.replace(/,/g, '') ?? Number.NaN);

describe.each([
  ['SQL', false],
  ['bitmap index', true],
] as const)('co-issued documents, listings on the %s engine', (_engine, bitmapIndex) => {
  beforeAll(async () => {
    testApp = await buildTestApp({ demo: 100, bitmapIndex });
    // The index loads when the app is ready (listings answer from SQL until then).
    await testApp.app.ready();
    await testApp.indexReady;
    expect(testApp.context.listings.engine().name).toBe(bitmapIndex ? 'bitmap' : 'sql');
    const spec = await get('/api/openapi.json');
    contract = new OpenApiContract(JSON.parse(spec.body) as OpenApiDocumentObject);
    const catalog = testApp.context.catalog;
    const moldova = catalog.countryBySlug('moldova')?.id;
    const humanRights = catalog.fieldBySlug('human-rights')?.id;
    if (moldova === undefined || humanRights === undefined) throw new Error('taxonomies not seeded');
    const day = new Date(Date.now() - 86_400_000);
    day.setUTCHours(10, 0, 0, 0);
    const ids = await testApp.store.transaction(async (tx) => [
      await testApp.writer.create(tx, {
        kind: 'press-release',
        slug: 'joint-zephyrine-statement-on-moldova',
        title: 'Joint Zephyrine statement on Moldova',
        summary: 'The Chairpersonship and the Mission to Moldova speak with one voice.',
        bodyHtml: '<p>CHISINAU/VIENNA – A joint Zephyrine statement.</p>',
        datedAt: day.toISOString(),
        place: 'Chisinau/Vienna',
        sourceIds: [structure('chairpersonship').id, structure('mission-to-moldova').id],
        status: 'published',
        fieldIds: [humanRights],
        countryIds: [moldova],
      }),
      await testApp.writer.create(tx, {
        kind: 'event',
        slug: 'zephyrine-round-table-of-two-missions',
        title: 'Zephyrine round table of two missions',
        bodyHtml: '<p>Two field operations meet.</p>',
        datedAt: new Date(day.getTime() - 86_400_000).toISOString(),
        endsAt: new Date(day.getTime() - 86_400_000 + 6 * 3_600_000).toISOString(),
        timeZone: 'Europe/Belgrade',
        place: 'Belgrade',
        sourceIds: [structure('mission-to-serbia').id, structure('mission-to-moldova').id],
        status: 'published',
        fieldIds: [humanRights],
      }),
    ]);
    const paths = await testApp.store.db
      .selectFrom('documents')
      .select(['id', 'permalink'])
      .where('id', 'in', ids)
      .execute();
    const pathOf = (id: number) => paths.find((row) => row.id === id)?.permalink ?? '';
    joint = { id: ids[0] as number, path: pathOf(ids[0] as number) };
    twoMissions = { id: ids[1] as number, path: pathOf(ids[1] as number) };
    expect(joint.path).toMatch(/^\/press-releases\/\d{4}\/\d{2}\/joint-zephyrine-statement-on-moldova$/);
  });
  afterAll(() => testApp.cleanup());

  describe('the source filter', () => {
    it.each([
      ['chairpersonship', [() => joint.id]],
      ['mission-to-moldova', [() => joint.id, () => twoMissions.id]],
      ['mission-to-serbia', [() => twoMissions.id]],
      // Both missions are field operations: the parent finds each document once.
      ['field-operations', [() => joint.id, () => twoMissions.id]],
      ['secretariat', []],
    ] as const)('source=%s finds the documents any of whose sources is under it', async (slug, expected) => {
      const list = await api<DocumentList>(`/api/v1/documents?q=${WORD}&source=${slug}&sort=newest&page_size=100`);
      expect(list.items.map((item) => item.id)).toEqual(expected.map((id) => id()));
      expect(list.total).toBe(expected.length);
      const page = await html(`/documents?q=${WORD}&source=${slug}`);
      expect(resultCount(page)).toBe(expected.length);
    });

    it('not_source leaves out a document when any of its sources is under the structure', async () => {
      const list = await api<DocumentList>(`/api/v1/documents?q=${WORD}&not_source=chairpersonship`);
      expect(list.items.map((item) => item.id)).toEqual([twoMissions.id]);
    });

    it('the source facet counts each document once per structure, parents included', async () => {
      const list = await api<DocumentList>(`/api/v1/documents?q=${WORD}&facets=true`);
      expect(list.total).toBe(2);
      const counts = Object.fromEntries((list.facets?.source ?? []).map((value) => [value.value, value.count]));
      expect(counts).toEqual({
        chairpersonship: 1,
        'field-operations': 2,
        'mission-to-moldova': 2,
        'mission-to-serbia': 1,
      });
      const types = Object.fromEntries((list.facets?.type ?? []).map((value) => [value.value, value.count]));
      expect(types).toEqual({ 'press-release': 1, event: 1 });

      // The HTML panel shows the same counts.
      const page = await html(`/documents?q=${WORD}`);
      expect(htmlFacetCount(page, 'source', 'Field operations')).toBe(2);
      expect(htmlFacetCount(page, 'source', 'Mission to Moldova')).toBe(2);
      expect(htmlFacetCount(page, 'source', 'Chairpersonship')).toBe(1);
      expect(htmlFacetCount(page, 'source', 'Secretariat')).toBeUndefined();
    });

    it('a structure’s own page lists the documents it issued with others', async () => {
      const page = await html(`/structures/mission-to-moldova?q=${WORD}`);
      expect(resultCount(page)).toBe(2);
      expect(page).toContain(`href="${joint.path}"`);
      expect(page).toContain(`href="${twoMissions.path}"`);
    });
  });

  describe('the document page', () => {
    it('names and links every source, the lead first, and the dateline’s two cities', async () => {
      const body = await html(joint.path);
      expect(body).toContain(
        '<div><dt>Sources</dt><dd><a href="/structures/chairpersonship">OSCE Chairpersonship</a>, <a href="/structures/mission-to-moldova">OSCE Mission to Moldova</a></dd></div>',
      );
      expect(body).toContain('<dt>Place</dt><dd>Chisinau/Vienna</dd>');
      expect(body).not.toContain('<dt>Source</dt>');
    });

    it('a listing row names every source', async () => {
      const body = await html(`/documents?q=${WORD}&type=press-release`);
      expect(body).toContain('<span class="doc-row__source">OSCE Chairpersonship, OSCE Mission to Moldova</span>');
    });

    it('a document with one source says "Source"', async () => {
      const body = await html(
        '/press-releases/2007/09/osce-plays-key-role-in-fight-against-human-trafficking-top-official-says',
      );
      expect(body).toContain('<dt>Source</dt><dd><a href="/structures/secretariat">OSCE Secretariat</a></dd>');
    });
  });

  describe('the feeds', () => {
    const feedPath = (format: string) => `/documents.${format}?q=${WORD}&type=press-release`;
    const jointUrl = () => `${ORIGIN}${joint.path}`;
    const people = [
      { name: 'OSCE Chairpersonship', url: `${ORIGIN}/structures/chairpersonship` },
      { name: 'OSCE Mission to Moldova', url: `${ORIGIN}/structures/mission-to-moldova` },
    ];
    const xml = (body: string) => {
      expect(XMLValidator.validate(body)).toBe(true);
      return new XMLParser({
        ignoreAttributes: false,
        attributeNamePrefix: '@_',
        parseTagValue: false,
        isArray: (name) => ['item', 'entry', 'author', 'dc:creator'].includes(name),
      }).parse(body) as Record<string, Record<string, unknown>>;
    };

    it('RSS gives one dc:creator per source, the lead first', async () => {
      const body = await html(feedPath('rss'));
      const channel = xml(body).rss?.channel as Record<string, unknown>;
      const items = channel.item as Record<string, unknown>[];
      expect(items).toHaveLength(1);
      expect(items[0]?.link).toBe(jointUrl());
      expect(items[0]?.['dc:creator']).toEqual(people.map((person) => person.name));
      const parsed = parseFeed(body).items[0];
      expect(parsed?.authors.map((author) => author.name)).toEqual(people.map((person) => person.name));
    });

    it('Atom gives one author per source, with its page, the lead first', async () => {
      const body = await html(feedPath('atom'));
      const entries = xml(body).feed?.entry as Record<string, unknown>[];
      expect(entries).toHaveLength(1);
      const authors = ((entries[0]?.author ?? []) as Record<string, string>[]).map((author) => ({
        name: author.name,
        url: author.uri,
      }));
      expect(authors).toEqual(people);
      const parsed = parseFeed(body).items[0];
      expect(parsed?.authors.map((author) => ({ name: author.name, url: author.url }))).toEqual(people);
    });

    it('JSON Feed gives the item both authors, the lead first', async () => {
      const feed = JSON.parse(await html(feedPath('feed.json'))) as JsonFeed;
      expect(feed.items).toHaveLength(1);
      expect(feed.items[0]?.url).toBe(jointUrl());
      expect(feed.items[0]?.authors).toEqual(people);
    });

    it('CSV joins the sources with "; ", the lead first', async () => {
      const rows = parseCsv(await html(feedPath('csv')), { bom: true, columns: true }) as Record<string, string>[];
      expect(rows).toHaveLength(1);
      expect(rows[0]?.source).toBe('OSCE Chairpersonship; OSCE Mission to Moldova');
      expect(rows[0]?.place).toBe('Chisinau/Vienna');
    });
  });

  describe('JSON-LD', () => {
    const organisation = (slug: string, name: string) => ({
      '@type': 'GovernmentOrganization',
      name,
      url: `${ORIGIN}/structures/${slug}`,
      parentOrganization: { '@id': `${ORIGIN}/#organization` },
    });

    it('a joint press release has a list of authors, the lead first', async () => {
      const [article] = jsonLd(await html(joint.path));
      expect(article?.['@type']).toBe('NewsArticle');
      expect(Array.isArray(article?.author)).toBe(true);
      expect(article?.author).toMatchObject([
        organisation('chairpersonship', 'OSCE Chairpersonship'),
        organisation('mission-to-moldova', 'OSCE Mission to Moldova'),
      ]);
      expect(article?.contentLocation).toEqual({ '@type': 'Place', name: 'Chisinau/Vienna' });
    });

    it('a joint event has a list of organisers, the lead first', async () => {
      const [event] = jsonLd(await html(twoMissions.path));
      expect(event?.['@type']).toBe('Event');
      expect(event?.organizer).toMatchObject([
        organisation('mission-to-serbia', 'OSCE Mission to Serbia'),
        organisation('mission-to-moldova', 'OSCE Mission to Moldova'),
      ]);
    });

    it('a document with one source has a single author node, not a list', async () => {
      const [article] = jsonLd(
        await html('/press-releases/2007/09/osce-plays-key-role-in-fight-against-human-trafficking-top-official-says'),
      );
      expect(Array.isArray(article?.author)).toBe(false);
      expect(article?.author).toMatchObject(organisation('secretariat', 'OSCE Secretariat'));
    });
  });

  describe('the API', () => {
    const sources = (...slugs: string[]) =>
      slugs.map((slug) => ({ slug, name: structure(slug).name, url: `${ORIGIN}/structures/${slug}` }));

    it('gives sources in order, the lead first, by id, by path and in listings', async () => {
      const byId = await api<DocumentItem>(`/api/v1/documents/${joint.id}`);
      expect(byId).toMatchObject({ path: joint.path, place: 'Chisinau/Vienna' });
      expect(byId.sources).toEqual(sources('chairpersonship', 'mission-to-moldova'));
      const byPath = await api<DocumentItem>(`/api/v1/documents/by-path?path=${encodeURIComponent(joint.path)}`);
      expect(byPath).toEqual(byId);

      // The lead is whoever the author named first, not the structure with the smaller id.
      expect(structure('mission-to-serbia').id).toBeGreaterThan(structure('mission-to-moldova').id);
      const listed = await api<DocumentList>(`/api/v1/documents?q=${WORD}&sort=newest&fields=id,sources`);
      expect(listed.items).toEqual([
        { id: joint.id, sources: sources('chairpersonship', 'mission-to-moldova') },
        { id: twoMissions.id, sources: sources('mission-to-serbia', 'mission-to-moldova') },
      ]);
      const suffixed = await html(`/documents.json?q=${WORD}&sort=newest&fields=id,sources`);
      expect((JSON.parse(suffixed) as DocumentList).items).toEqual(listed.items);
    });
  });
});
