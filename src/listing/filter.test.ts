import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestStore, type TestStore } from '../../test/support/test-app.ts';
import { type Catalog, loadCatalog } from '../taxonomy/catalog.ts';
import { constraintKey, parseFilter } from './filter.ts';

describe('constraintKey', () => {
  let testStore: TestStore;
  let catalog: Catalog;
  beforeAll(async () => {
    testStore = await buildTestStore();
    catalog = await loadCatalog(testStore.store.db);
  });
  afterAll(() => testStore.cleanup());

  const key = (query: Record<string, string>) => constraintKey(parseFilter(query, catalog));

  it('is the same whatever the page, order, size or cursor', () => {
    const base = { field: 'human-rights', country: 'austria' };
    expect(key({ ...base, page: '3', sort: 'oldest', page_size: '50' })).toBe(key(base));
    expect(key({ country: 'austria', field: 'human-rights' })).toBe(key(base));
  });

  it('differs for every other constraint', () => {
    const queries: Record<string, string>[] = [
      {},
      { field: 'human-rights' },
      { not_field: 'human-rights' },
      { field: 'human-rights,gender-equality' },
      { country: 'austria' },
      { type: 'news' },
      { not_type: 'news' },
      { year: '2019' },
      { from: '2019-01-01' },
      { to: '2019-01-01' },
      { q: 'security' },
      { q: 'security|c:field' },
      { q: 'security', field: 'human-rights' },
    ];
    const keys = queries.map(key);
    expect(new Set(keys).size).toBe(queries.length);
  });
});
