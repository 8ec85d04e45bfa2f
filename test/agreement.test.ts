// One filter, four renderings, one answer. For seeded random filters over the demo corpus, the
// HTML listing (its result count and facet panel), the `.json` listing, the API and the CSV export
// agree on the total, on which documents match and on every facet count; the CSV's own rows,
// counted by hand with the facet semantics (a structure counts everything under it, once), give
// the same counts again. Run on the SQL engine and on the bitmap index.
import { parse as parseCsv } from 'csv-parse/sync';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KINDS } from '../src/documents/kinds.ts';
import { FACET_DIMENSIONS, type FacetDimension } from '../src/listing/engine.ts';
import type { Catalog, StructureNode } from '../src/taxonomy/catalog.ts';
import { sourceLabel } from '../src/taxonomy/organisation.ts';
import { seededRandom } from '../src/text/random.ts';
import { OpenApiContract, type OpenApiDocumentObject } from './support/openapi.ts';
import { buildTestApp, type TestApp } from './support/test-app.ts';

const DEMO_DOCUMENTS = 300;
const FILTER_COUNT = 15;
const CSV_PAGE_SIZE = 100;

const TYPES = ['press-release', 'news', 'statement', 'event', 'publication'];
const FIELDS = [
  'human-rights',
  'elections',
  'youth',
  'migration',
  'policing',
  'rule-of-law',
  'gender-equality',
  'media-freedom-and-development',
  'combating-trafficking-in-human-beings',
];
const COUNTRIES = ['austria', 'moldova', 'serbia', 'spain', 'germany', 'kazakhstan', 'ukraine', 'poland'];
/** Groups, parents and leaves: a group counts what its members issued. */
const SOURCES = [
  'secretariat',
  'institutions',
  'field-operations',
  'closed-field-activities',
  'chairpersonship',
  'mission-to-moldova',
  'office-for-democratic-institutions-and-human-rights',
  'conflict-prevention-centre',
  'parliamentary-assembly',
];
const WORDS = ['security', 'trafficking', 'elections', 'youth', 'experts', 'conference', 'vienna'];
const MEETINGS = ['ministerial-council-meetings', 'summit-meetings', 'review-conferences'];

/** Seeded random filters as query strings; the first is no filter at all. */
function randomFilters(count: number, seed: number): string[] {
  const random = seededRandom(seed);
  const years = Array.from({ length: 22 }, (_, index) => String(2005 + index));
  const constraints: Array<() => [string, string][]> = [
    () => random.pickSome(TYPES, 1, 2).map((v) => ['type', v]),
    () => [['not_type', random.pick(TYPES)]],
    () => random.pickSome(FIELDS, 1, 2).map((v) => ['field', v]),
    () => [['not_field', random.pick(FIELDS)]],
    () => random.pickSome(COUNTRIES, 1, 2).map((v) => ['country', v]),
    () => [['not_country', random.pick(COUNTRIES)]],
    () => random.pickSome(SOURCES, 1, 2).map((v) => ['source', v]),
    () => [['not_source', random.pick(SOURCES)]],
    () => random.pickSome(years, 1, 4).map((v) => ['year', v]),
    () => [['not_year', random.pick(years)]],
    () => [['q', random.pick(WORDS)]],
    () => [['meeting', random.pick(MEETINGS)]],
    () => {
      const from = 2005 + Math.floor(random.next() * 18);
      const bounds: [string, string][] = [['from', `${from}-0${1 + Math.floor(random.next() * 9)}-15`]];
      if (random.next() < 0.5) bounds.push(['to', `${from + 1 + Math.floor(random.next() * 6)}-06-30`]);
      return bounds;
    },
  ];
  const filters = [''];
  while (filters.length < count) {
    // Each kind of constraint leads one filter in turn, with up to two others at random.
    const lead = constraints[(filters.length - 1) % constraints.length] as () => [string, string][];
    const chosen = [
      lead,
      ...random.pickSome(
        constraints.filter((c) => c !== lead),
        0,
        2,
      ),
    ];
    const params = new URLSearchParams(chosen.flatMap((constraint) => constraint()));
    const query = params.toString();
    if (!filters.includes(query)) filters.push(query);
  }
  return filters;
}

const FILTERS = randomFilters(FILTER_COUNT, 20261202);

/** Counts by dimension and value (slug, kind or year), only values with at least one document. */
type Counts = Record<FacetDimension, Record<string, number>>;

const emptyCounts = (): Counts => ({ type: {}, field: {}, country: {}, source: {}, year: {} });

interface FacetValue {
  value: string;
  label: string;
  count: number;
}

interface DocumentList {
  total: number;
  page_count: number;
  items: { id?: number }[];
  facets?: Record<string, FacetValue[]>;
}

function countsOfJson(list: DocumentList): Counts {
  const counts = emptyCounts();
  expect(Object.keys(list.facets ?? {}).sort()).toEqual([...FACET_DIMENSIONS].sort());
  for (const dimension of FACET_DIMENSIONS) {
    for (const { value, count } of list.facets?.[dimension] ?? []) {
      expect(counts[dimension][value], `${dimension}=${value} once`).toBeUndefined();
      if (count > 0) counts[dimension][value] = count;
    }
  }
  return counts;
}

const toNumber = (text: string) => Number(text.replace(/,/g, ''));

/** The HTML listing's result count: "1 document", "1,234 documents, page 1 of 62". */
function totalOfHtml(body: string): number {
  const match = /<p class="result-count" role="status">([\d,]+) documents?/.exec(body);
  expect(match, 'the page states its result count').not.toBeNull();
  return toNumber(match?.[1] ?? 'NaN');
}

/**
 * The facet panel's counts. Each value is read from its link: a link adds its value to the
 * dimension's current values, or (a selected value) removes it.
 */
function countsOfHtml(body: string, current: URLSearchParams): Counts {
  const counts = emptyCounts();
  const blocks = [...body.matchAll(/<h3 class="facet__title" id="facet-([a-z]+)">[\s\S]*?<\/div>/g)];
  for (const [block, dimension] of blocks) {
    expect(FACET_DIMENSIONS as readonly string[]).toContain(dimension);
    const selected = current.getAll(dimension as string);
    const links = [
      ...block.matchAll(
        /<a (?:class="facet__link--selected" )?href="([^"]*)" rel="nofollow"><span>[\s\S]*?<\/span> <span>([\d,]+)<\/span><\/a>/g,
      ),
    ];
    expect(links.length, `the ${dimension} facet has links`).toBeGreaterThan(0);
    for (const [, href, count] of links) {
      const target = new URL((href as string).replace(/&amp;/g, '&'), 'http://localhost').searchParams;
      const values = target.getAll(dimension as string);
      const changed = [
        ...values.filter((value) => !selected.includes(value)),
        ...selected.filter((value) => !values.includes(value)),
      ];
      expect(changed, `${href} adds or removes one ${dimension}`).toHaveLength(1);
      const value = changed[0] as string;
      const facet = counts[dimension as FacetDimension];
      expect(facet[value], `${dimension}=${value} once`).toBeUndefined();
      if (toNumber(count as string) > 0) facet[value] = toNumber(count as string);
    }
  }
  return counts;
}

/** The facet counts worked out from the exported rows themselves, for the dimensions given. */
function countsOfRows(rows: readonly Record<string, string>[], catalog: Catalog): Counts {
  const kindByLabel = new Map(KINDS.map((info) => [info.singular, info.kind]));
  const fieldByName = new Map(catalog.fields.map((field) => [field.name, field.slug]));
  const countryByName = new Map(catalog.countries.map((country) => [country.name, country.slug]));
  const structureByLabel = new Map<string, StructureNode>(catalog.structures.map((node) => [sourceLabel(node), node]));
  expect(structureByLabel.size, 'every structure signs with its own name').toBe(catalog.structures.length);
  const counts = emptyCounts();
  const add = (dimension: FacetDimension, value: string | undefined) => {
    expect(value, `a known ${dimension}`).toBeDefined();
    const facet = counts[dimension];
    facet[value as string] = (facet[value as string] ?? 0) + 1;
  };
  const list = (cell: string | undefined) => (cell ? cell.split('; ') : []);
  for (const row of rows) {
    add('type', kindByLabel.get(row.kind ?? ''));
    add('year', row.date?.slice(0, 4));
    for (const name of list(row.fields_of_work)) add('field', fieldByName.get(name));
    for (const name of list(row.countries)) add('country', countryByName.get(name));
    // A structure counts the row once if any of the row's sources is it or under it.
    const reached = new Set<string>();
    for (const label of list(row.source)) {
      const node = structureByLabel.get(label);
      expect(node, `a known source "${label}"`).toBeDefined();
      for (let at: StructureNode | null = node ?? null; at; at = at.parent) reached.add(at.slug);
    }
    for (const slug of reached) add('source', slug);
  }
  return counts;
}

/** Facet dimensions the filter does not constrain: their counts are those of the matches. */
function freeDimensions(query: URLSearchParams): FacetDimension[] {
  return FACET_DIMENSIONS.filter((dimension) => !query.has(dimension) && !query.has(`not_${dimension}`));
}

const totals = new Map<string, number[]>();

describe.each([
  ['SQL', false],
  ['bitmap index', true],
] as const)('every rendering of a listing agrees, on the %s engine', (engine, bitmapIndex) => {
  let testApp: TestApp;
  let contract: OpenApiContract;

  async function get(url: string): Promise<LightMyRequestResponse> {
    const response = await testApp.app.inject({ method: 'GET', url });
    expect(response.statusCode, `${url}: ${response.body.slice(0, 200)}`).toBe(200);
    return response;
  }

  async function apiList(url: string): Promise<DocumentList> {
    const response = await get(url);
    contract.assertResponse('GET', url, response);
    return JSON.parse(response.body) as DocumentList;
  }

  beforeAll(async () => {
    testApp = await buildTestApp({ demo: DEMO_DOCUMENTS, bitmapIndex });
    await testApp.app.ready();
    await testApp.indexReady;
    expect(testApp.context.listings.engine().name).toBe(bitmapIndex ? 'bitmap' : 'sql');
    const spec = await get('/api/openapi.json');
    contract = new OpenApiContract(JSON.parse(spec.body) as OpenApiDocumentObject);
    totals.set(engine, []);
  });
  afterAll(() => testApp.cleanup());

  it.each(FILTERS.map((query) => [query === '' ? '(no filter)' : query, query]))('%s', async (_label, query) => {
    const params = new URLSearchParams(query);
    const and = query === '' ? '' : `${query}&`;

    const page = (await get(`/documents${query === '' ? '' : `?${query}`}`)).body;
    const htmlTotal = totalOfHtml(page);
    const htmlCounts = countsOfHtml(page, params);

    const suffixed = JSON.parse((await get(`/documents.json?${and}facets=true&page_size=1`)).body) as DocumentList;
    const api = await apiList(`/api/v1/documents?${and}facets=true&page_size=1`);

    // Which documents: every page of the API, and every page of the CSV export, in order.
    const apiIds: number[] = [];
    for (let pageNumber = 1; ; pageNumber += 1) {
      const list = await apiList(`/api/v1/documents?${and}fields=id&page_size=${CSV_PAGE_SIZE}&page=${pageNumber}`);
      apiIds.push(...list.items.map((item) => item.id as number));
      if (pageNumber >= list.page_count) break;
    }
    const rows: Record<string, string>[] = [];
    for (let pageNumber = 1; ; pageNumber += 1) {
      const csv = await get(`/documents.csv?${and}page_size=${CSV_PAGE_SIZE}&page=${pageNumber}`);
      const pageRows = parseCsv(csv.body, { bom: true, columns: true }) as Record<string, string>[];
      rows.push(...pageRows);
      if (pageRows.length < CSV_PAGE_SIZE) break;
    }

    expect(suffixed.total, 'the .json listing').toBe(htmlTotal);
    expect(api.total, 'the API').toBe(htmlTotal);
    expect(apiIds, 'the API, page by page').toHaveLength(htmlTotal);
    expect(new Set(apiIds).size).toBe(apiIds.length);
    expect(
      rows.map((row) => Number(row.id)),
      'the CSV export, page by page',
    ).toEqual(apiIds);

    const jsonCounts = countsOfJson(suffixed);
    expect(jsonCounts, 'the .json facets').toEqual(htmlCounts);
    expect(countsOfJson(api), 'the API facets').toEqual(htmlCounts);

    const fromRows = countsOfRows(rows, testApp.context.catalog);
    for (const dimension of freeDimensions(params)) {
      expect(fromRows[dimension], `${dimension} counted from the CSV rows`).toEqual(htmlCounts[dimension]);
    }
    // Each type's count, when types are not chosen, adds up to the total.
    if (!params.has('type') && !params.has('not_type')) {
      expect(Object.values(htmlCounts.type).reduce((sum, count) => sum + count, 0)).toBe(htmlTotal);
    }
    totals.get(engine)?.push(htmlTotal);
  });

  it('the filters are worth comparing: most match documents, some match few', () => {
    const seen = totals.get(engine) ?? [];
    expect(seen).toHaveLength(FILTERS.length);
    expect(seen[0]).toBe(DEMO_DOCUMENTS + 2);
    expect(seen.filter((total) => total > 0).length).toBeGreaterThanOrEqual(10);
    expect(seen.some((total) => total > 0 && total < 40)).toBe(true);
  });
});

describe('both engines', () => {
  it('found the same totals for the same filters', () => {
    expect(totals.get('bitmap index')).toEqual(totals.get('SQL'));
  });
});
