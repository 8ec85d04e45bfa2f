// Full-text search as a reader meets it: ranking, phrases, exclusions, OR, prefixes, stemming,
// diacritics and escaped snippets; then hostile queries through HTTP and random text (fast-check),
// which must give results or a 400 that says what is wrong, never a 500.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/support/test-app.ts';
import { createDocument, type DocumentInput } from '../documents/repository.ts';
import { parseFilter } from '../listing/filter.ts';
import { runListing } from '../listing/listing.ts';
import { MAX_QUERY_LENGTH, parseSearchQuery } from './query.ts';

let testApp: TestApp;
const ids: Record<string, number> = {};

const DOCUMENTS: Record<string, Partial<DocumentInput> & { title: string; publishedAt: string }> = {
  // Same word in the title, the summary or only the body; the title one is the oldest, so that
  // only relevance can put it first.
  inTitle: { title: 'Zorblax agreement signed', publishedAt: '2001-03-01' },
  inSummary: { title: 'Notes from a regional meeting', summary: 'On the zorblax question.', publishedAt: '2002-03-01' },
  inBody1: {
    title: 'Talks continue in the capital',
    bodyHtml: '<p>The delegates discussed zorblax for a long time. Zorblax and flimwort were on the agenda.</p>',
    publishedAt: '2003-03-01',
  },
  inBody2: {
    title: 'A second day of talks',
    bodyHtml: '<p>More about zorblax today, and about glarbex, the other open matter of the talks.</p>',
    publishedAt: '2004-03-01',
  },
  adjacent: { title: 'Boats rest in the quiet harbour of Varnelle', publishedAt: '2005-03-01' },
  apart: { title: 'The harbour of Varnelle was never quiet', publishedAt: '2005-04-01' },
  trafficking: { title: 'Snarvik court hears trafficking case', publishedAt: '2006-03-01' },
  trafficked: { title: 'Snarvik: women trafficked across the border', publishedAt: '2006-04-01' },
  negotiated: { title: 'Quellstadt parties negotiated a settlement', publishedAt: '2007-03-01' },
  negotiating: { title: 'Quellstadt negotiating team meets', publishedAt: '2007-04-01' },
  diacritics: { title: 'Plonkety delegation visits Türkiye', publishedAt: '2008-03-01' },
  markup: {
    title: 'A note on formatting',
    bodyHtml: '<p>Type &lt;b&gt;bold&lt;/b&gt; around a wibblefrotz &amp; its "friends".</p>',
    publishedAt: '2009-03-01',
  },
};

const NOW = () => new Date().toISOString();

/** Ids of the documents a query finds, in the listing's order. */
async function find(q: string, extra: Record<string, string> = {}): Promise<number[]> {
  const filter = parseFilter({ q, page_size: '100', ...extra }, testApp.context.catalog);
  const listing = await runListing(testApp.store.db, filter, NOW());
  return listing.items.map((item) => item.id);
}

const named = (...names: string[]) => names.map((name) => ids[name]);

beforeAll(async () => {
  testApp = await buildTestApp({ demo: 300 });
  await testApp.store.transaction(async (tx) => {
    for (const [name, doc] of Object.entries(DOCUMENTS)) {
      ids[name] = await createDocument(tx, {
        kind: 'news',
        slug: `search-${name.toLowerCase()}`,
        summary: 'A short summary.',
        bodyHtml: '<p>Nothing else to report.</p>',
        status: 'published',
        ...doc,
      });
    }
  });
});
afterAll(() => testApp.cleanup());

describe('what a search finds, and in which order', () => {
  it('ranks a title match above a summary match above body-only matches', async () => {
    const found = await find('zorblax');
    expect(found.slice(0, 2)).toEqual(named('inTitle', 'inSummary'));
    expect(found.slice(2).sort()).toEqual(named('inBody1', 'inBody2').sort());
  });

  it('sort=newest overrides relevance with the same documents', async () => {
    expect(await find('zorblax', { sort: 'newest' })).toEqual(named('inBody2', 'inBody1', 'inSummary', 'inTitle'));
  });

  it('a quoted phrase matches only the adjacent words, unquoted words match anywhere', async () => {
    expect(await find('"quiet harbour"')).toEqual(named('adjacent'));
    expect((await find('quiet harbour')).sort()).toEqual(named('adjacent', 'apart').sort());
    expect(await find('"harbour quiet"')).toEqual([]);
  });

  it('-word removes the documents containing it', async () => {
    expect(await find('zorblax -flimwort')).toEqual(named('inTitle', 'inSummary', 'inBody2'));
    expect(await find('zorblax -"zorblax and flimwort"')).not.toContain(ids.inBody1);
  });

  it('OR widens, plain words narrow', async () => {
    expect((await find('flimwort OR glarbex')).sort()).toEqual(named('inBody1', 'inBody2').sort());
    expect(await find('flimwort glarbex')).toEqual([]);
    // An OR group combined with other words, on either side.
    expect((await find('flimwort OR glarbex zorblax')).sort()).toEqual(named('inBody1', 'inBody2').sort());
    expect((await find('talks flimwort OR glarbex')).sort()).toEqual(named('inBody1', 'inBody2').sort());
    expect(await find('talks flimwort OR glarbex -"open matter"')).toEqual(named('inBody1'));
  });

  it('a prefix* matches every word that starts with it', async () => {
    expect((await find('snarvik traffick*')).sort()).toEqual(named('trafficking', 'trafficked').sort());
    expect(await find('zorbl*')).toHaveLength(4);
    expect(await find('zorbl')).toEqual([]);
  });

  it('inflected English forms find each other', async () => {
    expect((await find('negotiations quellstadt')).sort()).toEqual(named('negotiated', 'negotiating').sort());
    expect((await find('Quellstadt negotiate')).sort()).toEqual(named('negotiated', 'negotiating').sort());
  });

  it('letters with or without diacritics find each other, whatever the case', async () => {
    expect(await find('Turkiye plonkety')).toEqual(named('diacritics'));
    expect(await find('TÜRKIYE PLONKETY')).toEqual(named('diacritics'));
  });

  it('snippets mark the matched words and show the text as escaped HTML', async () => {
    const filter = parseFilter({ q: 'wibblefrotz' }, testApp.context.catalog);
    const [item] = (await runListing(testApp.store.db, filter, NOW())).items;
    expect(item?.id).toBe(ids.markup);
    expect(item?.snippet).toContain('&lt;b&gt;bold&lt;/b&gt;');
    expect(item?.snippet).toContain('<mark>wibblefrotz</mark> &amp; its &quot;friends&quot;');
    expect(item?.snippet).not.toContain('<b>');

    const stemmed = parseFilter({ q: 'negotiations quellstadt', sort: 'oldest' }, testApp.context.catalog);
    const snippets = (await runListing(testApp.store.db, stemmed, NOW())).items.map((i) => i.snippet);
    expect(snippets).toEqual([
      '<mark>Quellstadt</mark> parties <mark>negotiated</mark> a settlement',
      '<mark>Quellstadt</mark> <mark>negotiating</mark> team meets',
    ]);
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

  it('parseSearchQuery and runListing never throw and count sensibly', async () => {
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
        const listing = await runListing(testApp.store.db, filter, NOW(), { facets: true });
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
