// The public JSON API v1 through HTTP (fastify.inject). Every API response a test obtains is
// checked against the OpenAPI document the API itself serves: status, content type and body.
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpResponse, OpenApiContract, type OpenApiDocumentObject } from '../../test/support/openapi.ts';
import { buildTestApp, type TestApp } from '../../test/support/test-app.ts';

const SEED_PATH = '/press-releases/2007/09/osce-plays-key-role-in-fight-against-human-trafficking-top-official-says';
const API_PATHS = [
  '/api/v1/documents',
  '/api/v1/documents/{id}',
  '/api/v1/documents/by-path',
  '/api/v1/fields-of-work',
  '/api/v1/countries',
  '/api/v1/structures',
  '/api/v1/meeting-series',
];
const DAY_MS = 86_400_000;

interface Term {
  slug: string;
  name: string;
  url: string;
}

interface DocumentItem {
  id: number;
  kind: string;
  title: string;
  path: string;
  /** The document's own date. */
  date: string;
  /** When it went public on the site. */
  published_at: string | null;
  ends_at: string | null;
  time_zone: string | null;
  place: string | null;
  /** The issuing structures, the lead first. */
  sources: Term[];
  fields: Term[];
  countries: Term[];
  body_html: string;
  snippet_html?: string | null;
}

interface FacetValue {
  value: string;
  label: string;
  count: number;
}

interface DocumentList {
  total: number;
  page: number;
  page_size: number;
  page_count: number;
  next_cursor: string | null;
  items: Partial<DocumentItem>[];
  facets?: Record<string, FacetValue[]>;
}

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  parameter?: string;
}

interface Structure {
  slug: string;
  parent: string | null;
}

let contract: OpenApiContract;

/** One GET to an app; the response must be one the served OpenAPI document describes. */
async function request(
  testApp: TestApp,
  url: string,
  options: {
    headers?: Record<string, string>;
    /** The documented path the response must match, when `url` is a page of the site serving the same shape. */
    describedAt?: string;
  } = {},
): Promise<LightMyRequestResponse> {
  const response = await testApp.app.inject({ method: 'GET', url, headers: options.headers });
  contract.assertResponse('GET', options.describedAt ?? url, response);
  return response;
}

/** A body of the given type, after checking the response is 200 JSON. */
function okJson<T>(response: HttpResponse): T {
  expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  return JSON.parse(response.body) as T;
}

/** The RFC 9457 body of an error response, after checking its status and media type. */
function problemOf(response: HttpResponse, status: number): Problem {
  expect(response.statusCode, response.body.slice(0, 300)).toBe(status);
  expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json(;|$)/);
  const problem = JSON.parse(response.body) as Problem;
  expect(problem).toMatchObject({ status, type: expect.stringMatching(/^https?:\/\//) });
  expect(problem.title).not.toBe('');
  expect(problem.detail).not.toBe('');
  expect(problem.code).toMatch(/^DL_ERR_[A-Z_]+$/);
  return problem;
}

const idsOf = (list: DocumentList) => list.items.map((item) => item.id);

/**
 * Every page of a listing by page number, 100 at a time: the API's, or the site's `.json`
 * suffix, which serves the same shape and is held to the API's description of it.
 */
async function everyItem(testApp: TestApp, path: string, query: string): Promise<DocumentList['items']> {
  const items: DocumentList['items'] = [];
  for (let page = 1; ; page++) {
    const separator = query === '' ? '' : '&';
    const url = `${path}?${query}${separator}page_size=100&page=${page}`;
    const list = okJson<DocumentList>(await request(testApp, url, { describedAt: '/api/v1/documents' }));
    items.push(...list.items);
    if (page >= list.page_count) return items;
  }
}

/** Follows next_cursor from the first page to the last; `between` runs after each page. */
async function walkWithCursor(
  testApp: TestApp,
  query: string,
  between: (pagesRead: number) => Promise<void> = async () => {},
): Promise<{ ids: number[]; pages: DocumentList[] }> {
  const pages: DocumentList[] = [];
  let cursor: string | null = null;
  do {
    const cursorParameter: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
    const list: DocumentList = okJson<DocumentList>(
      await request(testApp, `/api/v1/documents?${query}${cursorParameter}`),
    );
    pages.push(list);
    cursor = list.next_cursor;
    await between(pages.length);
  } while (cursor !== null && pages.length < 100);
  return { ids: pages.flatMap(idsOf) as number[], pages };
}

async function publishDocument(
  testApp: TestApp,
  input: { slug: string; title: string; datedAt: Date; publishAt?: Date; field: string },
): Promise<number> {
  const field = testApp.context.catalog.fieldBySlug(input.field);
  if (!field) throw new Error(`no field of work ${input.field}`);
  return testApp.store.transaction((tx) =>
    testApp.writer.create(tx, {
      kind: 'press-release',
      slug: input.slug,
      title: input.title,
      summary: `${input.title}.`,
      bodyHtml: `<p>${input.title}.</p>`,
      datedAt: input.datedAt.toISOString(),
      publishAt: input.publishAt?.toISOString() ?? null,
      status: 'published',
      fieldIds: [field.id],
    }),
  );
}

let testApp: TestApp;

beforeAll(async () => {
  testApp = await buildTestApp({ demo: 400 });
  const response = await testApp.app.inject({ method: 'GET', url: '/api/openapi.json' });
  expect(response.statusCode).toBe(200);
  contract = new OpenApiContract(JSON.parse(response.body) as OpenApiDocumentObject);
});
afterAll(() => testApp.cleanup());

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1.0 JSON describing exactly the v1 routes, and no page of the site', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    const document = JSON.parse(response.body) as OpenApiDocumentObject;
    expect(document.openapi).toBe('3.1.0');
    expect(document.info).toMatchObject({ title: 'Dateline API', version: '1.0.0' });
    expect(Object.keys(document.paths).sort()).toEqual([...API_PATHS].sort());
    for (const path of [
      '/',
      '/documents',
      '/documents.json',
      '/search',
      '/healthz',
      '/api/docs',
      '/api/openapi.json',
    ]) {
      expect(document.paths).not.toHaveProperty(path);
    }
    for (const path of API_PATHS) {
      const operation = document.paths[path]?.get;
      expect(operation?.summary, path).toBeTruthy();
      expect(operation?.responses, path).toHaveProperty('200');
    }
  });

  it('documents every filter parameter of the listing, and the id in the document path', () => {
    const list = contract.document.paths['/api/v1/documents']?.get;
    const names = list?.parameters?.map((p) => p.name) ?? [];
    expect(names).toContain('q');
    for (const name of ['type', 'field', 'country', 'source', 'meeting', 'lang', 'year']) {
      expect(names).toContain(name);
      expect(names).toContain(`not_${name}`);
    }
    expect(names).toEqual(
      expect.arrayContaining(['from', 'to', 'sort', 'page', 'page_size', 'cursor', 'facets', 'fields']),
    );
    const byId = contract.document.paths['/api/v1/documents/{id}']?.get;
    expect(byId?.parameters).toContainEqual(expect.objectContaining({ name: 'id', in: 'path', required: true }));
  });

  it('the contract helper refuses a response the document does not describe', () => {
    const json = { 'content-type': 'application/json; charset=utf-8' };
    expect(() =>
      contract.assertResponse('GET', '/api/v1/countries', { statusCode: 200, headers: json, body: '[{"slug":1}]' }),
    ).toThrow(/does not match/);
    expect(() =>
      contract.assertResponse('GET', '/api/v1/nothing-here', { statusCode: 200, headers: json, body: '[]' }),
    ).toThrow(/no path/);
    expect(() =>
      contract.assertResponse('GET', '/api/v1/countries', { statusCode: 418, headers: json, body: '[]' }),
    ).toThrow(/not declared/);
    expect(contract.templateOf('/api/v1/documents/by-path')).toBe('/api/v1/documents/by-path');
    expect(contract.templateOf('/api/v1/documents/42')).toBe('/api/v1/documents/{id}');
  });
});

describe('documents: filters', () => {
  it.each([
    'field=human-rights',
    'country=austria',
    'source=secretariat',
    'source=field-operations',
    'type=press-release',
    'year=2007',
    'not_country=austria',
    'field=human-rights,elections',
    'field=human-rights&field=elections',
    'q=trafficking',
    'field=human-rights&not_country=austria&type=news,press-release',
    'type=news&sort=oldest',
  ])('%s selects the same documents, in the same order, as /documents.json', async (query) => {
    const fromApi = await everyItem(testApp, '/api/v1/documents', `${query}&fields=id`);
    const fromSite = await everyItem(testApp, '/documents.json', `${query}&fields=id`);
    expect(fromApi.length).toBeGreaterThan(0);
    expect(fromApi.map((item) => item.id)).toEqual(fromSite.map((item) => item.id));
    const apiTotal = okJson<DocumentList>(await request(testApp, `/api/v1/documents?${query}&page_size=1`)).total;
    expect(apiTotal).toBe(fromApi.length);
  });

  it('each filter keeps only the documents it names', async () => {
    const all = okJson<DocumentList>(await request(testApp, '/api/v1/documents?fields=id')).total;

    const humanRights = (await everyItem(testApp, '/api/v1/documents', 'field=human-rights')) as DocumentItem[];
    expect(humanRights.every((d) => d.fields.some((f) => f.slug === 'human-rights'))).toBe(true);

    const austria = (await everyItem(testApp, '/api/v1/documents', 'country=austria')) as DocumentItem[];
    expect(austria.every((d) => d.countries.some((c) => c.slug === 'austria'))).toBe(true);
    const notAustria = (await everyItem(testApp, '/api/v1/documents', 'not_country=austria')) as DocumentItem[];
    expect(notAustria.some((d) => d.countries.some((c) => c.slug === 'austria'))).toBe(false);
    expect(austria.length + notAustria.length).toBe(all);

    const pressReleases = (await everyItem(testApp, '/api/v1/documents', 'type=press-release')) as DocumentItem[];
    expect(new Set(pressReleases.map((d) => d.kind))).toEqual(new Set(['press-release']));

    const of2007 = (await everyItem(testApp, '/api/v1/documents', 'year=2007')) as DocumentItem[];
    expect(of2007.map((d) => d.title)).toContain(
      'OSCE plays key role in fight against human trafficking, top official says',
    );
    expect(of2007.every((d) => d.date.startsWith('2007-'))).toBe(true);

    const searched = (await everyItem(testApp, '/api/v1/documents', 'q=trafficking')) as DocumentItem[];
    expect(searched.length).toBeGreaterThan(0);
    expect(searched.every((d) => d.snippet_html?.toLowerCase().includes('<mark>'))).toBe(true);
  });

  it('source includes every structure under the one named', async () => {
    const structures = okJson<Structure[]>(await request(testApp, '/api/v1/structures'));
    const subtree = new Set(['secretariat']);
    for (let grew = true; grew; ) {
      grew = false;
      for (const s of structures) {
        if (s.parent && subtree.has(s.parent) && !subtree.has(s.slug)) {
          subtree.add(s.slug);
          grew = true;
        }
      }
    }
    const items = (await everyItem(
      testApp,
      '/api/v1/documents',
      'source=secretariat&fields=id,sources',
    )) as DocumentItem[];
    // Each was issued by the Secretariat or a unit of it, alone or with another structure.
    expect(items.every((d) => d.sources.some((source) => subtree.has(source.slug)))).toBe(true);
    const sources = new Set(items.flatMap((d) => d.sources.map((source) => source.slug)));
    expect([...sources].some((slug) => slug !== 'secretariat' && subtree.has(slug))).toBe(true);
    const unit = okJson<DocumentList>(await request(testApp, '/api/v1/documents?source=conflict-prevention-centre'));
    expect(unit.total).toBeGreaterThan(0);
    const secretariatIds = new Set(items.map((d) => d.id));
    expect(idsOf(unit).every((id) => id !== undefined && secretariatIds.has(id))).toBe(true);
  });

  it('several values of one parameter combine with OR, as a list or repeated', async () => {
    const ids = async (query: string) =>
      new Set((await everyItem(testApp, '/api/v1/documents', `${query}&fields=id`)).map((item) => item.id));
    const humanRights = await ids('field=human-rights');
    const elections = await ids('field=elections');
    const either = await ids('field=human-rights,elections');
    expect(either).toEqual(new Set([...humanRights, ...elections]));
    expect(either.size).toBeGreaterThan(Math.max(humanRights.size, elections.size));
    expect(await ids('field=human-rights&field=elections')).toEqual(either);
  });
});

describe('documents: facets and field selection', () => {
  it('facets come only when asked for', async () => {
    for (const query of ['', '&facets=false', '&facets=0']) {
      const list = okJson<DocumentList>(await request(testApp, `/api/v1/documents?page_size=1${query}`));
      expect(list).not.toHaveProperty('facets');
    }
    const list = okJson<DocumentList>(await request(testApp, '/api/v1/documents?page_size=1&facets=true'));
    expect(Object.keys(list.facets ?? {}).sort()).toEqual(['country', 'field', 'source', 'type', 'year']);
  });

  it('facet counts are disjunctive: with country=austria the other countries keep their counts', async () => {
    const list = okJson<DocumentList>(await request(testApp, '/api/v1/documents?country=austria&facets=true'));
    const countries = list.facets?.country ?? [];
    expect(countries.find((c) => c.value === 'austria')?.count).toBe(list.total);
    const others = countries.filter((c) => c.value !== 'austria');
    expect(others.length).toBeGreaterThan(5);
    expect(others.every((c) => c.count > 0)).toBe(true);
    const [firstOther] = others;
    const alone = okJson<DocumentList>(
      await request(testApp, `/api/v1/documents?country=${firstOther?.value}&page_size=1`),
    );
    expect(firstOther?.count).toBe(alone.total);

    // The other dimensions are counted within Austria.
    const typeCounts = (list.facets?.type ?? []).reduce((sum, t) => sum + t.count, 0);
    expect(typeCounts).toBe(list.total);
    const humanRights = list.facets?.field?.find((f) => f.value === 'human-rights');
    const both = okJson<DocumentList>(
      await request(testApp, '/api/v1/documents?country=austria&field=human-rights&page_size=1'),
    );
    expect(humanRights?.count).toBe(both.total);
  });

  it('the source facet counts a structure with everything under it, each document once', async () => {
    const list = okJson<DocumentList>(await request(testApp, '/api/v1/documents?facets=true&page_size=1'));
    const counts = new Map((list.facets?.source ?? []).map((value) => [value.value, value.count]));
    // A group that issues nothing itself ('institutions') counts what its members issued.
    for (const slug of [
      'secretariat',
      'conflict-prevention-centre',
      'institutions',
      'field-operations',
      'chairpersonship',
    ]) {
      const alone = okJson<DocumentList>(await request(testApp, `/api/v1/documents?source=${slug}&page_size=1`));
      expect(alone.total, slug).toBeGreaterThan(0);
      expect(counts.get(slug), slug).toBe(alone.total);
    }
    expect(counts.get('secretariat')).toBeGreaterThan(counts.get('conflict-prevention-centre') ?? 0);
  });

  it('fields= returns only the properties named', async () => {
    const list = okJson<DocumentList>(await request(testApp, '/api/v1/documents?fields=id,title&page_size=5'));
    expect(list.items).toHaveLength(5);
    for (const item of list.items) expect(Object.keys(item).sort()).toEqual(['id', 'title']);
    const full = okJson<DocumentList>(await request(testApp, '/api/v1/documents?page_size=5'));
    expect(list.items).toEqual(full.items.map(({ id, title }) => ({ id, title })));
  });

  it('fields=bogus is a problem naming "fields"', async () => {
    const problem = problemOf(await request(testApp, '/api/v1/documents?fields=id,bogus'), 400);
    expect(problem).toMatchObject({ code: 'DL_ERR_INVALID_PARAMETER', parameter: 'fields' });
    expect(problem.detail).toContain('bogus');
  });
});

describe('documents: cursor pagination', () => {
  it('walking next_cursor visits every matching document once, newest first', async () => {
    const expected = (await everyItem(testApp, '/api/v1/documents', 'field=human-rights&fields=id')).map((d) => d.id);
    expect(expected.length).toBeGreaterThan(21);
    const { ids, pages } = await walkWithCursor(testApp, 'field=human-rights&page_size=7&fields=id,date');
    expect(ids).toEqual(expected);
    expect(new Set(ids).size).toBe(ids.length);
    expect(pages).toHaveLength(Math.ceil(expected.length / 7));
    expect(pages.at(-1)?.next_cursor).toBeNull();
    const dates = pages.flatMap((page) => page.items.map((item) => item.date ?? ''));
    expect(dates).toEqual([...dates].sort().reverse());
  });

  it('walks oldest first too', async () => {
    const expected = (await everyItem(testApp, '/api/v1/documents', 'type=event&sort=oldest&fields=id')).map(
      (d) => d.id,
    );
    const { ids } = await walkWithCursor(testApp, 'type=event&sort=oldest&page_size=9&fields=id');
    expect(ids).toEqual(expected);
  });

  it.each([
    ['not-a-cursor'],
    [Buffer.from('["yesterday", 12]').toString('base64url')],
    [Buffer.from('{"id": 12}').toString('base64url')],
  ])('cursor=%s is a problem naming "cursor"', async (cursor) => {
    const problem = problemOf(await request(testApp, `/api/v1/documents?cursor=${cursor}`), 400);
    expect(problem).toMatchObject({ code: 'DL_ERR_INVALID_PARAMETER', parameter: 'cursor' });
  });

  it('a cursor with sort=relevance, or with page, is a problem naming "cursor"', async () => {
    const first = okJson<DocumentList>(
      await request(testApp, '/api/v1/documents?q=trafficking&sort=newest&page_size=2'),
    );
    expect(first.next_cursor).not.toBeNull();
    const cursor = encodeURIComponent(first.next_cursor ?? '');
    const relevance = problemOf(
      await request(testApp, `/api/v1/documents?q=trafficking&sort=relevance&cursor=${cursor}`),
      400,
    );
    expect(relevance.parameter).toBe('cursor');
    expect(relevance.detail).toMatch(/newest|oldest/);
    const withPage = problemOf(await request(testApp, `/api/v1/documents?q=trafficking&page=2&cursor=${cursor}`), 400);
    expect(withPage.parameter).toBe('cursor');
  });
});

describe('one document', () => {
  it('by path: the seed press release with its fields, countries, source and body', async () => {
    const doc = okJson<DocumentItem>(
      await request(testApp, `/api/v1/documents/by-path?path=${encodeURIComponent(SEED_PATH)}`),
    );
    expect(doc).toMatchObject({
      kind: 'press-release',
      title: 'OSCE plays key role in fight against human trafficking, top official says',
      path: SEED_PATH,
      url: `http://localhost:3000${SEED_PATH}`,
      date: '2007-09-11T00:00:00.000Z',
      published_at: '2007-09-11T00:00:00.000Z',
      ends_at: null,
      time_zone: null,
      place: 'Vienna',
      sources: [{ slug: 'secretariat', name: 'Secretariat', url: 'http://localhost:3000/structures/secretariat' }],
    });
    expect(doc.fields.map((f) => f.slug)).toEqual(
      expect.arrayContaining(['human-rights', 'combating-trafficking-in-human-beings']),
    );
    expect(doc.countries.map((c) => c.slug)).toContain('spain');
    expect(doc.body_html).toContain('Eva Biaudet');
  });

  it('by id: the same document as by path', async () => {
    const byPath = okJson<DocumentItem>(
      await request(testApp, `/api/v1/documents/by-path?path=${encodeURIComponent(SEED_PATH)}`),
    );
    const byId = okJson<DocumentItem>(await request(testApp, `/api/v1/documents/${byPath.id}`));
    expect(byId).toEqual(byPath);
  });

  it('an unknown id is a 404 problem', async () => {
    const problem = problemOf(await request(testApp, '/api/v1/documents/999999'), 404);
    expect(problem.code).toBe('DL_ERR_NOT_FOUND');
    // The title every 404 has, on the site and in the API.
    expect(problem.title).toBe('Page not found');
    expect(problem.detail).toContain('999999');
  });

  it('an id that is not a number is a problem naming "id"', async () => {
    const problem = problemOf(await request(testApp, '/api/v1/documents/abc'), 400);
    expect(problem).toMatchObject({ code: 'DL_ERR_INVALID_PARAMETER', parameter: 'id' });
  });

  it.each([
    [`${SEED_PATH.replace('/2007/', '/2008/')}`, 404],
    ['/press-releases/2007/09/no-such-release', 404],
    ['/press-releases/2007/09/Not_A_Slug', 400],
    ['press-releases/2007/09/no-leading-slash', 400],
  ])('by path %s is a %i problem', async (path, status) => {
    const problem = problemOf(
      await request(testApp, `/api/v1/documents/by-path?path=${encodeURIComponent(path)}`),
      status,
    );
    if (status === 400) expect(problem.parameter).toBe('path');
  });

  it('by path without a path is a problem naming "path"', async () => {
    const problem = problemOf(await request(testApp, '/api/v1/documents/by-path'), 400);
    expect(problem.parameter).toBe('path');
  });
});

describe('taxonomies', () => {
  it('25 fields of work: 23 fields and 2 sections', async () => {
    const fields = okJson<{ slug: string; kind: string; url: string }[]>(
      await request(testApp, '/api/v1/fields-of-work'),
    );
    expect(fields).toHaveLength(25);
    expect(fields.filter((f) => f.kind === 'field')).toHaveLength(23);
    expect(fields.filter((f) => f.kind === 'section')).toHaveLength(2);
    expect(fields.map((f) => f.slug)).toContain('human-rights');
    const page = await testApp.app.inject({ method: 'GET', url: new URL(fields[0]?.url ?? '').pathname });
    expect(page.statusCode).toBe(200);
  });

  it('68 countries: 57 participating States and 11 partners', async () => {
    const countries = okJson<{ slug: string; role: string; iso_code: string }[]>(
      await request(testApp, '/api/v1/countries'),
    );
    expect(countries).toHaveLength(68);
    expect(countries.filter((c) => c.role === 'participating')).toHaveLength(57);
    expect(countries.find((c) => c.slug === 'austria')).toMatchObject({ iso_code: expect.stringMatching(/^AT/) });
  });

  it('structures name their parents, which are structures too', async () => {
    const structures = okJson<Structure[]>(await request(testApp, '/api/v1/structures'));
    const slugs = new Set(structures.map((s) => s.slug));
    expect(slugs.size).toBe(structures.length);
    expect(structures.filter((s) => s.parent !== null).every((s) => slugs.has(s.parent ?? ''))).toBe(true);
    expect(structures.filter((s) => s.parent === 'secretariat')).toHaveLength(12);
    expect(structures.find((s) => s.slug === 'conflict-prevention-centre')?.parent).toBe('secretariat');
    expect(structures.find((s) => s.slug === 'secretariat')?.parent).toBeNull();
  });

  it('17 meeting series', async () => {
    const series = okJson<{ slug: string }[]>(await request(testApp, '/api/v1/meeting-series'));
    expect(series).toHaveLength(17);
    expect(new Set(series.map((m) => m.slug)).size).toBe(17);
  });
});

describe('errors are RFC 9457 problems naming the parameter', () => {
  it.each([
    ['page=abc', 'page'],
    ['page=0', 'page'],
    ['year=20x7', 'year'],
    ['field=unknown', 'field'],
    ['not_country=atlantis', 'not_country'],
    ['type=memo', 'type'],
    ['source=nowhere', 'source'],
    ['lang=english', 'lang'],
    ['page_size=1000', 'page_size'],
    ['from=2007-02-30', 'from'],
    ['from=2008-01-01&to=2007-01-01', 'from'],
    ['to=yesterday', 'to'],
    ['sort=random', 'sort'],
    ['facets=maybe', 'facets'],
    ['fields=bogus', 'fields'],
    ['q=aaaa… (5,000 characters)', 'q'],
  ])('%s', async (label, parameter) => {
    const query = label.startsWith('q=aaaa') ? `q=${'a'.repeat(5000)}` : label;
    const response = await request(testApp, `/api/v1/documents?${query}`);
    const problem = problemOf(response, 400);
    expect(problem).toMatchObject({ code: 'DL_ERR_INVALID_PARAMETER', parameter });
    expect(problem.detail).toContain(parameter);
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it.each([
    ['NUL in q', '/api/v1/documents?q=%00'],
    ['NUL inside a word', '/api/v1/documents?q=a%00b'],
    ['invalid UTF-8 in q', '/api/v1/documents?q=%FF'],
    ['truncated UTF-8 sequence in q', '/api/v1/documents?q=%E2%28%A1'],
    ['invalid UTF-8 in field', '/api/v1/documents?field=%FF'],
    ['NUL in country', '/api/v1/documents?country=%00'],
    ['5,000-character q of words', `/api/v1/documents?q=${'trafficking '.repeat(417)}`],
    ['5,000 quotation marks', `/api/v1/documents?q=${'%22'.repeat(5000)}`],
    ['an unbalanced phrase', '/api/v1/documents?q=%22unbalanced'],
    ['FTS5 syntax NEAR(', '/api/v1/documents?q=NEAR('],
    ['a bare *', '/api/v1/documents?q=*'],
    ['a bare -', '/api/v1/documents?q=-'],
    ['only operators', '/api/v1/documents?q=OR%20AND%20NOT'],
    ['SQL in q', '/api/v1/documents?q=%27%3B%20DROP%20TABLE%20documents%3B--'],
    ['a page far past the end', '/api/v1/documents?page=99999'],
    ['page in exponent notation', '/api/v1/documents?page=1e3'],
    ['NUL cursor', '/api/v1/documents?cursor=%00'],
    ['invalid UTF-8 in fields', '/api/v1/documents?fields=%FF'],
    ['q given twice', '/api/v1/documents?q=x&q=y'],
    ['NUL path', '/api/v1/documents/by-path?path=%00'],
    ['invalid UTF-8 in path', '/api/v1/documents/by-path?path=/press-releases/%FF'],
    ['NUL slug in path', '/api/v1/documents/by-path?path=/press-releases/2007/09/%00'],
    ['a 20-digit id', '/api/v1/documents/99999999999999999999'],
    ['id 0', '/api/v1/documents/0'],
    ['NUL as the id', '/api/v1/documents/%00'],
  ])('hostile input (%s) is answered, never with a 500', async (_label, url) => {
    const response = await request(testApp, url);
    expect([200, 400, 404]).toContain(response.statusCode);
    if (response.statusCode !== 200) problemOf(response, response.statusCode);
  });

  it('an address under /api that is not a route is a 404 problem too', async () => {
    // Not in the document, so held to the description of a documented 404.
    const response = await request(testApp, '/api/v1/nothing-here', { describedAt: '/api/v1/documents/{id}' });
    expect(problemOf(response, 404).code).toBe('DL_ERR_NOT_FOUND');
  });

  // Malformed percent-encoding is caught before routing (frameworkErrors): still a problem under /api/.
  it('invalid UTF-8 in the path of an API route is a 400 problem, not an HTML page', async () => {
    problemOf(await request(testApp, '/api/v1/documents/%FF'), 400);
  });
});

describe('caching with ETag', () => {
  it.each([
    '/api/v1/documents?field=human-rights',
    `/api/v1/documents/by-path?path=${encodeURIComponent(SEED_PATH)}`,
    '/api/v1/countries',
  ])('%s: its ETag sent back in If-None-Match is a 304 with an empty body', async (url) => {
    const first = await request(testApp, url);
    expect(first.statusCode).toBe(200);
    const etag = String(first.headers.etag ?? '');
    expect(etag).toMatch(/^(W\/)?"[^"]+"$/);

    const unchanged = await request(testApp, url, { headers: { 'if-none-match': etag } });
    expect(unchanged.statusCode).toBe(304);
    expect(unchanged.body).toBe('');
    expect(unchanged.headers.etag).toBe(etag);

    const other = await request(testApp, url, { headers: { 'if-none-match': '"some-other-version"' } });
    expect(other.statusCode).toBe(200);
    expect(other.body).toBe(first.body);
  });

  it('different answers have different ETags', async () => {
    const a = await request(testApp, '/api/v1/documents?field=human-rights&fields=id');
    const b = await request(testApp, '/api/v1/documents?field=elections&fields=id');
    expect(a.headers.etag).not.toBe(b.headers.etag);
    const stale = await request(testApp, '/api/v1/documents?field=elections&fields=id', {
      headers: { 'if-none-match': String(a.headers.etag) },
    });
    expect(stale.statusCode).toBe(200);
  });
});

describe('CORS and the docs page', () => {
  it('a GET from another origin may be read', async () => {
    const response = await request(testApp, '/api/v1/countries', { headers: { origin: 'https://example.org' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['access-control-allow-origin']).toMatch(/^(\*|https:\/\/example\.org)$/);
  });

  it('a preflight for GET succeeds on every documented route', async () => {
    for (const url of ['/api/v1/documents', '/api/v1/documents/1', '/api/v1/documents/by-path', '/api/v1/countries']) {
      const response = await testApp.app.inject({
        method: 'OPTIONS',
        url,
        headers: { origin: 'https://example.org', 'access-control-request-method': 'GET' },
      });
      // A preflight is answered by the CORS protocol, not by an operation: the route must be a documented GET.
      expect(contract.document.paths[contract.templateOf(url) ?? '']?.get, url).toBeDefined();
      expect(response.statusCode, url).toBe(204);
      expect(response.body).toBe('');
      expect(response.headers['access-control-allow-origin']).toMatch(/^(\*|https:\/\/example\.org)$/);
      expect(String(response.headers['access-control-allow-methods'])).toContain('GET');
    }
  });

  it('/api/docs is a readable HTML page that mentions every route', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/api/docs' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('<h1>Dateline API</h1>');
    expect(response.body).toContain('href="/api/openapi.json"');
    for (const path of API_PATHS) expect(response.body).toContain(`GET ${path}`);
    expect(response.body).toContain('<code>not_country</code>');
  });
});

describe('the rate limit', () => {
  let limited: TestApp;
  beforeAll(async () => {
    limited = await buildTestApp({ rateLimit: { max: 3, timeWindowMs: 60_000 } });
  });
  afterAll(() => limited.cleanup());

  it('the fourth request in a minute is a 429 problem with Retry-After; the site shares the budget', async () => {
    const allowed = [
      await request(limited, '/api/v1/countries'),
      await request(limited, '/api/v1/fields-of-work'),
      await request(limited, '/api/v1/meeting-series'),
    ];
    expect(allowed.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect(allowed.map((r) => r.headers['x-ratelimit-remaining'])).toEqual(['2', '1', '0']);

    for (const url of ['/api/v1/documents', '/api/v1/structures']) {
      const refused = await request(limited, url);
      const problem = problemOf(refused, 429);
      expect(problem.code).toBe('DL_ERR_RATE_LIMITED');
      const retryAfter = String(refused.headers['retry-after']);
      expect(retryAfter).toMatch(/^\d+$/);
      expect(Number(retryAfter)).toBeGreaterThan(0);
      expect(Number(retryAfter)).toBeLessThanOrEqual(60);
    }

    // One budget per address: the site's pages draw on it too, and refuse as pages do.
    const sitePage = await limited.app.inject({ method: 'GET', url: '/documents' });
    expect(sitePage.statusCode).toBe(429);
    expect(sitePage.headers['content-type']).toMatch(/^text\/html/);
    expect(sitePage.headers['retry-after']).toMatch(/^\d+$/);
    expect(sitePage.body).toContain('Too many requests');
    // What every page needs stays free.
    expect((await limited.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});

describe('while documents are being published', () => {
  let writable: TestApp;
  let clockOffsetMs = 0;
  beforeAll(async () => {
    writable = await buildTestApp({ demo: 400, clock: () => new Date(Date.now() + clockOffsetMs) });
  });
  afterAll(() => writable.cleanup());

  it('a cursor walk neither repeats nor skips a document when a newer one is published mid-walk', async () => {
    // Upcoming events are dated ahead of today: without them, what is published today leads.
    const query = 'field=human-rights&not_type=event&page_size=6&fields=id';
    const before = (await everyItem(writable, '/api/v1/documents', 'field=human-rights&not_type=event&fields=id')).map(
      (d) => d.id,
    );
    expect(before.length).toBeGreaterThan(18);

    let newId = 0;
    const { ids } = await walkWithCursor(writable, query, async (pagesRead) => {
      if (pagesRead === 2) {
        newId = await publishDocument(writable, {
          slug: 'human-rights-breaking-news',
          title: 'Human rights breaking news',
          datedAt: new Date(),
          field: 'human-rights',
        });
      }
    });
    expect(ids).toEqual(before);

    // The new document does match the walk's filter: it now leads the first page.
    const firstPage = okJson<DocumentList>(await request(writable, `/api/v1/documents?${query}`));
    expect(idsOf(firstPage)[0]).toBe(newId);
    // Whereas page numbers shift: page 2 now starts with what ended page 1.
    const secondPage = okJson<DocumentList>(await request(writable, `/api/v1/documents?${query}&page=2`));
    expect(idsOf(secondPage)[0]).toBe(before[5]);
  });

  it('an embargoed document is absent by id, by path and from lists until its time comes', async () => {
    const listBefore = okJson<DocumentList>(await request(writable, '/api/v1/documents?fields=id&page_size=100'));
    const datedAt = new Date();
    const id = await publishDocument(writable, {
      slug: 'embargoed-until-tomorrow',
      title: 'Embargoed until tomorrow',
      datedAt,
      publishAt: new Date(Date.now() + DAY_MS),
      field: 'elections',
    });
    // Its address comes from its own date, fixed when it was saved as published.
    const path = `/press-releases/${datedAt.toISOString().slice(0, 4)}/${datedAt.toISOString().slice(5, 7)}/embargoed-until-tomorrow`;
    const row = await writable.store.db
      .selectFrom('documents')
      .select(['permalink'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.permalink).toBe(path);
    const byPathUrl = `/api/v1/documents/by-path?path=${encodeURIComponent(path)}`;

    problemOf(await request(writable, `/api/v1/documents/${id}`), 404);
    problemOf(await request(writable, byPathUrl), 404);
    const listAfter = okJson<DocumentList>(await request(writable, '/api/v1/documents?fields=id&page_size=100'));
    expect(listAfter.total).toBe(listBefore.total);
    expect(idsOf(listAfter)).not.toContain(id);
    const searched = okJson<DocumentList>(await request(writable, '/api/v1/documents?q=embargoed&fields=id'));
    expect(idsOf(searched)).not.toContain(id);
    const facets = okJson<DocumentList>(await request(writable, '/api/v1/documents?facets=true&page_size=1'));
    const typeCounts = (facets.facets?.type ?? []).reduce((sum, t) => sum + t.count, 0);
    expect(typeCounts).toBe(listBefore.total);

    clockOffsetMs = 2 * DAY_MS;
    try {
      const later = okJson<DocumentItem>(await request(writable, `/api/v1/documents/${id}`));
      expect(later).toMatchObject({ path, date: datedAt.toISOString() });
      // It went public when its embargo ended.
      expect(Date.parse(later.published_at ?? '')).toBeGreaterThan(datedAt.getTime());
      expect(okJson<DocumentItem>(await request(writable, byPathUrl)).id).toBe(id);
      const listLater = okJson<DocumentList>(
        await request(writable, '/api/v1/documents?type=press-release&fields=id&page_size=1'),
      );
      expect(idsOf(listLater)).toEqual([id]);
    } finally {
      clockOffsetMs = 0;
    }
  });

  it('once a document is published, the listing’s old ETag no longer matches', async () => {
    const url = '/api/v1/documents?field=migration&not_type=event&fields=id,title';
    const before = await request(writable, url);
    const etag = String(before.headers.etag);
    expect((await request(writable, url, { headers: { 'if-none-match': etag } })).statusCode).toBe(304);
    await publishDocument(writable, {
      slug: 'migration-news',
      title: 'Migration news',
      datedAt: new Date(),
      field: 'migration',
    });
    const after = await request(writable, url, { headers: { 'if-none-match': etag } });
    expect(after.statusCode).toBe(200);
    expect(after.body).toContain('Migration news');
  });
});
