// buildApp(config): the composition root. It opens the store, picks the engine's search, makes
// the application context (catalogue, clock, listing service) and hands it to every plugin;
// server.ts only listens.

import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, LogController } from 'fastify';
import { sql } from 'kysely';
import { apiRoutes, sendProblem } from './api/routes.ts';
import { type Clock, systemClock } from './clock.ts';
import { writerFor } from './compose.ts';
import type { Config } from './config.ts';
import type { AppContext } from './context.ts';
import type { DocumentWriter } from './documents/writer.ts';
import { DatabaseUnavailableError, httpErrorOf } from './errors.ts';
import { renderFeed } from './feeds/render.ts';
import { type IndexLoading, type IndexReadiness, startIndexLoading } from './listing/index-loading.ts';
import { createListingService } from './listing/service.ts';
import { createLogger, type Logger } from './logger.ts';
import { searchFor } from './search/providers.ts';
import { securityHeaders } from './security-headers.ts';
import { seoRoutes } from './seo/routes.ts';
import { loadAssets } from './site/assets.ts';
import { createSiteContext } from './site/context.ts';
import { siteRoutes } from './site/routes.ts';
import { renderErrorPage } from './site/views/error-page.ts';
import { type Db, openStore, type Store } from './store/store.ts';
import { followCatalog } from './taxonomy/live-catalog.ts';
import { createThrottle, type RateLimit, RateLimitedError, requestCost } from './throttle.ts';

export interface BuildAppOptions {
  /** An open, migrated store; when absent one is opened from the configuration and closed with the app. */
  store?: Store;
  /** The process's logger (default: one made from the configuration). */
  logger?: Logger;
  /** The current moment, for reads and writes alike (tests travel in time with it). */
  clock?: Clock;
  /** Each client address's budget for the site and the API (default: RATE_LIMIT per minute; null: none). */
  rateLimit?: RateLimit | null;
  /** How long listing totals and facet counts may be reused (default 30 s; 0: never). */
  countCacheTtlMs?: number;
  /** Count and facet through an in-memory bitmap index (default true), loaded in the background. */
  bitmapIndex?: boolean;
  /** The index holds the postings of words in at least this many documents (default 50,000). */
  frequentTermMinDocuments?: number;
  /** Where the index is kept between runs (default: the configuration's INDEX_SNAPSHOT; null: nowhere). */
  indexSnapshot?: string | null;
  /** How often followers of the change log look for other processes' writes (default 250 ms). */
  changePollMs?: number;
  /** Limits on how slowly a client may send (tests shorten them). */
  timeouts?: Partial<ConnectionTimeouts>;
}

/**
 * How long a client may take, so that no connection holds the server: slow headers (slowloris),
 * a slow body, an idle socket. Node checks the first two every `checkEveryMs`.
 */
export interface ConnectionTimeouts {
  headersMs: number;
  requestMs: number;
  idleMs: number;
  keepAliveMs: number;
  checkEveryMs: number;
}

export const CONNECTION_TIMEOUTS: ConnectionTimeouts = {
  headersMs: 10_000,
  requestMs: 30_000,
  idleMs: 60_000,
  keepAliveMs: 5_000,
  checkEveryMs: 1_000,
};

/** The public site reads; the largest body it will accept (forms, later the newsroom's JSON). */
const BODY_LIMIT_BYTES = 256 * 1024;

export interface DatelineApp {
  app: FastifyInstance;
  store: Store;
  context: AppContext;
  /** Writes documents with the app's clock and search index (the newsroom's and the tests'). */
  writer: DocumentWriter;
  /**
   * Resolves once the bitmap index (if any) has loaded its documents' facts. Loading starts when
   * the app is ready (`app.ready()`, `listen` or a first `inject`), not before.
   */
  indexReady: Promise<void>;
}

/**
 * @example const { app } = await buildApp(loadConfig()); await app.inject({ url: '/' });
 */
export async function buildApp(config: Config, options: BuildAppOptions = {}): Promise<DatelineApp> {
  const store = options.store ?? (await openStore(config.databaseUrl, { searchTimeoutMs: config.searchTimeoutMs }));
  const clock = options.clock ?? systemClock;
  const { search, terms } = searchFor(store.capabilities.engine);
  const headers = securityHeaders();
  const timeouts = { ...CONNECTION_TIMEOUTS, ...options.timeouts };
  const app = Fastify({
    http: { headersTimeout: timeouts.headersMs, connectionsCheckingInterval: timeouts.checkEveryMs },
    requestTimeout: timeouts.requestMs,
    connectionTimeout: timeouts.idleMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: config.trustProxy,
    // As Fastify's own logger type, so that plugins see the instance they expect.
    loggerInstance: (options.logger ?? createLogger(config)) as FastifyBaseLogger,
    // Request logs cost about a tenth of a millisecond each; they are on from LOG_LEVEL=debug.
    logController: new LogController({ disableRequestLogging: !['debug', 'trace'].includes(config.logLevel) }),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 300 },
    // Malformed addresses (bad percent-encoding) get the site's own 400 page.
    frameworkErrors: function badRequest(error, request, reply) {
      // Raised before routing, so before the onRequest hook that sets the security headers.
      reply.headers(headers);
      const failure = httpErrorOf(Object.assign(error, { statusCode: 400 }));
      if (request.url.startsWith('/api/')) return sendProblem(request, reply as FastifyReply, failure);
      (reply as FastifyReply)
        .code(400)
        .type('text/html; charset=utf-8')
        .send(renderErrorPage(site, { statusCode: 400, title: failure.title, message: failure.message }));
    },
  });
  const database = watchDatabase(store.db, app.log);
  // A database that is away fails every poll: the outage is logged once, not four times a second.
  const onError = (error: unknown) =>
    error instanceof DatabaseUnavailableError
      ? database.lost(error)
      : app.log.error({ err: error }, 'following the change log failed');
  const pollMs = options.changePollMs;
  const catalog = await followCatalog(store, { pollMs, onError });
  const listings = await createListingService({
    store,
    search,
    terms,
    clock,
    ancestorsOf: (id) => catalog.current().ancestorIds(id),
    countCacheTtlMs: options.countCacheTtlMs,
    pollMs,
    onError,
  });
  const context: AppContext = {
    db: store.db,
    get catalog() {
      return catalog.current();
    },
    baseUrl: config.baseUrl,
    clock,
    search,
    listings,
  };
  const site = createSiteContext(context, loadAssets());

  app.addHook('onRequest', function setSecurityHeaders(_request, reply, done) {
    reply.headers(headers);
    done();
  });

  // One budget per address for pages, feeds and the API; a refusal is rendered by the error
  // handler of the route's own part of the site (an HTML page, or a problem for the API).
  const limit =
    options.rateLimit !== undefined
      ? options.rateLimit
      : config.rateLimitPerMinute > 0
        ? { max: config.rateLimitPerMinute, timeWindowMs: 60_000 }
        : null;
  const throttle = limit && createThrottle(limit);
  app.addHook('onRequest', async function throttled(request, reply) {
    if (!throttle) return;
    const cost = requestCost(request.url.split('?', 1)[0] as string, request.query as Record<string, unknown>);
    if (cost === 0) return;
    try {
      const charge = await throttle.charge(request.ip, cost);
      reply.headers({
        'x-ratelimit-limit': charge.limit,
        'x-ratelimit-remaining': charge.remaining,
        'x-ratelimit-reset': charge.resetSeconds,
      });
    } catch (error) {
      if (error instanceof RateLimitedError) reply.header('retry-after', String(error.retryAfterSeconds));
      throw error;
    }
  });

  // Whichever part of the site meets it (pages, feeds, the API), a database that is away is
  // noticed at once, logged once, and watched until it is back.
  app.addHook('onError', async function noticeOutage(_request, _reply, error) {
    if (error instanceof DatabaseUnavailableError) database.lost(error);
  });

  app.setErrorHandler(function renderError(error, request, reply) {
    const failure = httpErrorOf(error);
    if (failure.unexpected) request.log.error({ err: error }, 'request failed');
    if (failure.retryAfterSeconds) reply.header('retry-after', String(failure.retryAfterSeconds));
    return reply
      .code(failure.status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(
        renderErrorPage(site, {
          statusCode: failure.status,
          title: failure.title,
          message: failure.message,
          parameter: failure.parameter,
        }),
      );
  });

  app.setNotFoundHandler(function notFound(_request, reply) {
    return reply
      .code(404)
      .type('text/html; charset=utf-8')
      .send(
        renderErrorPage(site, {
          statusCode: 404,
          title: 'Page not found',
          message: 'There is nothing at this address.',
        }),
      );
  });

  // Liveness: the process answers. Not the database: restarting the process would not bring it back.
  app.get('/healthz', async function health() {
    return { status: 'ok' };
  });

  // Readiness: the database answers and listings answer at full speed. Until the index has
  // loaded they fall back to SQL, which takes seconds at a million documents: a load balancer
  // should send traffic elsewhere.
  const useIndex = options.bitmapIndex ?? true;
  const readiness: IndexReadiness = { index: useIndex ? 'loading' : 'off', frequentTerms: 'loading' };
  app.get('/readyz', async function ready(_request, reply) {
    const answers = await database.check();
    const indexed = readiness.index === 'ready' || readiness.index === 'off';
    const ready = answers && indexed;
    return reply
      .code(ready ? 200 : 503)
      .header('cache-control', 'no-store')
      .headers(ready ? {} : { 'retry-after': '5' })
      .send({
        status: ready ? 'ready' : answers ? 'loading' : 'unavailable',
        database: answers ? 'ok' : 'unavailable',
        ...readiness,
      });
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
  await app.register(apiRoutes, { prefix: '/api', context });
  await app.register(seoRoutes, { context });
  await app.register(siteRoutes, { context: site, feeds: renderFeed });

  app.addHook('onReady', function warmSearch(done) {
    // In the background: the server listens at once; a search before the threads are up waits.
    void store.warmSearch();
    done();
  });
  let markReady: () => void = () => {};
  const indexReady = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  let indexLoading: IndexLoading | null = null;
  if (useIndex) {
    app.addHook('onReady', function loadIndexInBackground(done) {
      // Listings use SQL until the index is ready: start-up does not wait for it.
      indexLoading = startIndexLoading({
        store,
        search,
        terms,
        subtrees: () => catalog.current().subtrees,
        listings,
        readiness,
        log: app.log,
        frequentTermMinDocuments: options.frequentTermMinDocuments,
        snapshotFile: options.indexSnapshot !== undefined ? options.indexSnapshot : config.indexSnapshot,
      });
      void indexLoading.loaded.finally(markReady);
      done();
    });
  } else {
    markReady();
  }
  app.addHook('onClose', async () => {
    await indexLoading?.close();
    database.close();
    listings.close();
    catalog.close();
    if (!options.store) await store.close();
  });
  const writer = writerFor(store, clock);
  return { app, store, context, writer, indexReady };
}

/** How long /readyz waits for the database's answer before it says 503. */
const READINESS_PROBE_MS = 1_000;
/** While the database is away, how often it is asked whether it is back. */
const OUTAGE_PROBE_MS = 1_000;

/**
 * Whether the database answers. An outage is noticed from the first DatabaseUnavailableError (a
 * page, a follower of the change log) or a probe that fails, and logged once; the database is
 * then probed every second until it answers, which is logged once too.
 */
function watchDatabase(db: Db, log: FastifyBaseLogger) {
  /** A probe's answer: null when the database answered, else what went wrong. */
  type Failure = { error: unknown } | null;
  let awaySince: number | null = null;
  let probing: Promise<Failure> | null = null;
  let timer: NodeJS.Timeout | null = null;
  // One probe at a time: readiness checks that arrive meanwhile share its answer, never pile up.
  const probe = (): Promise<Failure> => {
    probing ??= sql`SELECT 1`
      .execute(db)
      .then(
        () => null,
        (error: unknown) => ({ error }),
      )
      .finally(() => {
        probing = null;
      });
    return probing;
  };
  const back = () => {
    if (awaySince === null) return;
    log.info({ outageMs: Date.now() - awaySince }, 'the database answers again');
    awaySince = null;
    if (timer) clearInterval(timer);
    timer = null;
  };
  const lost = (error: unknown) => {
    if (awaySince !== null) return;
    awaySince = Date.now();
    // What the driver said (ECONNREFUSED, 57P01...), not a stack trace: the fault is outside.
    const cause = error instanceof DatabaseUnavailableError ? error.cause : error;
    const reason =
      (cause as { code?: string } | undefined)?.code ?? (cause instanceof Error ? cause.message : 'no answer in time');
    log.warn({ reason }, 'the database does not answer: pages answer 503 until it is back');
    timer = setInterval(() => {
      void probe().then((failure) => failure === null && back());
    }, OUTAGE_PROBE_MS).unref();
  };
  return {
    lost,
    /** Whether the database answers within READINESS_PROBE_MS. */
    async check(): Promise<boolean> {
      let timeout: NodeJS.Timeout | undefined;
      const late = new Promise<Failure>((resolve) => {
        timeout = setTimeout(() => resolve({ error: undefined }), READINESS_PROBE_MS);
      });
      const failure = await Promise.race([probe(), late]);
      clearTimeout(timeout);
      if (failure === null) back();
      else lost(failure.error);
      return failure === null;
    },
    close() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
