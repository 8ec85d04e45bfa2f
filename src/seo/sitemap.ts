// Sitemaps (sitemaps.org 0.9): the index, the sitemap of site pages, and the documents' sitemaps.
import { LISTED_KINDS } from '../documents/kinds.ts';
import { documentLastmod, whereVisible } from '../documents/visibility.ts';
import { COUNTRY_GROUPS, countryPath, documentPath, fieldPath, meetingPath, structurePath } from '../listing/urls.ts';
import type { DocumentKind } from '../store/schema.ts';
import type { Db } from '../store/store.ts';
import type { Catalog } from '../taxonomy/catalog.ts';
import { escapeXml, toW3cDatetime } from './xml.ts';

export const SITEMAP_NAMESPACE = 'http://www.sitemaps.org/schemas/sitemap/0.9';
/** The protocol's ceiling of addresses per sitemap file. */
export const MAX_URLS_PER_SITEMAP = 50_000;
/** Rows read per statement while one documents' sitemap is written. */
export const SITEMAP_BATCH_SIZE = 5_000;
export const SITE_PAGES_SITEMAP_PATH = '/sitemaps/pages.xml';

export interface SitemapEntry {
  /** Site-relative path, e.g. `/news/2024/05/some-slug`. */
  path: string;
  /** ISO timestamp of the last change, when known. */
  lastmod?: string;
}

/** The columns a sitemap needs of a document: its address and its dates. */
export interface SitemapDocument {
  id: number;
  kind: DocumentKind;
  slug: string;
  language: string;
  dated_at: string;
  permalink: string | null;
  published_at: string | null;
  updated_at: string;
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/**
 * Address of one documents' sitemap.
 * @example documentSitemapPath(3) // '/sitemaps/documents-3.xml'
 */
export const documentSitemapPath = (part: number): string => `/sitemaps/documents-${part}.xml`;

/**
 * The part number a documents' sitemap file name stands for, or undefined.
 * @example parseDocumentSitemapFile('documents-2.xml') // 2
 */
export function parseDocumentSitemapFile(file: string): number | undefined {
  const match = /^documents-([1-9]\d{0,8})\.xml$/.exec(file);
  return match ? Number(match[1]) : undefined;
}

/** Visible documents that belong in the documents' sitemaps (pages go in the site pages' one). */
function sitemapDocuments(db: Db, now: string) {
  return whereVisible(db.selectFrom('documents as d'), now).where('d.kind', '!=', 'page');
}

/**
 * How many visible documents the documents' sitemaps hold.
 * @example const count = await countSitemapDocuments(db, new Date().toISOString());
 */
export async function countSitemapDocuments(db: Db, now: string): Promise<number> {
  const row = await sitemapDocuments(db, now)
    .select((eb) => eb.fn.countAll<number | string>().as('total'))
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

/**
 * The documents' sitemap files for a number of documents: `perFile` addresses each, none when there are none.
 * @example documentSitemapPaths(250, 100) // ['/sitemaps/documents-1.xml', '/sitemaps/documents-2.xml', '/sitemaps/documents-3.xml']
 */
export function documentSitemapPaths(documentCount: number, perFile: number = MAX_URLS_PER_SITEMAP): string[] {
  if (!Number.isInteger(perFile) || perFile < 1 || perFile > MAX_URLS_PER_SITEMAP) {
    throw new RangeError(`A sitemap holds 1 to ${MAX_URLS_PER_SITEMAP} addresses, not ${perFile}`);
  }
  const files = Math.ceil(documentCount / perFile);
  return Array.from({ length: files }, (_, index) => documentSitemapPath(index + 1));
}

/**
 * Every sitemap file the index lists: the site pages' one, then the documents' ones.
 * @example const paths = await listSitemapPaths(db, new Date().toISOString(), 100);
 */
export async function listSitemapPaths(db: Db, now: string, perFile: number = MAX_URLS_PER_SITEMAP): Promise<string[]> {
  return [SITE_PAGES_SITEMAP_PATH, ...documentSitemapPaths(await countSitemapDocuments(db, now), perFile)];
}

/**
 * The visible documents of one documents' sitemap (part 1 is the first `perFile` by id), read in
 * batches: offset to the part's first row once, then keyset on the primary key.
 * @example for await (const batch of readSitemapDocuments(db, now, { part: 2, perFile: 50_000 })) count += batch.length;
 */
export async function* readSitemapDocuments(
  db: Db,
  now: string,
  options: { part: number; perFile?: number; batchSize?: number },
): AsyncGenerator<SitemapDocument[]> {
  const perFile = options.perFile ?? MAX_URLS_PER_SITEMAP;
  const batchSize = options.batchSize ?? SITEMAP_BATCH_SIZE;
  let remaining = perFile;
  let afterId: number | undefined;
  while (remaining > 0) {
    const limit = Math.min(batchSize, remaining);
    let query = sitemapDocuments(db, now)
      .select(['d.id', 'd.kind', 'd.slug', 'd.language', 'd.dated_at', 'd.permalink', 'd.published_at', 'd.updated_at'])
      .orderBy('d.id')
      .limit(limit);
    query = afterId === undefined ? query.offset((options.part - 1) * perFile) : query.where('d.id', '>', afterId);
    const rows = await query.execute();
    if (rows.length === 0) return;
    yield rows;
    remaining -= rows.length;
    afterId = (rows[rows.length - 1] as SitemapDocument).id;
    if (rows.length < limit) return;
  }
}

function urlElement(baseUrl: string, entry: SitemapEntry): string {
  const lastmod = entry.lastmod ? `<lastmod>${toW3cDatetime(entry.lastmod)}</lastmod>` : '';
  return `<url><loc>${escapeXml(baseUrl + entry.path)}</loc>${lastmod}</url>\n`;
}

/**
 * A `<urlset>` of absolute addresses.
 * @example renderUrlset('https://www.osce.org', [{ path: '/' }])
 */
export function renderUrlset(baseUrl: string, entries: Iterable<SitemapEntry>): string {
  let out = `${XML_DECLARATION}<urlset xmlns="${SITEMAP_NAMESPACE}">\n`;
  for (const entry of entries) out += urlElement(baseUrl, entry);
  return `${out}</urlset>\n`;
}

/**
 * The sitemap index: one `<sitemap>` per file.
 * @example renderSitemapIndex('https://www.osce.org', ['/sitemaps/pages.xml'])
 */
export function renderSitemapIndex(baseUrl: string, paths: readonly string[]): string {
  let out = `${XML_DECLARATION}<sitemapindex xmlns="${SITEMAP_NAMESPACE}">\n`;
  for (const path of paths) out += `<sitemap><loc>${escapeXml(baseUrl + path)}</loc></sitemap>\n`;
  return `${out}</sitemapindex>\n`;
}

/**
 * One documents' sitemap, or undefined when the part is past the last document.
 * @example const xml = await renderDocumentSitemap(db, now, 'https://www.osce.org', { part: 1 });
 */
export async function renderDocumentSitemap(
  db: Db,
  now: string,
  baseUrl: string,
  options: { part: number; perFile?: number; batchSize?: number },
): Promise<string | undefined> {
  let body = '';
  for await (const batch of readSitemapDocuments(db, now, options)) {
    for (const doc of batch) body += urlElement(baseUrl, { path: documentPath(doc), lastmod: documentLastmod(doc) });
  }
  if (body === '') return undefined;
  return `${XML_DECLARATION}<urlset xmlns="${SITEMAP_NAMESPACE}">\n${body}</urlset>\n`;
}

/**
 * The site's own pages: home, listings, every taxonomy page; documents come from the database.
 * @example taxonomyPaths(catalog) // ['/', '/press-releases', ..., '/structures/secretariat', ...]
 */
export function taxonomyPaths(catalog: Catalog): string[] {
  return [
    '/',
    ...LISTED_KINDS.map((info) => `/${info.path}`),
    '/documents',
    '/fields-of-work',
    ...catalog.fields.map((field) => fieldPath(field.slug)),
    '/meetings',
    ...catalog.meetings.map((meeting) => meetingPath(meeting.slug)),
    '/countries',
    ...Object.keys(COUNTRY_GROUPS).map(countryPath),
    ...catalog.countries.map((country) => countryPath(country.slug)),
    '/structures',
    ...catalog.structures.map((node) => structurePath(node.slug)),
  ];
}

/**
 * The site pages' sitemap: the taxonomy paths, then the visible page documents (About us, ...).
 * @example const xml = await renderSitePagesSitemap(db, catalog, now, 'https://www.osce.org');
 */
export async function renderSitePagesSitemap(db: Db, catalog: Catalog, now: string, baseUrl: string): Promise<string> {
  const pages = await whereVisible(db.selectFrom('documents as d'), now)
    .select(['d.id', 'd.kind', 'd.slug', 'd.language', 'd.dated_at', 'd.permalink', 'd.published_at', 'd.updated_at'])
    .where('d.kind', '=', 'page')
    .orderBy('d.id')
    .limit(MAX_URLS_PER_SITEMAP)
    .execute();
  const entries: SitemapEntry[] = taxonomyPaths(catalog).map((path) => ({ path }));
  for (const page of pages) entries.push({ path: documentPath(page), lastmod: documentLastmod(page) });
  return renderUrlset(baseUrl, entries.slice(0, MAX_URLS_PER_SITEMAP));
}
