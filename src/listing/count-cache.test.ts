import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/support/test-app.ts';
import { createCountCache } from './count-cache.ts';
import { EMPTY_FILTER } from './filter.ts';

describe('count cache', () => {
  it('reuses counts for the same filter until they expire, whatever the page', () => {
    let clock = 0;
    const cache = createCountCache({ ttlMs: 1000, now: () => clock });
    cache.set(EMPTY_FILTER, { total: 5, facets: null }, cache.epoch());
    expect(cache.get({ ...EMPTY_FILTER, page: 3, sort: 'oldest' }, false)?.total).toBe(5);
    expect(cache.get(EMPTY_FILTER, true)).toBeUndefined();
    expect(cache.get({ ...EMPTY_FILTER, from: '2020-01-01' }, false)).toBeUndefined();
    clock = 1000;
    expect(cache.get(EMPTY_FILTER, false)).toBeUndefined();
  });

  it('sweeps expired entries as it is used, without their being asked for again', () => {
    let clock = 0;
    const cache = createCountCache({ ttlMs: 1000, now: () => clock });
    for (let year = 2001; year <= 2100; year += 1) {
      clock = year - 2001;
      cache.set({ ...EMPTY_FILTER, from: `${year}-01-01` }, { total: year, facets: null }, cache.epoch());
    }
    expect(cache.size()).toBe(100);
    clock = 1050; // the first 51 (set at 0…50) have expired
    cache.get(EMPTY_FILTER, false);
    expect(cache.size()).toBe(49);
    expect(cache.get({ ...EMPTY_FILTER, from: '2100-01-01' }, false)?.total).toBe(2100);
    clock = 5000;
    cache.set(EMPTY_FILTER, { total: 1, facets: null }, cache.epoch());
    expect(cache.size()).toBe(1);
  });

  it('drops counts whose computation a change overtook', () => {
    const cache = createCountCache();
    const before = cache.epoch();
    // Counting began, a change cleared the cache, then the (stale) counts came back.
    cache.clear();
    cache.set(EMPTY_FILTER, { total: 7, facets: null }, before);
    expect(cache.get(EMPTY_FILTER, false)).toBeUndefined();
    cache.set(EMPTY_FILTER, { total: 8, facets: null }, cache.epoch());
    expect(cache.get(EMPTY_FILTER, false)?.total).toBe(8);
  });

  it('forgets the oldest entry past its size', () => {
    const cache = createCountCache({ maxEntries: 2 });
    for (const from of ['2001-01-01', '2002-01-01', '2003-01-01'])
      cache.set({ ...EMPTY_FILTER, from }, { total: 1, facets: null }, cache.epoch());
    expect(cache.get({ ...EMPTY_FILTER, from: '2001-01-01' }, false)).toBeUndefined();
    expect(cache.get({ ...EMPTY_FILTER, from: '2003-01-01' }, false)).toBeDefined();
  });
});

describe('listing pages with the count cache on', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await buildTestApp({ demo: 100, countCacheTtlMs: 60_000 });
  });
  afterAll(() => testApp.cleanup());

  it('runs the five facet statements and the count once, then only the page’s ids (its rows are held)', async () => {
    const counted = async (url: string) => {
      let statements = 0;
      // The change log's followers poll it in the background meanwhile: those reads are not the page's.
      const stop = testApp.store.observeQueries((sql) => {
        if (!sql.includes('"document_changes"')) statements += 1;
      });
      const response = await testApp.app.inject({ url });
      stop();
      return { statements, body: response.body };
    };
    const first = await counted('/documents?field=human-rights');
    const second = await counted('/documents?field=human-rights');
    // Page ids, the page's rows, the count and the five facets; then the ids alone, as the rows
    // read the first time are still held (listing/summary-rows.ts).
    expect(first.statements).toBe(8);
    expect(second.statements).toBe(1);
    expect(second.body.replace(/\s+/g, ' ')).toBe(first.body.replace(/\s+/g, ' '));
  });
});
