// Search as a reader meets it, on SQLite: the listing's relevance order and snippets, the search
// page and the API, the FTS5 index kept in step with every write; then hostile queries through
// HTTP and random text (fast-check), which must give results or a 400 that says what is wrong,
// never a 500. What any search provider must do is in search.contract.test.ts.

import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSearchCorpus } from '../../test/support/search-corpus.ts';
import { buildTestApp, TEST_ENGINE, type TestApp } from '../../test/support/test-app.ts';
import type { DocumentInput } from '../documents/writer.ts';
import { parseFilter } from '../listing/filter.ts';
import { MAX_QUERY_LENGTH, parseSearchQuery } from './query.ts';

let testApp: TestApp;
const ids: Record<string, number> = {};

const DOCUMENTS: Record<string, Partial<DocumentInput> & { title: string; datedAt: string }> = {
  // Same word in the title, the summary or only the body; the title one is the oldest, so that
  // only relevance can put it first.
  inTitle: { title: 'Zorblax agreement signed', datedAt: '2001-03-01' },
  inSummary: { title: 'Notes from a regional meeting', summary: 'On the zorblax question.', datedAt: '2002-03-01' },
  inBody1: {
    title: 'Talks continue in the capital',
    bodyHtml: '<p>The delegates discussed zorblax for a long time. Zorblax and flimwort were on the agenda.</p>',
    datedAt: '2003-03-01',
  },
  inBody2: {
    title: 'A second day of talks',
    bodyHtml: '<p>More about zorblax today, and about glarbex, the other open matter of the talks.</p>',
    datedAt: '2004-03-01',
  },
  adjacent: { title: 'Boats rest in the quiet harbour of Varnelle', datedAt: '2005-03-01' },
  apart: { title: 'The harbour of Varnelle was never quiet', datedAt: '2005-04-01' },
  markup: {
    title: 'A note on formatting',
    bodyHtml: '<p>Type &lt;b&gt;bold&lt;/b&gt; around a wibblefrotz &amp; its "friends".</p>',
    datedAt: '2009-03-01',
  },
  // Hidden from readers: a search must not find what a listing would not show.
  draft: { title: 'Zorblax draft minutes', datedAt: '2010-03-01', status: 'draft' },
  embargoed: { title: 'Zorblax embargoed statement', datedAt: '2010-04-01', publishAt: '2999-01-01T00:00:00Z' },
};

/** A listing of the documents a query finds, as every renderer gets it. */
function listing(q: string, extra: Record<string, string> = {}) {
  return testApp.context.listings.run(parseFilter({ q, page_size: '100', ...extra }, testApp.context.catalog));
}

/** Ids of the documents a query finds, in the listing's order. */
async function find(q: string, extra: Record<string, string> = {}): Promise<number[]> {
  return (await listing(q, extra)).items.map((item) => item.id);
}

const named = (...names: string[]) => names.map((name) => ids[name]);

beforeAll(async () => {
  testApp = await buildTestApp({ demo: 300 });
  await writeSearchCorpus(testApp.store, testApp.writer, DOCUMENTS, ids);
});
afterAll(() => testApp.cleanup());

describe('search through the listing', () => {
  it('orders by relevance, title above summary above body, and finds only what readers may see', async () => {
    const found = await find('zorblax');
    expect(found.slice(0, 2)).toEqual(named('inTitle', 'inSummary'));
    expect(found.slice(2).sort()).toEqual(named('inBody1', 'inBody2').sort());
    expect(found).not.toContain(ids.draft);
    expect(found).not.toContain(ids.embargoed);
    expect((await listing('zorblax')).total).toBe(4);
  });

  it('sort=newest overrides relevance with the same documents', async () => {
    expect(await find('zorblax', { sort: 'newest' })).toEqual(named('inBody2', 'inBody1', 'inSummary', 'inTitle'));
  });

  it('attaches the provider’s escaped snippet to each item', async () => {
    const [item] = (await listing('wibblefrotz')).items;
    expect(item?.id).toBe(ids.markup);
    expect(item?.snippet).toContain('<mark>wibblefrotz</mark> &amp; its &quot;friends&quot;');
    expect(item?.snippet).not.toContain('<b>');
    const unsearched = (await listing('')).items;
    expect(unsearched.length).toBeGreaterThan(0);
    expect(unsearched.filter((i) => i.snippet !== null)).toEqual([]);
  });

  it('the search page shows the snippets, and /api/v1/documents finds the same documents', async () => {
    const page = await testApp.app.inject({ url: '/search?q=quiet+harbour' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Boats rest in the <mark>quiet</mark> <mark>harbour</mark> of Varnelle');
    const api = await testApp.app.inject({ url: '/api/v1/documents?q=%22quiet%20harbour%22' });
    expect(api.statusCode).toBe(200);
    const json = api.json() as { items: { id: number }[] };
    expect(json.items.map((item) => item.id)).toEqual(named('adjacent'));
  });
});

// SQLite's own index; the PostgreSQL project runs the rest of this file.
describe.skipIf(TEST_ENGINE !== 'sqlite')('the FTS5 index on SQLite', () => {
  /** FTS5's own check of the index against its external content table (throws when they differ). */
  const integrityCheck = () =>
    sql`INSERT INTO document_fts(document_fts, rank) VALUES('integrity-check', 1)`.execute(testApp.store.db);

  it('weighs title, summary and body 10, 4 and 1 in the configured rank', async () => {
    const { rows } = await sql<{
      v: string;
    }>`SELECT v FROM document_fts_config WHERE k = 'rank'`.execute(testApp.store.db);
    expect(rows.map((row) => row.v)).toEqual(['bm25(10.0, 4.0, 1.0)']);
  });

  it('stays consistent with document_texts through creates, updates and removes', async () => {
    await integrityCheck();
    const id = await testApp.store.transaction((tx) =>
      testApp.writer.create(tx, {
        kind: 'news',
        slug: 'search-fts-consistency',
        title: 'Consistency check',
        bodyHtml: '<p>First text.</p>',
        datedAt: '2012-01-01',
        status: 'published',
      }),
    );
    await testApp.store.transaction((tx) =>
      testApp.writer.update(tx, id, 1, {
        kind: 'news',
        slug: 'search-fts-consistency',
        title: 'Consistency check, rewritten',
        bodyHtml: '<p>Second text.</p>',
        datedAt: '2012-01-01',
        status: 'published',
      }),
    );
    await integrityCheck();
    expect(await find('consistency rewritten')).toEqual([id]);
    await testApp.store.transaction((tx) => testApp.writer.remove(tx, id));
    await integrityCheck();
    expect(await find('consistency')).toEqual([]);
  });

  it('the check notices text changed behind the index, and reindex repairs it', async () => {
    const id = ids.apart as number;
    await testApp.store.db
      .updateTable('document_texts')
      .set({ title: 'Changed behind the index' })
      .where('document_id', '=', id)
      .execute();
    await expect(integrityCheck()).rejects.toThrow();
    await testApp.context.search.reindex(testApp.store.db);
    await integrityCheck();
    expect((await find('quiet harbour')).sort()).toEqual(named('adjacent', 'apart').sort());
  });
});

describe('hostile queries through HTTP', () => {
  const ENDPOINTS = ['/search', '/api/v1/documents'];
  const TYPED = [
    '"unbalanced',
    'unbalanced"',
    '"one" "two',
    '""',
    '"',
    'NEAR(a b)',
    'NEAR(police media, 3)',
    'title:foo',
    'body:police',
    '{title summary}: police',
    '*',
    '**',
    'police*',
    '*police',
    '^police',
    '^',
    'police AND media',
    'police OR media elections',
    'elections police OR media youth OR trafficking',
    '"human trafficking" OR migration -Vienna traffick*',
    'AND',
    'NOT',
    'OR',
    'OR OR',
    'police NOT media',
    '(',
    ')',
    '(police OR',
    '{',
    '}',
    '-',
    '--',
    '-police',
    '+',
    '+police',
    ':',
    'a:b:c',
    "'",
    "it's",
    '\\',
    ';DROP TABLE documents;--',
    "' OR 1=1 --",
    'police\u0000media',
    '\u0002\u0003',
    '𝔭𝔬𝔩𝔦𝔠𝔢',
    '👩‍👩‍👧',
    'مرحبا',
    '警察',
    'x'.repeat(MAX_QUERY_LENGTH),
    'a OR '.repeat(200),
    '-a '.repeat(300),
  ];
  const RAW = [
    '%00',
    'police%00',
    '%FF',
    '%C0%AF',
    '%E0%A4%A',
    '%ED%A0%80',
    '%',
    '%%',
    '%zz',
    'a%2',
    '%2B%2B',
    '+%22+',
  ];

  const check = async (url: string) => {
    const response = await testApp.app.inject({ url });
    expect(response.statusCode, url).toBeLessThan(500);
    if (response.statusCode !== 200) {
      expect(response.statusCode, url).toBe(400);
      expect(response.body, url).toMatch(/Bad request|"detail":"[^"]+"/);
    }
    return response;
  };

  it('operators, stray quotes and odd characters typed by a reader give results', async () => {
    for (const endpoint of ENDPOINTS) {
      for (const text of TYPED) {
        const response = await check(`${endpoint}?q=${encodeURIComponent(text)}`);
        expect(response.statusCode, `${endpoint} ${JSON.stringify(text)}`).toBe(200);
      }
    }
  });

  it('NUL and invalid UTF-8 percent-encodings give results or a 400 with a message', async () => {
    for (const endpoint of ENDPOINTS) for (const raw of RAW) await check(`${endpoint}?q=${raw}`);
  });

  it(`a q longer than ${MAX_QUERY_LENGTH} characters is a 400 naming q`, async () => {
    const q = 'word '.repeat(1000);
    const page = await check(`/search?q=${encodeURIComponent(q)}`);
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('Parameter: <code>q</code>');
    expect(page.body).toContain(`at most ${MAX_QUERY_LENGTH} characters`);
    const api = await check(`/api/v1/documents?q=${encodeURIComponent(q)}`);
    expect(api.statusCode).toBe(400);
    expect(api.json()).toMatchObject({ status: 400, parameter: 'q' });
  });

  it('q given twice is a 400 naming q, not a crash', async () => {
    for (const endpoint of ENDPOINTS) expect((await check(`${endpoint}?q=a&q=b`)).statusCode).toBe(400);
  });

  it('page=999999 is a 400 naming page', async () => {
    const page = await check('/search?q=police&page=999999');
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('Parameter: <code>page</code>');
    const api = await check('/api/v1/documents?q=police&page=999999');
    expect(api.statusCode).toBe(400);
    expect(api.json()).toMatchObject({ status: 400, parameter: 'page' });
  });
});

describe('random text never breaks search (fast-check)', () => {
  const OPERATORS = [
    '"',
    '-',
    '*',
    'OR',
    'AND',
    'NOT',
    'NEAR(',
    '(',
    ')',
    '{',
    '}',
    ':',
    '^',
    '+',
    'title:',
    '-"',
    '\u0000',
    '\u0002',
    '\u0003',
    "'",
    '’',
    'police',
    'trafficking',
    'Türkiye',
  ];
  const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
  const text = fc.oneof(
    fc.string(),
    fc.string({ unit: 'grapheme' }),
    fc.string({ unit: 'binary' }),
    fc.string({ unit: fc.oneof(fc.constantFrom(...OPERATORS), loneSurrogate, fc.constantFrom(' ', '  ', '\t')) }),
    fc
      .array(fc.oneof(fc.constantFrom(...OPERATORS), fc.string({ unit: 'grapheme', maxLength: 6 })), {
        maxLength: 40,
      })
      .map((parts) => parts.join(' ')),
  );

  it('parseSearchQuery and the listing never throw and count sensibly', async () => {
    const { catalog } = testApp.context;
    await fc.assert(
      fc.asyncProperty(text, fc.constantFrom('relevance', 'newest'), async (q, sort) => {
        const search = parseSearchQuery(q);
        if (search) {
          expect(search.required.length + search.excluded.length).toBeGreaterThan(0);
          for (const term of [...search.required.flat(), ...search.excluded])
            expect(term.words.length).toBeGreaterThan(0);
        }
        if (q.length > MAX_QUERY_LENGTH) return;
        const filter = parseFilter({ q, sort }, catalog);
        const listing = await testApp.context.listings.run(filter, { facets: true });
        expect(listing.total).toBeGreaterThanOrEqual(0);
        expect(listing.items.length).toBeLessThanOrEqual(Math.min(listing.total, filter.pageSize));
        const typeCounts = [...(listing.facets?.type.values() ?? [])].reduce((a, b) => a + b, 0);
        expect(typeCounts).toBe(listing.total);
      }),
      { numRuns: 300, seed: 20260301 },
    );
  });

  it('through HTTP, random text is never a server error', async () => {
    const encode = (q: string) => encodeURIComponent(q.replace(/[\ud800-\udfff]/g, '\ufffd'));
    await fc.assert(
      fc.asyncProperty(text, fc.constantFrom(...['/search', '/api/v1/documents']), async (q, endpoint) => {
        const response = await testApp.app.inject({ url: `${endpoint}?q=${encode(q)}` });
        expect(response.statusCode).toBeLessThan(500);
      }),
      { numRuns: 60, seed: 20260302 },
    );
  });
});
