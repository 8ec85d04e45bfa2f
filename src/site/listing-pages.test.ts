// Listing pages as a reader uses them: search, facets, active filters, feeds and exports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/support/test-app.ts';

let testApp: TestApp;
const get = (url: string) => testApp.app.inject({ method: 'GET', url });
const decode = (href: string) => href.replace(/&amp;/g, '&');
const countOf = (body: string) => Number(/([\d,]+) documents?/.exec(body)?.[1]?.replace(/,/g, '') ?? Number.NaN);

beforeAll(async () => {
  testApp = await buildTestApp({ demo: 300 });
});
afterAll(() => testApp.cleanup());

describe('search page', () => {
  it('finds documents by word, highlights the match and orders by relevance', async () => {
    const response = await get('/search?q=trafficking');
    expect(response.statusCode).toBe(200);
    expect(countOf(response.body)).toBeGreaterThan(0);
    expect(response.body).toContain('<mark>');
    expect(response.body).toContain('<option value="relevance" selected>');
    expect(response.body).toContain('value="trafficking"');
  });

  it('says so when nothing matches', async () => {
    const response = await get('/search?q=zzzyzzyva');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('No documents found.');
  });

  it('offers the closest known words when a search finds nothing, keeping the other filters', async () => {
    const response = await get('/search?q=trafficing&type=press-release&sort=newest');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('No documents found.');
    const link = /<p class="did-you-mean">Did you mean <a href="([^"]+)">([^<]+)<\/a>\?<\/p>/.exec(response.body);
    expect(link?.[2]).toBe('trafficking');
    expect(decode(link?.[1] ?? '')).toBe('/search?q=trafficking&type=press-release&sort=newest');
    const followed = await get(decode(link?.[1] ?? ''));
    expect(countOf(followed.body)).toBeGreaterThan(0);
    expect(followed.body).not.toContain('did-you-mean');
    const json = (await get('/search.json?q=trafficing')).json();
    expect(json).toMatchObject({ total: 0, suggestion: 'trafficking' });
    const api = (await get('/api/v1/documents?q=trafficing')).json();
    expect(api).toMatchObject({ total: 0, suggestion: 'trafficking' });
    expect((await get('/search.json?q=trafficking')).json()).not.toHaveProperty('suggestion');
    // Nothing close: no offer.
    expect((await get('/search?q=zzzyzzyva')).body).not.toContain('did-you-mean');
  });

  it('treats typed operators as words, never as errors', async () => {
    for (const q of ['NEAR(', 'title:', '"unbalanced', '*', '^', 'a OR', '-', '((']) {
      const response = await get(`/search?q=${encodeURIComponent(q)}`);
      expect(response.statusCode, q).toBe(200);
    }
  });
});

describe('facets', () => {
  it('shows counts that add up and links that add a filter', async () => {
    const all = await get('/documents');
    const total = countOf(all.body);
    const typeLinks = [
      ...all.body.matchAll(/href="(\/documents\?type=[a-z-]+)" rel="nofollow"><span>([^<]+)<\/span> <span>([\d,]+)</g),
    ];
    expect(typeLinks.length).toBeGreaterThanOrEqual(5);
    const sum = typeLinks.reduce((acc, match) => acc + Number((match[3] as string).replace(/,/g, '')), 0);
    expect(sum).toBe(total);
    const [, href, , count] = typeLinks[0] as RegExpMatchArray;
    const filtered = await get(decode(href as string));
    expect(countOf(filtered.body)).toBe(Number((count as string).replace(/,/g, '')));
  });

  it('is disjunctive: selecting a country still shows the other countries', async () => {
    const response = await get('/documents?country=austria');
    const countryFacet = /id="facet-country">Country<\/h3>([\s\S]*?)<\/div>/.exec(response.body)?.[1] ?? '';
    expect(countryFacet).toContain('facet__link--selected');
    expect(countryFacet.match(/<li><a href=/g)?.length).toBeGreaterThan(3);
    // Choosing a second country widens the result (OR), never narrows it.
    const both = await get('/documents?country=austria&country=spain');
    expect(countOf(both.body)).toBeGreaterThan(countOf(response.body));
  });

  it('negates a filter with not_ and shows it as a removable chip', async () => {
    const all = countOf((await get('/documents')).body);
    const austria = countOf((await get('/documents?country=austria')).body);
    const response = await get('/documents?not_country=austria');
    expect(countOf(response.body)).toBe(all - austria);
    expect(response.body).toContain('Country: not Austria');
    expect(response.body).toMatch(/<a class="chip" href="\/documents" rel="nofollow">/);
  });

  it('keeps every state of the page in its URL, in one canonical order', async () => {
    const response = await get('/documents?year=2020&field=human-rights&q=police');
    expect(response.body).toContain('href="/documents?q=police&amp;field=human-rights" rel="nofollow"');
  });
});

describe('formats', () => {
  it('links each listing to its feeds with the same parameters', async () => {
    const response = await get('/press-releases?field=human-rights');
    expect(response.body).toContain(
      '<link rel="alternate" type="application/rss+xml" title="Press releases (RSS)" href="/press-releases.rss?field=human-rights">',
    );
    expect(response.body).toContain('type="application/atom+xml"');
    expect(response.body).toContain('type="application/feed+json"');
  });

  it('serves the same documents as JSON by changing only the suffix', async () => {
    const page = await get('/countries/austria?type=news');
    const links = [...page.body.matchAll(/<h3 class="doc-row__title"><a href="([^"]+)"/g)].map((m) => m[1]);
    const json = await get('/countries/austria.json?type=news');
    expect(json.statusCode).toBe(200);
    expect(json.headers['access-control-allow-origin']).toBe('*');
    const body = json.json() as { total: number; items: { path: string }[] };
    expect(body.items.map((item) => item.path)).toEqual(links);
    expect(body.total).toBe(countOf(page.body));
  });

  it('gives a 400 naming the parameter in every format', async () => {
    for (const suffix of ['', '.json', '.rss', '.csv']) {
      const response = await get(`/documents${suffix}?year=20x7`);
      expect(response.statusCode, suffix).toBe(400);
    }
  });

  it('numbers the canonical address of each page of a listing', async () => {
    const response = await get('/news?page=2');
    expect(response.body).toContain('<link rel="canonical" href="http://localhost:3000/news?page=2">');
  });
});
