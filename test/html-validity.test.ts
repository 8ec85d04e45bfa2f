// Every kind of page the site renders, checked by the Nu Html Checker (vnu.jar) in one run:
// zero errors allowed; warnings are printed. Skipped loudly without Java, never on CI.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LISTED_KINDS } from '../src/documents/kinds.ts';
import { checkJava, requireTool, shouldSkip } from './support/environment.ts';
import { buildTestApp, type TestApp } from './support/test-app.ts';
import { formatVnuMessages, runVnu, type VnuReport } from './support/vnu.ts';

const SUITE = 'HTML validity tests (test/html-validity.test.ts)';
const javaCheck = checkJava();

const CANARY_HTML =
  '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>Canary</title></head>\n' +
  '<body><span><div>A block inside a phrasing element.</div></span></body>\n</html>\n';

interface CheckedPage {
  url: string;
  status: number;
}

/** First link of the page's first document list that matches `pattern` (a document address). */
function firstDocumentLink(body: string, pattern: RegExp): string | undefined {
  const list = /<ol class="doc-list">([\s\S]*?)<\/ol>/.exec(body)?.[1] ?? '';
  for (const match of list.matchAll(/href="([^"]+)"/g)) {
    const href = (match[1] as string).replace(/&amp;/g, '&');
    if (pattern.test(href)) return href;
  }
  return undefined;
}

/** `/documents?type=news&page=2` → `documents_type-news_page-2.html` */
function fileNameFor(url: string, index: number): string {
  const slug =
    url === '/'
      ? 'home'
      : url
          .replace(/^\//, '')
          .replace(/[^a-z0-9-]+/gi, '_')
          .slice(0, 120);
  return `${String(index).padStart(2, '0')}-${slug}.html`;
}

describe.skipIf(shouldSkip(SUITE, javaCheck))('HTML validity (vnu)', () => {
  let testApp: TestApp;
  let directory: string;
  const pages = new Map<string, CheckedPage>();
  let report: VnuReport;
  let canary: string;

  async function get(url: string, status = 200): Promise<string> {
    const response = await testApp.app.inject({ url });
    expect(response.statusCode, `GET ${url}`).toBe(status);
    expect(response.headers['content-type'], `GET ${url}`).toMatch(/^text\/html; charset=utf-8/);
    return response.body;
  }

  beforeAll(async () => {
    requireTool(SUITE, javaCheck);
    testApp = await buildTestApp({ demo: 300 });
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'dateline-vnu-'));

    const wanted: CheckedPage[] = [
      { url: '/', status: 200 },
      { url: '/documents', status: 200 },
      ...LISTED_KINDS.map((info) => ({ url: `/${info.path}`, status: 200 })),
      // Several filters (a repeated one among them), options selected, second page, pagination links.
      { url: '/documents?type=press-release&type=news&source=secretariat&page=2', status: 200 },
      { url: '/press-releases?country=austria&year=2007', status: 200 },
      { url: '/about-us', status: 200 },
      { url: '/search?q=human+trafficking&field=human-rights', status: 200 },
      { url: '/search?q=trafficing', status: 200 },
      {
        url: '/press-releases/2007/09/osce-plays-key-role-in-fight-against-human-trafficking-top-official-says',
        status: 200,
      },
      { url: '/fields-of-work', status: 200 },
      { url: '/fields-of-work/combating-trafficking-in-human-beings', status: 200 },
      { url: '/meetings', status: 200 },
      { url: '/meetings/ministerial-council-meetings', status: 200 },
      { url: '/countries', status: 200 },
      { url: '/countries/participating-states', status: 200 },
      { url: '/countries/asian-partners', status: 200 },
      { url: '/countries/mediterranean-partners', status: 200 },
      { url: '/countries/switzerland', status: 200 },
      { url: '/countries/serbia', status: 200 },
      { url: '/structures', status: 200 },
      { url: '/structures/secretariat', status: 200 },
      { url: '/structures/chairpersonship', status: 200 },
      { url: '/structures/field-operations', status: 200 },
      { url: '/structures/closed-field-activities', status: 200 },
      { url: '/no-such-page', status: 404 },
      { url: '/press-releases/2007/09/no-such-document', status: 404 },
      { url: '/press-releases?page=9999', status: 404 },
      { url: '/documents?year=abc', status: 400 },
      { url: '/documents?field=no-such-field', status: 400 },
    ];

    // A document of each kind, taken from its listing (the demo corpus depends on today's date).
    for (const info of LISTED_KINDS) {
      const listing = await get(`/${info.path}`);
      const href = firstDocumentLink(listing, new RegExp(`^/${info.path}/\\d{4}/\\d{2}/`));
      if (!href) throw new Error(`/${info.path} lists no ${info.plural.toLowerCase()}`);
      wanted.push({ url: href, status: 200 });
    }
    // An event with a place and an end date, if the corpus has one on the first page.
    const events = await get('/events');
    for (const match of events.matchAll(/href="(\/events\/\d{4}\/\d{2}\/[^"]+)"/g)) {
      const body = await get(match[1] as string);
      if (body.includes('<dt>Place</dt>') && /<\/time> – <time/.test(body)) {
        wanted.push({ url: match[1] as string, status: 200 });
        break;
      }
    }

    const files: string[] = [];
    const seen = new Set<string>();
    for (const page of wanted) {
      if (seen.has(page.url)) continue;
      seen.add(page.url);
      const body = await get(page.url, page.status);
      const file = path.join(directory, fileNameFor(page.url, files.length));
      fs.writeFileSync(file, body);
      files.push(file);
      pages.set(file, page);
    }
    // A canary with one known error, checked in the same run: proves vnu really reports errors.
    canary = path.join(directory, 'canary.html');
    fs.writeFileSync(canary, CANARY_HTML);
    report = await runVnu([...files, canary]);
  }, 120_000);

  afterAll(async () => {
    if (directory) fs.rmSync(directory, { recursive: true, force: true });
    await testApp?.cleanup();
  });

  const describeFile = (file: string) => `${pages.get(file)?.url ?? file} (${path.basename(file)})`;

  it('checks one page of every kind', () => {
    const urls = [...pages.values()].map((page) => page.url);
    expect(urls.length).toBeGreaterThanOrEqual(35);
    for (const kind of ['news', 'statements', 'events', 'publications', 'press-releases']) {
      expect(
        urls.some((url) => new RegExp(`^/${kind}/\\d{4}/`).test(url)),
        `a ${kind} document`,
      ).toBe(true);
    }
    console.info(`vnu checked ${urls.length} pages:\n  ${urls.join('\n  ')}`);
  });

  it('reports the error planted in the canary file (vnu really checks)', () => {
    const planted = report.errors.filter((m) => m.file === canary);
    expect(planted.map((m) => m.message).join('\n')).toMatch(/Element “div” not allowed as child of element “span”/);
  });

  it('finds no HTML errors', () => {
    const errors = report.errors.filter((m) => m.file !== canary);
    const warnings = report.warnings.filter((m) => m.file !== canary);
    if (warnings.length > 0) {
      console.warn(`vnu warnings (${warnings.length}, allowed):\n${formatVnuMessages(warnings, describeFile)}`);
    }
    expect(errors.length, `vnu errors:\n${formatVnuMessages(errors, describeFile)}`).toBe(0);
  });
});
