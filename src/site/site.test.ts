// The public website through HTTP (fastify.inject): every page kind, errors, query budgets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/support/test-app.ts';
import { KINDS } from '../documents/kinds.ts';
import { documentPath } from '../listing/urls.ts';
import type { DocumentKind } from '../store/schema.ts';

const SEED_PATH = '/press-releases/2007/09/osce-plays-key-role-in-fight-against-human-trafficking-top-official-says';

let testApp: TestApp;
const get = (url: string) => testApp.app.inject({ method: 'GET', url });

async function pathOfKind(kind: DocumentKind): Promise<string> {
  const doc = await testApp.store.db
    .selectFrom('documents')
    .select(['kind', 'slug', 'language', 'dated_at', 'permalink'])
    .where('kind', '=', kind)
    .where('status', '=', 'published')
    .orderBy('id')
    .executeTakeFirstOrThrow();
  return documentPath(doc);
}

beforeAll(async () => {
  testApp = await buildTestApp({ demo: 400 });
});
afterAll(() => testApp.cleanup());

describe('pages', () => {
  it('home shows latest press releases, the current chairpersonship and entry points', async () => {
    const response = await get('/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    const year = new Date().getUTCFullYear();
    expect(response.body).toContain(`${year} Chairpersonship:`);
    expect(response.body).toContain('Latest press releases');
    expect(response.body).toContain('href="/fields-of-work/arms-control"');
    expect(response.body.match(/class="doc-row"/g)?.length).toBeGreaterThanOrEqual(6);
  });

  it('the seed press release shows every piece of its metadata', async () => {
    const response = await get(SEED_PATH);
    expect(response.statusCode).toBe(200);
    const body = response.body;
    expect(body).toContain('<h1>OSCE plays key role in fight against human trafficking, top official says</h1>');
    expect(body).toContain('<time datetime="2007-09-11">11 September 2007</time>');
    expect(body).toContain('<dt>Place</dt><dd>Vienna</dd>');
    expect(body).toContain('<a href="/structures/secretariat">OSCE Secretariat</a>');
    expect(body).toContain('<a href="/fields-of-work/human-rights">Human rights</a>');
    expect(body).toContain(
      'Human rights</a>, <a href="/fields-of-work/combating-trafficking-in-human-beings">Combating trafficking',
    );
    expect(body).toContain('<a href="/countries/spain">Spain</a>');
    expect(body).toContain('<a href="/documents?year=2007">2007 Spanish Chairmanship</a>');
    expect(body).toContain('Eva Biaudet');
    expect(body).toContain('aria-labelledby="related-heading"');
    expect(body).not.toContain('Demo content.');
  });

  it('a demo document is visibly marked as demo content', async () => {
    const response = await get(await pathOfKind('news'));
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<strong>Demo content.</strong>');
  });

  it.each(KINDS.filter((k) => k.kind !== 'page').map((k) => [k.kind, k.path, k.plural] as const))(
    'the %s listing and one of its documents render',
    async (kind, path, plural) => {
      const listing = await get(`/${path}`);
      expect(listing.statusCode).toBe(200);
      expect(listing.body).toContain(`<h1>${plural}</h1>`);
      const document = await get(await pathOfKind(kind));
      expect(document.statusCode).toBe(200);
      expect(document.body).toContain('class="document__kind"');
    },
  );

  it('listings filter by field, country, source and year, and paginate', async () => {
    const all = await get('/documents');
    const total = Number(/([\d,]+) documents/.exec(all.body)?.[1]?.replace(/,/g, ''));
    expect(total).toBe(402);
    for (const query of ['field=human-rights', 'country=austria', 'source=secretariat', 'year=2007']) {
      const response = await get(`/documents?${query}`);
      expect(response.statusCode, query).toBe(200);
      const count = Number(/([\d,]+) documents?/.exec(response.body)?.[1]?.replace(/,/g, ''));
      expect(count, query).toBeGreaterThan(0);
      expect(count, query).toBeLessThan(total);
    }
    const page2 = await get('/documents?page=2');
    expect(page2.body).toContain('aria-current="page" aria-label="Page 2"');
    expect(page2.body).toContain('rel="prev"');
  });

  it.each([
    ['/fields-of-work', '<h1>Fields of work</h1>'],
    ['/fields-of-work/human-rights', '<h1>Human rights</h1>'],
    ['/fields-of-work/projects', '<h1>Projects</h1>'],
    ['/meetings', '<h1>Meetings and conferences</h1>'],
    ['/meetings/ministerial-council-meetings', '<h1>Ministerial Council meetings</h1>'],
    ['/countries', '<h1>Countries</h1>'],
    ['/countries/participating-states', '57 countries'],
    ['/countries/asian-partners', '5 countries'],
    ['/countries/mediterranean-partners', '6 countries'],
    ['/countries/switzerland', 'Participating State since'],
    ['/countries/japan', 'Asian Partner for Co-operation since 1992'],
    ['/structures', '<h1>Organizational structure</h1>'],
    ['/structures/secretariat', '<h1>Secretariat</h1>'],
    [
      '/structures/chairpersonship',
      '<a href="/documents?year=2007">2007</a></th><td><a href="/countries/spain">Spain</a>',
    ],
    ['/structures/field-operations', 'Mission to Serbia'],
    ['/structures/closed-field-activities', 'Mission to Georgia'],
    ['/structures/mission-to-moldova', 'Chisinau'],
    ['/about-us', '<h1>About us</h1>'],
  ])('%s renders', async (url, expected) => {
    const response = await get(url);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain(expected);
  });

  it('every page carries the whole menu, a skip link and breadcrumbs', async () => {
    const response = await get('/fields-of-work/human-rights');
    expect(response.body).toContain('<a class="skip-link" href="#main">');
    expect(response.body).toContain('<nav class="menu" aria-label="Main">');
    expect(response.body).toContain('<nav class="breadcrumbs wrap" aria-label="Breadcrumb">');
    expect(response.body.match(/<summary class="menu__toggle">/g)).toHaveLength(3);
  });

  it('serves the stylesheet under a hashed name with a long cache life', async () => {
    const home = await get('/');
    const href = /<link rel="stylesheet" href="([^"]+)">/.exec(home.body)?.[1] as string;
    const css = await get(href);
    expect(css.statusCode).toBe(200);
    expect(css.headers['cache-control']).toContain('immutable');
    expect(css.body).toContain('--color-accent');
  });

  it('sends the security headers on every response', async () => {
    for (const url of ['/', '/no-such-page', '/healthz']) {
      const response = await get(url);
      expect(response.headers['content-security-policy'], url).toContain("default-src 'self'");
      expect(response.headers['x-content-type-options'], url).toBe('nosniff');
      expect(response.headers['x-frame-options'], url).toBe('SAMEORIGIN');
    }
  });

  it('answers /healthz', async () => {
    const response = await get('/healthz');
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('is ready at once without a bitmap index', async () => {
    const response = await get('/readyz');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ready', index: 'off' });
  });
});

describe('readiness with the bitmap index', () => {
  let indexed: TestApp;
  beforeAll(async () => {
    indexed = await buildTestApp({ demo: 100, bitmapIndex: true, frequentTermMinDocuments: 10 });
  });
  afterAll(() => indexed.cleanup());

  it('reports loading (503, Retry-After) until the index is loaded, then ready with its postings', async () => {
    const statuses: number[] = [];
    let body: { status: string; index: string; frequentTerms: string | number } | undefined;
    for (let attempt = 0; attempt < 200; attempt += 1) {
      const response = await indexed.app.inject({ url: '/readyz' });
      statuses.push(response.statusCode);
      body = response.json();
      if (response.statusCode === 503) expect(response.headers['retry-after']).toBe('5');
      if (typeof body?.frequentTerms === 'number') break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(statuses.every((code) => code === 503 || code === 200)).toBe(true);
    expect(statuses.at(-1)).toBe(200);
    expect(body).toMatchObject({ status: 'ready', index: 'ready' });
    expect(body?.frequentTerms).toBeGreaterThan(0);
    const search = await indexed.app.inject({ url: '/search?q=security' });
    expect(search.statusCode).toBe(200);
  });
});

describe('errors', () => {
  it.each([
    ['/no-such-page'],
    ['/press-releases/2007/09/no-such-document'],
    ['/fields-of-work/unknown'],
    ['/countries/atlantis'],
    ['/structures/ministry-of-silly-walks'],
    ['/meetings/tea-parties'],
    ['/press-releases?page=99999'],
    ['/pages/2020/01/about-us'],
    ['/assets/site.0000.css'],
  ])('%s is a real 404 page', async (url) => {
    const response = await get(url);
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.body).toContain('<h1>Page not found</h1>');
  });

  it.each([
    ['/press-releases?page=abc', 'page'],
    ['/press-releases?page=-1', 'page'],
    ['/press-releases?page=0', 'page'],
    ['/press-releases?year=20x7', 'year'],
    ['/press-releases?field=unknown', 'field'],
    ['/documents?type=memo', 'type'],
    ['/documents?country=atlantis', 'country'],
    ['/documents?source=nowhere', 'source'],
    ['/documents?from=2007-02-30', 'from'],
    ['/documents?from=2010-01-01&to=2009-01-01', 'from'],
    ['/documents?sort=random', 'sort'],
    ['/documents?page=1&page=2', 'page'],
    ['/documents?lang=english', 'lang'],
    ['/documents?field=%3Cscript%3E', 'field'],
    ['/documents?page=999999', 'page'],
  ])('%s is a 400 naming the parameter %s', async (url, parameter) => {
    const response = await get(url);
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain(`Parameter: <code>${parameter}</code>`);
    expect(response.body).not.toContain('<script>');
  });

  it('a malformed address is a 400, never a 500', async () => {
    for (const url of ['/%E0%A4%A', '/documents?field=%FF%FE', '/countries/%00', '/press-releases/%C0%AF/x/y']) {
      const response = await get(url);
      expect(response.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, url).toBeLessThan(500);
      expect(response.headers['content-type'], url).toContain('text/html');
    }
  });

  it('a document address with the wrong date redirects to the canonical one', async () => {
    const response = await get(
      '/press-releases/2010/01/osce-plays-key-role-in-fight-against-human-trafficking-top-official-says',
    );
    expect(response.statusCode).toBe(301);
    expect(response.headers.location).toBe(SEED_PATH);
  });

  it('a document embargoed until tomorrow is nowhere to be seen', async () => {
    const today = new Date().toISOString();
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    await testApp.store.transaction((tx) =>
      testApp.writer.create(tx, {
        kind: 'press-release',
        slug: 'embargoed-announcement',
        title: 'Embargoed announcement',
        bodyHtml: '<p>Not yet</p>',
        datedAt: today,
        publishAt: tomorrow,
        status: 'published',
      }),
    );
    const path = `/press-releases/${today.slice(0, 4)}/${today.slice(5, 7)}/embargoed-announcement`;
    expect((await get(path)).statusCode).toBe(404);
    expect((await get('/press-releases')).body).not.toContain('Embargoed announcement');
    expect((await get('/')).body).not.toContain('Embargoed announcement');
  });
});

describe('query budget', () => {
  async function countQueries(url: string): Promise<number> {
    let count = 0;
    const stop = testApp.store.observeQueries((statement) => {
      // The change log's follower polls on its own clock, whichever request is running.
      if (!statement.startsWith('select * from "document_changes"')) count += 1;
    });
    try {
      const response = await get(url);
      expect(response.statusCode, url).toBe(200);
    } finally {
      stop();
    }
    return count;
  }

  it.each([
    // Latest press releases, latest news, upcoming events.
    ['home', '/', 3],
    // The document, its sources, its terms, the related documents.
    ['document page', SEED_PATH, 4],
    // A listing: the page's ids, its total, one statement per facet (type, field, country, source,
    // year), then the page's rows.
    ['kind listing', '/press-releases', 8],
    ['filtered listing', '/documents?field=human-rights&not_country=austria&year=2020', 8],
    // ... and the snippets.
    ['search page with a query', '/search?q=trafficking&field=human-rights', 9],
    ['field page', '/fields-of-work/human-rights', 8],
    ['country page', '/countries/austria', 8],
    ['structure page', '/structures/secretariat', 8],
    ['meeting page', '/meetings/ministerial-council-meetings', 8],
    ['countries index', '/countries', 0],
    ['structures index', '/structures', 0],
    // The page, its sources, its terms.
    ['about us', '/about-us', 3],
  ])('%s stays within %s… statements', async (_, url, budget) => {
    expect(await countQueries(url)).toBeLessThanOrEqual(budget);
  });
});

describe('the site-wide search box in the header', () => {
  /** The header's search form, read from its markup: what a reader's browser would submit. */
  function headerSearch(body: string) {
    const header = /<header class="site-header">[\s\S]*?<\/header>/.exec(body)?.[0] ?? '';
    const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/.exec(header);
    if (!form) return undefined;
    const attributes = (tag: string) =>
      Object.fromEntries([...tag.matchAll(/([a-z-]+)="([^"]*)"/g)].map((match) => [match[1], match[2]]));
    const inner = form[2] as string;
    const input = attributes(/<input\b[^>]*>/.exec(inner)?.[0] ?? '');
    const label = /<label\b([^>]*)>([^<]*)<\/label>/.exec(inner);
    const button = /<button\b([^>]*)>([^<]*)<\/button>/.exec(inner);
    return {
      form: attributes(form[1] as string),
      input,
      label: label ? { ...attributes(label[1] as string), text: (label[2] as string).trim() } : undefined,
      button: button ? { ...attributes(button[1] as string), text: (button[2] as string).trim() } : undefined,
    };
  }

  it.each([
    ['home', '/', 200],
    ['a listing', '/press-releases', 200],
    ['a filtered listing', '/documents?field=human-rights', 200],
    ['a field of work', '/fields-of-work/human-rights', 200],
    ['a document', SEED_PATH, 200],
    ['a page', '/about-us', 200],
    ['a 404 page', '/no-such-page', 404],
    ['a 400 page', '/documents?year=abc', 400],
  ])('is on %s (%s): a search landmark that GETs /search?q=', async (_, url, status) => {
    const response = await get(url);
    expect(response.statusCode).toBe(status);
    const search = headerSearch(response.body);
    expect(search, 'a form in the header').toBeDefined();
    expect(search?.form).toMatchObject({ role: 'search', method: 'get', action: '/search', 'aria-label': 'Site-wide' });
    expect(search?.input).toMatchObject({ type: 'search', name: 'q' });
    // The label names the input (for = id), and that id is the page's only one.
    const id = search?.input.id as string;
    expect(id).toBeTruthy();
    expect(search?.label).toMatchObject({ for: id, text: 'Search the OSCE website' });
    expect(response.body.split(`id="${id}"`)).toHaveLength(2);
    expect(search?.button).toMatchObject({ type: 'submit', text: 'Search' });
  });

  it('on the search page, leaves the query to the page’s own form instead of repeating it', async () => {
    const response = await get('/search?q=trafficking&field=human-rights');
    expect(response.statusCode).toBe(200);
    expect(headerSearch(response.body), 'no search form in the header').toBeUndefined();
    // Nothing of the request reaches the header (a word no menu entry contains).
    const probe = await get('/search?q=xylophone');
    const header = /<header class="site-header">[\s\S]*?<\/header>/.exec(probe.body)?.[0] ?? '';
    expect(header).not.toContain('xylophone');
    // One search landmark on the page: the page's own, holding the query and keeping the filter.
    expect(response.body.match(/role="search"/g)).toHaveLength(1);
    expect(response.body).toContain('name="q" value="trafficking"');
    expect(response.body).toContain('<input type="hidden" name="field" value="human-rights">');
    // ... on its later pages too.
    const page2 = await get('/search?page=2');
    expect(headerSearch(page2.body)).toBeUndefined();
  });

  it('the header is still the cached one: the next page has the search box again', async () => {
    await get('/search?q=<script>');
    const home = await get('/');
    expect(headerSearch(home.body)?.input).not.toHaveProperty('value');
    expect(home.body).not.toContain('&lt;script&gt;');
  });

  it('submitting it answers with the search results', async () => {
    const response = await get('/search?q=trafficking');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<h1>Search</h1>');
    expect(response.body.match(/class="doc-row"/g)?.length).toBeGreaterThan(0);
  });
});
