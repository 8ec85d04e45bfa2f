// buildApp(config): wires the store, the taxonomies and the routes. server.ts only listens.

import swagger from '@fastify/swagger';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, LogController } from 'fastify';
import { type ApiRateLimit, apiRoutes, sendProblem } from './api/routes.ts';
import type { Config } from './config.ts';
import { AppError, InvalidParameterError } from './errors.ts';
import { DocumentBitmapIndex } from './listing/bitmap-index.ts';
import { securityHeaders } from './security-headers.ts';
import { seoRoutes } from './seo/routes.ts';
import { loadAssets } from './site/assets.ts';
import { createSiteContext, type SiteContext } from './site/context.ts';
import { siteRoutes } from './site/routes.ts';
import { renderErrorPage } from './site/views/error-page.ts';
import { openStore, type Store } from './store/store.ts';
import { loadCatalog } from './taxonomy/catalog.ts';

export interface BuildAppOptions {
  /** An open, migrated store; when absent one is opened from the configuration and closed with the app. */
  store?: Store;
  /** The current moment (tests travel in time with it). */
  now?: () => Date;
  /** The API's rate limit (tests lower it). */
  apiRateLimit?: ApiRateLimit;
  /** How long listing totals and facet counts may be reused (default 30 s; 0: never). */
  countCacheTtlMs?: number;
  /** Count and facet through an in-memory bitmap index (default true), loaded in the background. */
  bitmapIndex?: boolean;
  /** The index holds the postings of words in at least this many documents (default 50,000). */
  frequentTermMinDocuments?: number;
}

export interface DatelineApp {
  app: FastifyInstance;
  store: Store;
  context: SiteContext;
}

/**
 * @example const { app } = await buildApp(loadConfig()); await app.inject({ url: '/' });
 */
export async function buildApp(config: Config, options: BuildAppOptions = {}): Promise<DatelineApp> {
  const store = options.store ?? (await openStore(config.databaseUrl));
  const catalog = await loadCatalog(store.db);
  const context = createSiteContext({
    db: store.db,
    catalog,
    assets: loadAssets(),
    baseUrl: config.baseUrl,
    now: options.now,
    countCacheTtlMs: options.countCacheTtlMs,
  });

  const app = Fastify({
    logger: { level: config.logLevel },
    // Request logs cost about a tenth of a millisecond each; they are on from LOG_LEVEL=debug.
    logController: new LogController({ disableRequestLogging: !['debug', 'trace'].includes(config.logLevel) }),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 300 },
    // Malformed addresses (bad percent-encoding) get the site's own 400 page.
    frameworkErrors: function badRequest(error, request, reply) {
      if (request.url.startsWith('/api/')) {
        return sendProblem(
          request,
          reply as FastifyReply,
          400,
          'DL_ERR_INVALID_PARAMETER',
          'Bad request',
          error.message,
        );
      }
      (reply as FastifyReply)
        .code(400)
        .type('text/html; charset=utf-8')
        .send(renderErrorPage(context, { statusCode: 400, title: 'Bad request', message: error.message }));
    },
  });

  const headers = securityHeaders();
  app.addHook('onRequest', function setSecurityHeaders(_request, reply, done) {
    reply.headers(headers);
    done();
  });

  app.setErrorHandler(function renderError(error: FastifyError | AppError, request, reply) {
    let statusCode = 500;
    let title = 'Something went wrong';
    let message = 'The server could not answer this request. Please try again in a moment.';
    let parameter: string | undefined;
    if (error instanceof AppError) {
      ({ statusCode, title } = error);
      message = error.message;
      if (error instanceof InvalidParameterError) parameter = error.parameter;
    } else if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      statusCode = error.statusCode;
      title = statusCode === 404 ? 'Page not found' : 'Bad request';
      message = error.message;
    } else {
      request.log.error({ err: error }, 'request failed');
    }
    return reply
      .code(statusCode)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(renderErrorPage(context, { statusCode, title, message, parameter }));
  });

  app.setNotFoundHandler(function notFound(_request, reply) {
    return reply
      .code(404)
      .type('text/html; charset=utf-8')
      .send(
        renderErrorPage(context, {
          statusCode: 404,
          title: 'Page not found',
          message: 'There is nothing at this address.',
        }),
      );
  });

  // Liveness: the process answers and its database too.
  app.get('/healthz', async function health() {
    await store.db.selectFrom('fields_of_work').select('id').limit(1).execute();
    return { status: 'ok' };
  });

  // Readiness: listings answer at full speed. Until the index has loaded they fall back to SQL,
  // which takes seconds at a million documents: a load balancer should send traffic elsewhere.
  const useIndex = options.bitmapIndex ?? true;
  const readiness = { index: useIndex ? 'loading' : 'off', frequentTerms: 'loading' as string | number };
  app.get('/readyz', async function ready(_request, reply) {
    const ready = readiness.index === 'ready' || readiness.index === 'off';
    return reply
      .code(ready ? 200 : 503)
      .header('cache-control', 'no-store')
      .headers(ready ? {} : { 'retry-after': '5' })
      .send({ status: ready ? 'ready' : 'loading', ...readiness });
  });

  // Collects the schemas of the API's routes (tagged ones only) into /api/openapi.json.
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Dateline API',
        version: '1.0.0',
        description:
          'Press releases, news, statements, events and publications of the organisation, with full-text search, facets and taxonomies.',
      },
      servers: [{ url: config.baseUrl }],
    },
    hideUntagged: true,
  });
  await app.register(apiRoutes, { prefix: '/api', context, rateLimit: options.apiRateLimit });
  await app.register(seoRoutes, { context });
  await app.register(siteRoutes, { context });

  if (useIndex) {
    app.addHook('onReady', function loadIndexInBackground(done) {
      // Listings use SQL until the index is ready: start-up does not wait for it.
      void loadIndex(app, store, context, readiness, options.frequentTermMinDocuments);
      done();
    });
  }
  if (!options.store) app.addHook('onClose', async () => store.close());
  return { app, store, context };
}

/** Documents' facts first (listings switch to the index then), then the frequent words' postings. */
async function loadIndex(
  app: FastifyInstance,
  store: Store,
  context: SiteContext,
  readiness: { index: string; frequentTerms: string | number },
  frequentTermMinDocuments: number | undefined,
): Promise<void> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const index = new DocumentBitmapIndex(store.db, store.changeMarker);
  try {
    await index.load();
    context.useIndex(index);
    readiness.index = 'ready';
    app.log.info({ ms: elapsed() }, 'bitmap index loaded');
  } catch (error) {
    readiness.index = 'failed';
    app.log.error({ err: error }, 'bitmap index failed to load; listings stay on SQL');
    return;
  }
  try {
    const terms = await index.loadTermPostings(frequentTermMinDocuments);
    readiness.frequentTerms = terms;
    app.log.info({ ms: elapsed(), terms }, 'postings of frequent words loaded');
  } catch (error) {
    readiness.frequentTerms = 'failed';
    app.log.error({ err: error }, 'postings of frequent words failed to load; searches read the full-text index');
  }
}
