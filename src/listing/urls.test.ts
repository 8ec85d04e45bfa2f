import { describe, expect, it } from 'vitest';
import { paramsTemplate, withParams } from './urls.ts';

describe('listing addresses', () => {
  it('write parameters in one canonical order', () => {
    expect(withParams('/documents', { page: ['2'], field: ['youth'], q: ['a b'], not_field: ['x'] })).toBe(
      '/documents?q=a+b&field=youth&not_field=x&page=2',
    );
    expect(withParams('/documents', { field: ['youth'] }, { field: [] })).toBe('/documents');
  });

  it('a facet template gives exactly what withParams gives', () => {
    const cases: Record<string, string[]>[] = [
      { q: ['traffick* "human rights"'], country: ['austria'], year: ['2020', '2021'], page: [] },
      {},
      { not_country: ['spain'], from: ['2007-01-01'], sort: ['oldest'] },
      { field: ['youth'], type: ['news', 'event'], source: ['secretariat'], lang: ['ru'] },
    ];
    for (const params of cases) {
      for (const name of ['type', 'field', 'country', 'year', 'not_country']) {
        const template = paramsTemplate('/search', params, name);
        for (const values of [[], ['human-rights'], ['a b', 'c&d', 'é']]) {
          expect(template(values), `${JSON.stringify(params)} ${name}=${values}`).toBe(
            withParams('/search', { ...params, [name]: values }),
          );
        }
      }
    }
  });
});
