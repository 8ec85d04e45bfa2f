// Routes for search engines: the sitemap index, the sitemaps, robots.txt.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../context.ts';
import { NotFoundError } from '../errors.ts';
import { renderRobotsTxt } from './robots.ts';
import {
  listSitemapPaths,
  MAX_URLS_PER_SITEMAP,
  parseDocumentSitemapFile,
  renderDocumentSitemap,
  renderSitemapIndex,
  renderSitePagesSitemap,
  SITE_PAGES_SITEMAP_PATH,
} from './sitemap.ts';

export interface SeoRoutesOptions {
  context: AppContext;
  /** Addresses per documents' sitemap (the protocol allows 50,000; tests use fewer). */
  documentsPerSitemap?: number;
}

// Embargoed documents appear in the sitemaps when their time comes: keep caches short.
const CACHE_CONTROL = 'public, max-age=300, stale-while-revalidate=600';

function sendXml(reply: FastifyReply, body: string): FastifyReply {
  return reply.type('application/xml; charset=utf-8').header('cache-control', CACHE_CONTROL).send(body);
}

/**
 * Registers `/robots.txt`, `/sitemap.xml` (an index), `/sitemaps/pages.xml` and `/sitemaps/documents-N.xml`.
 * @example await app.register(seoRoutes, { context });
 */
export async function seoRoutes(app: FastifyInstance, options: SeoRoutesOptions): Promise<void> {
  const { context } = options;
  const perFile = options.documentsPerSitemap ?? MAX_URLS_PER_SITEMAP;
  const nowIso = () => context.clock().toISOString();

  app.get('/robots.txt', async function robotsTxt(_request, reply) {
    return reply
      .type('text/plain; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(renderRobotsTxt(context.baseUrl));
  });

  app.get('/sitemap.xml', async function sitemapIndex(_request, reply) {
    const paths = await listSitemapPaths(context.db, nowIso(), perFile);
    return sendXml(reply, renderSitemapIndex(context.baseUrl, paths));
  });

  app.get<{ Params: { file: string } }>('/sitemaps/:file', async function sitemapFile(request, reply) {
    const { file } = request.params;
    if (`/sitemaps/${file}` === SITE_PAGES_SITEMAP_PATH) {
      return sendXml(reply, await renderSitePagesSitemap(context.db, context.catalog, nowIso(), context.baseUrl));
    }
    const part = parseDocumentSitemapFile(file);
    const xml =
      part === undefined
        ? undefined
        : await renderDocumentSitemap(context.db, nowIso(), context.baseUrl, { part, perFile });
    if (xml === undefined) throw new NotFoundError('There is no sitemap at this address.');
    return sendXml(reply, xml);
  });
}
