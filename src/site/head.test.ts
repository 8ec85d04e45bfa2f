// Sharing tags and schema.org JSON-LD in page heads, including a title that tries to end the script.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/support/test-app.ts';
import { documentPath } from '../listing/urls.ts';
import type { DocumentKind } from '../store/schema.ts';
import { localIsoMoment } from './format.ts';
import { ogLocale } from './head.ts';
import { serializeJsonLd } from './json-ld.ts';

const ORIGIN = 'http://localhost:3000';
const HOSTILE_TITLE = '</script><script>alert(1)</script> & <!-- "quoted" \u2028 line';
const HOSTILE_SLUG = 'hostile-title-press-release';
const SEED_PATH = '/press-releases/2007/09/osce-plays-key-role-in-fight-against-human-trafficking-top-official-says';

let testApp: TestApp;

async function getPage(url: string): Promise<string> {
  const response = await testApp.app.inject({ url });
  expect(response.statusCode, url).toBe(200);
  return response.body;
}

/** The content of `<meta property|name="key">`, entity-decoded as a browser would. */
function meta(body: string, key: string): string | undefined {
  const match = new RegExp(`<meta (?:property|name)="${key}" content="([^"]*)">`).exec(body);
  return match?.[1]
    ?.replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

type Node = Record<string, unknown>;

/** Every JSON-LD block of a page, parsed. */
function jsonLd(body: string): Node[] {
  return [...body.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map(
    (match) => JSON.parse(match[1] as string) as Node,
  );
}

/** The first published document of a kind with a place and a single source. */
async function documentOfKind(kind: DocumentKind, withEnd = false) {
  let query = testApp.store.db
    .selectFrom('documents')
    .selectAll()
    .where('kind', '=', kind)
    .where('status', '=', 'published')
    .where('place', 'is not', null)
    .where((eb) =>
      eb(
        eb
          .selectFrom('document_sources as s')
          .select((inner) => inner.fn.countAll<number>().as('n'))
          .whereRef('s.document_id', '=', 'documents.id'),
        '=',
        1,
      ),
    );
  if (withEnd) query = query.where('ends_at', 'is not', null);
  return query.orderBy('id').executeTakeFirstOrThrow();
}

beforeAll(async () => {
  testApp = await buildTestApp({ demo: 200 });
  await testApp.store.transaction((tx) =>
    testApp.writer.create(tx, {
      kind: 'press-release',
      slug: HOSTILE_SLUG,
      title: HOSTILE_TITLE,
      summary: 'A summary with </script> in it.',
      bodyHtml: '<p>Body.</p>',
      datedAt: new Date(Date.now() - 86_400_000).toISOString(),
      place: '</script>Vienna',
      status: 'published',
    }),
  );
});
afterAll(() => testApp.cleanup());

describe('sharing tags', () => {
  it('a press release is an article with its title, summary, canonical address and dates', async () => {
    const body = await getPage(SEED_PATH);
    const url = `${ORIGIN}${SEED_PATH}`;
    expect(body).toContain(`<link rel="canonical" href="${url}">`);
    expect(meta(body, 'og:type')).toBe('article');
    expect(meta(body, 'og:title')).toBe('OSCE plays key role in fight against human trafficking, top official says');
    expect(meta(body, 'og:description')?.length).toBeGreaterThan(20);
    expect(meta(body, 'og:url')).toBe(url);
    expect(meta(body, 'og:site_name')).toBe('Organization for Security and Co-operation in Europe');
    expect(meta(body, 'og:locale')).toBe('en_GB');
    expect(meta(body, 'article:published_time')).toBe('2007-09-11T00:00:00.000Z');
    expect(meta(body, 'article:section')).toBe('Human rights');
    expect(meta(body, 'twitter:card')).toBe('summary');
    expect(meta(body, 'twitter:title')).toBe(meta(body, 'og:title'));
    expect(meta(body, 'twitter:description')).toBe(meta(body, 'og:description'));
  });

  it('the home page is a website with the full name', async () => {
    const body = await getPage('/');
    expect(body).toContain(`<link rel="canonical" href="${ORIGIN}/">`);
    expect(meta(body, 'og:type')).toBe('website');
    expect(meta(body, 'og:title')).toBe('Organization for Security and Co-operation in Europe');
    expect(meta(body, 'og:url')).toBe(`${ORIGIN}/`);
    expect(meta(body, 'og:description')).toContain('press releases');
    expect(meta(body, 'twitter:card')).toBe('summary');
    expect(meta(body, 'article:published_time')).toBeUndefined();
  });

  it.each(['/fields-of-work', '/countries/participating-states', '/structures', '/about-us'])(
    '%s has an absolute canonical address and the same og:url',
    async (path) => {
      const body = await getPage(path);
      expect(body).toContain(`<link rel="canonical" href="${ORIGIN}${path}">`);
      expect(meta(body, 'og:url')).toBe(`${ORIGIN}${path}`);
      expect(meta(body, 'og:type')).toBe('website');
    },
  );

  it('an error page has neither canonical address nor sharing tags', async () => {
    const response = await testApp.app.inject({ url: '/no-such-page' });
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain('rel="canonical"');
    expect(response.body).not.toContain('og:');
  });

  it('maps languages to Open Graph locales', () => {
    expect(ogLocale('en')).toBe('en_GB');
    expect(ogLocale('fr')).toBe('fr_FR');
    expect(ogLocale('pt-br')).toBe('pt_BR');
    expect(ogLocale('sq')).toBe('sq');
  });
});

describe('JSON-LD', () => {
  it('the home page describes the organisation', async () => {
    const nodes = jsonLd(await getPage('/'));
    const organization = nodes.find((node) => node['@type'] === 'GovernmentOrganization');
    expect(organization).toMatchObject({
      '@context': 'https://schema.org',
      name: 'Organization for Security and Co-operation in Europe',
      alternateName: 'OSCE',
      url: `${ORIGIN}/`,
      address: { '@type': 'PostalAddress', addressLocality: 'Vienna', addressCountry: 'AT' },
    });
    expect(nodes.find((node) => node['@type'] === 'WebSite')).toMatchObject({ name: 'OSCE', url: `${ORIGIN}/` });
  });

  it('a press release is a NewsArticle by its source structure', async () => {
    const [article, ...rest] = jsonLd(await getPage(SEED_PATH));
    expect(rest).toEqual([]);
    expect(article).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'NewsArticle',
      headline: 'OSCE plays key role in fight against human trafficking, top official says',
      datePublished: '2007-09-11T00:00:00.000Z',
      url: `${ORIGIN}${SEED_PATH}`,
      mainEntityOfPage: { '@type': 'WebPage', '@id': `${ORIGIN}${SEED_PATH}` },
      inLanguage: 'en',
      author: {
        '@type': 'GovernmentOrganization',
        name: 'OSCE Secretariat',
        url: `${ORIGIN}/structures/secretariat`,
      },
      publisher: { '@type': 'GovernmentOrganization', alternateName: 'OSCE', url: `${ORIGIN}/` },
      articleSection: 'Human rights',
      contentLocation: { '@type': 'Place', name: 'Vienna' },
    });
    expect(article?.keywords).toContain('Combating trafficking in human beings');
    expect(Date.parse(article?.dateModified as string)).toBeGreaterThanOrEqual(Date.parse('2007-09-11'));
  });

  it.each(['news', 'statement'] as const)('a %s is a NewsArticle', async (kind) => {
    const doc = await documentOfKind(kind);
    const [node] = jsonLd(await getPage(documentPath(doc)));
    // The document's own date, not when it went up on the site.
    expect(node).toMatchObject({ '@type': 'NewsArticle', headline: doc.title, datePublished: doc.dated_at });
  });

  it('an event is an Event with its dates in its own time zone, place and organiser', async () => {
    const doc = await documentOfKind('event', true);
    const timeZone = doc.time_zone;
    const endsAt = doc.ends_at;
    if (!timeZone || !endsAt) throw new Error('demo events have a time zone and an end');
    const [node] = jsonLd(await getPage(documentPath(doc)));
    // Local time with the zone's offset: "2026-12-15T09:00:00+01:00" for 08:00 UTC in Vienna.
    const withOffset = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
    expect(node?.startDate).toMatch(withOffset);
    expect(node?.endDate).toMatch(withOffset);
    expect(Date.parse(node?.startDate as string)).toBe(Date.parse(doc.dated_at));
    expect(Date.parse(node?.endDate as string)).toBe(Date.parse(endsAt));
    expect(node).toMatchObject({
      '@type': 'Event',
      name: doc.title,
      startDate: localIsoMoment(doc.dated_at, timeZone),
      endDate: localIsoMoment(endsAt, timeZone),
      eventStatus: 'https://schema.org/EventScheduled',
      eventAttendanceMode: 'https://schema.org/OfflineEventAttendanceMode',
      location: { '@type': 'Place', name: doc.place },
      organizer: { '@type': 'GovernmentOrganization' },
    });
  });

  it('a page such as About us has no JSON-LD', async () => {
    expect(jsonLd(await getPage('/about-us'))).toEqual([]);
  });

  it('a hostile title cannot end the script element, and reads back intact', async () => {
    const doc = await testApp.store.db
      .selectFrom('documents')
      .select(['kind', 'slug', 'language', 'dated_at', 'permalink'])
      .where('slug', '=', HOSTILE_SLUG)
      .executeTakeFirstOrThrow();
    const body = await getPage(documentPath(doc));
    expect(body).not.toContain('<script>alert(1)');
    const head = body.slice(0, body.indexOf('</head>'));
    // The page's own script and one JSON-LD block: nothing the title could have opened.
    expect(head.match(/<script\b/g)).toHaveLength(2);
    expect(head.match(/<\/script>/g)).toHaveLength(2);
    const [node] = jsonLd(body);
    expect(node?.headline).toBe(HOSTILE_TITLE);
    expect(node?.description).toBe('A summary with </script> in it.');
    expect(node?.contentLocation).toEqual({ '@type': 'Place', name: '</script>Vienna' });
    expect(meta(body, 'og:title')).toBe(HOSTILE_TITLE);
  });

  it('serialises the characters that could end a script as \\u escapes', () => {
    const text = serializeJsonLd({ name: '</script><!-- & \u2028\u2029 >' });
    expect(text).toBe('{"name":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028\\u2029 \\u003e"}');
    expect(JSON.parse(text)).toEqual({ name: '</script><!-- & \u2028\u2029 >' });
    expect(serializeJsonLd({ a: undefined, b: 1 })).toBe('{"b":1}');
  });
});
