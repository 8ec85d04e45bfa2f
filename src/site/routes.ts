// The public website's routes. Each handler parses its input, runs the read path, renders.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { kindByPath, LISTED_KINDS } from '../documents/kinds.ts';
import { findVisibleDocument } from '../documents/reader.ts';
import { NotFoundError } from '../errors.ts';
import { parseFilter, type Scope } from '../listing/filter.ts';
import {
  FEED_CONTENT_TYPES,
  type FEED_FORMATS,
  type FeedRenderer,
  LISTING_FORMATS,
  type ListingFormat,
  splitFormat,
} from '../listing/formats.ts';
import { listingJson, parseJsonOptions, showsSnippets } from '../listing/json.ts';
import {
  COUNTRY_GROUPS,
  type CountryGroupSlug,
  countryPath,
  documentPath,
  fieldPath,
  meetingPath,
  type Params,
  structurePath,
  withParams,
} from '../listing/urls.ts';
import { ORGANISATION_NAME } from '../taxonomy/organisation.ts';
import { type Html, html } from '../text/html.ts';
import { utf8Bytes } from '../text/utf8.ts';
import type { SiteContext } from './context.ts';
import type { PageBytes } from './layout.ts';
import { type OpenApiDocument, renderApiDocs } from './views/api-docs-page.ts';
import { renderDocumentPage } from './views/document-page.ts';
import { describeFilter } from './views/facets.ts';
import { renderHomePage } from './views/home-page.ts';
import { type ListingPageOptions, renderListingPage } from './views/listing-page.ts';
import {
  countryBreadcrumbs,
  countryIntro,
  renderCountriesIndex,
  renderCountryGroup,
  renderFieldsIndex,
  renderMeetingsIndex,
  renderStructuresIndex,
  structureBreadcrumbs,
  structureIntro,
  termIntro,
} from './views/taxonomy-pages.ts';

export interface SiteRoutesOptions {
  context: SiteContext;
  /** Renders a listing's feeds and CSV (passed in: the site does not import the feeds). */
  feeds: FeedRenderer;
}

type Query = Record<string, unknown>;

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const HOME = { label: 'Home', href: '/' };

/** A page, as markup or as the bytes the hot pages render to (src/site/layout.ts renderPageBytes). */
function sendHtml(reply: FastifyReply, page: string | PageBytes): FastifyReply {
  return reply
    .type('text/html; charset=utf-8')
    .header('cache-control', 'public, max-age=60, stale-while-revalidate=300')
    .send(typeof page === 'string' ? utf8Bytes(page) : Buffer.concat(page));
}

const FEED_TYPES: Record<(typeof FEED_FORMATS)[number], { type: string; label: string }> = {
  rss: { type: 'application/rss+xml', label: 'RSS' },
  atom: { type: 'application/atom+xml', label: 'Atom' },
  'feed.json': { type: 'application/feed+json', label: 'JSON Feed' },
  csv: { type: 'text/csv', label: 'CSV' },
};

/** Autodiscovery: the same listing as feeds, with the same parameters. */
function feedLinks(path: string, params: Params, title: string): Html {
  const query = withParams('', params, { page: [], cursor: [] });
  return html`${(['rss', 'atom', 'feed.json'] as const).map(
    (format) =>
      html`<link rel="alternate" type="${FEED_TYPES[format].type}" title="${title} (${FEED_TYPES[format].label})" href="${path}.${format}${query}">`,
  )}`;
}

export async function siteRoutes(app: FastifyInstance, { context, feeds }: SiteRoutesOptions): Promise<void> {
  const { db } = context;
  const nowIso = () => context.now().toISOString();

  /** One listing in the format its path's suffix names: HTML, a feed, CSV or JSON. */
  async function serveListing(
    request: FastifyRequest,
    reply: FastifyReply,
    scope: Scope,
    page: Omit<ListingPageOptions, 'listing'>,
    format: ListingFormat | null,
  ) {
    const query = request.query as Query;
    const { catalog } = context;
    const filter = parseFilter(query, catalog, scope);
    if (format === null) {
      const listing = await context.listings.run(filter, { facets: true });
      if (filter.page > listing.pageCount) {
        throw new NotFoundError(`There is no page ${filter.page}: this listing has ${listing.pageCount}.`);
      }
      const head = feedLinks(page.path, filter.params, page.title);
      return sendHtml(reply, renderListingPage(context, { ...page, listing, head }));
    }
    const json = format === 'json' ? parseJsonOptions(query) : null;
    // Feeds and CSV show no snippets; JSON shows them unless its fields leave them out.
    const listing = await context.listings.run(filter, {
      content: true,
      facets: json?.facets ?? false,
      snippets: json !== null && showsSnippets(json.fields),
    });
    reply.type(FEED_CONTENT_TYPES[format]).header('cache-control', 'public, max-age=60');
    // Feeds and exports are read by other sites' scripts too.
    reply.header('access-control-allow-origin', '*');
    if (format === 'json') return reply.send(listingJson(listing, catalog, context.baseUrl, json?.fields ?? null));
    const suffix = withParams('', filter.params);
    if (format === 'csv')
      reply.header(
        'content-disposition',
        `attachment; filename="${page.path.slice(1).replace(/\//g, '-') || 'documents'}.csv"`,
      );
    const described = describeFilter(filter, catalog);
    return reply.send(
      feeds(
        format,
        listing,
        catalog,
        {
          title: described ? `${page.title} — ${described}` : page.title,
          description: page.description ?? `${page.title} from the ${ORGANISATION_NAME}`,
          htmlUrl: `${context.baseUrl}${page.path}${suffix}`,
          selfUrl: `${context.baseUrl}${page.path}.${format}${suffix}`,
          baseUrl: context.baseUrl,
        },
        context.now(),
      ),
    );
  }

  /** The listing's path for each suffix: `/press-releases`, `/press-releases.rss`, ... */
  function listingRoute(
    path: string,
    handler: (request: FastifyRequest, reply: FastifyReply, format: ListingFormat | null) => Promise<FastifyReply>,
  ) {
    app.get(path, (request, reply) => handler(request, reply, null));
    for (const format of LISTING_FORMATS)
      app.get(`${path}.${format}`, (request, reply) => handler(request, reply, format));
  }

  app.get('/', async function homePage(_request, reply) {
    const [pressReleases, news, events] = await Promise.all([
      context.listings.newest({ kinds: ['press-release'] }, 6),
      context.listings.newest({ kinds: ['news'] }, 3),
      context.listings.upcomingEvents(3),
    ]);
    return sendHtml(reply, renderHomePage(context, { pressReleases, news, events }));
  });

  listingRoute('/documents', (request, reply, format) =>
    serveListing(
      request,
      reply,
      {},
      {
        title: 'All documents',
        description: 'Press releases, news, statements, events and publications.',
        breadcrumbs: [HOME, { label: 'All documents' }],
        path: '/documents',
        facets: ['type', 'field', 'country', 'source', 'year'],
      },
      format,
    ),
  );

  listingRoute('/search', (request, reply, format) =>
    serveListing(
      request,
      reply,
      {},
      {
        title: 'Search',
        description: 'Search press releases, news, statements, events and publications.',
        breadcrumbs: [HOME, { label: 'Search' }],
        path: '/search',
        facets: ['type', 'field', 'country', 'source', 'year'],
        searchLabel: 'Search all documents',
        headerSearch: false,
      },
      format,
    ),
  );

  for (const info of LISTED_KINDS) {
    listingRoute(`/${info.path}`, (request, reply, format) =>
      serveListing(
        request,
        reply,
        { type: [info.kind] },
        {
          title: info.plural,
          breadcrumbs: [HOME, { label: info.plural }],
          path: `/${info.path}`,
          facets: ['field', 'country', 'source', 'year'],
          // Events are listed by their own date, the furthest ahead first: offer the coming ones in order.
          intro:
            info.kind === 'event'
              ? html`<p class="lead"><a href="${withParams('/events', { from: [nowIso().slice(0, 10)], sort: ['oldest'] })}">Upcoming events</a>, soonest first.</p>`
              : undefined,
        },
        format,
      ),
    );
  }

  app.get<{ Params: { kindPath: string; year: string; month: string; slug: string } }>(
    '/:kindPath/:year/:month/:slug',
    async function documentPage(request, reply) {
      const { kindPath, year, month, slug } = request.params;
      const info = kindByPath(kindPath);
      if (!info || info.kind === 'page' || !/^\d{4}$/.test(year) || !/^\d{2}$/.test(month) || !SLUG.test(slug)) {
        throw new NotFoundError('There is no document at this address.');
      }
      const path = `/${kindPath}/${year}/${month}/${slug}`;
      const found = await context.listings.document(path);
      if (!found) {
        // A known document under another date (a mistyped or outdated address): its permalink.
        const moved = await findVisibleDocument(db, { kind: info.kind, language: 'en', slug }, nowIso());
        if (moved) return reply.redirect(documentPath(moved), 301);
        throw new NotFoundError('There is no document at this address.');
      }
      const { doc, terms } = found;
      const related = await context.listings.newest(
        { fieldIds: terms.fieldIds, sourceIds: doc.sourceIds, besides: doc.id },
        5,
      );
      return sendHtml(reply, renderDocumentPage(context, doc, terms, related));
    },
  );

  // The API's readable description lives with the pages; it renders the served OpenAPI document.
  app.get('/api/docs', async (_request, reply) =>
    sendHtml(reply, renderApiDocs(context, app.swagger() as unknown as OpenApiDocument)),
  );

  app.get('/fields-of-work', async (_request, reply) => sendHtml(reply, renderFieldsIndex(context)));
  app.get<{ Params: { slug: string } }>('/fields-of-work/:slug', async function fieldPage(request, reply) {
    const { base, format } = splitFormat(request.params.slug);
    const field = context.catalog.fieldBySlug(base);
    if (!field) throw new NotFoundError('There is no field of work at this address.');
    return serveListing(
      request,
      reply,
      { field: [field.id] },
      {
        title: field.name,
        description: field.summary,
        intro: termIntro(field),
        breadcrumbs: [HOME, { label: 'Fields of work', href: '/fields-of-work' }, { label: field.name }],
        path: fieldPath(field.slug),
        facets: ['type', 'country', 'source', 'year'],
        listHeading: 'Latest documents',
      },
      format,
    );
  });

  app.get('/meetings', async (_request, reply) => sendHtml(reply, renderMeetingsIndex(context)));
  app.get<{ Params: { slug: string } }>('/meetings/:slug', async function meetingPage(request, reply) {
    const { base, format } = splitFormat(request.params.slug);
    const meeting = context.catalog.meetingBySlug(base);
    if (!meeting) throw new NotFoundError('There is no meeting series at this address.');
    return serveListing(
      request,
      reply,
      { meeting: [meeting.id] },
      {
        title: meeting.name,
        description: meeting.summary,
        intro: termIntro(meeting),
        breadcrumbs: [HOME, { label: 'Meetings and conferences', href: '/meetings' }, { label: meeting.name }],
        path: meetingPath(meeting.slug),
        facets: ['type', 'field', 'country', 'year'],
        listHeading: 'Documents',
      },
      format,
    );
  });

  app.get('/countries', async (_request, reply) => sendHtml(reply, renderCountriesIndex(context)));
  app.get<{ Params: { slug: string } }>('/countries/:slug', async function countryPage(request, reply) {
    const { slug } = request.params;
    // Own keys only: `constructor`, `toString`... are not country groups.
    if (Object.hasOwn(COUNTRY_GROUPS, slug))
      return sendHtml(reply, renderCountryGroup(context, slug as CountryGroupSlug));
    const { base, format } = splitFormat(slug);
    const country = context.catalog.countryBySlug(base);
    if (!country) throw new NotFoundError('There is no country at this address.');
    return serveListing(
      request,
      reply,
      { country: [country.id] },
      {
        title: country.name,
        intro: countryIntro(context, country),
        breadcrumbs: countryBreadcrumbs(country),
        path: countryPath(country.slug),
        facets: ['type', 'field', 'source', 'year'],
        listHeading: `Latest documents on ${country.name}`,
      },
      format,
    );
  });

  app.get('/structures', async (_request, reply) => sendHtml(reply, renderStructuresIndex(context)));
  app.get<{ Params: { slug: string } }>('/structures/:slug', async function structurePage(request, reply) {
    const { base, format } = splitFormat(request.params.slug);
    const node = context.catalog.structureBySlug(base);
    if (!node) throw new NotFoundError('There is no structure at this address.');
    return serveListing(
      request,
      reply,
      { source: [...(context.catalog.subtrees.get(node.id) ?? [node.id])] },
      {
        title: node.name,
        description: node.summary ?? undefined,
        intro: structureIntro(context, node),
        breadcrumbs: structureBreadcrumbs(node),
        path: structurePath(node.slug),
        facets: ['type', 'field', 'country', 'year'],
        listHeading: 'Latest documents',
      },
      format,
    );
  });

  app.get<{ Params: { file: string } }>('/assets/:file', async function assetFile(request, reply) {
    const asset = context.assets.byPath(`/assets/${request.params.file}`);
    if (!asset) throw new NotFoundError('There is no such file.');
    return reply
      .type(asset.contentType)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(asset.body);
  });

  // Browsers that ignore <link rel="icon"> still ask for /favicon.ico.
  app.get('/favicon.ico', async (_request, reply) => reply.redirect(context.assets.icon.path, 301));

  // Pages (About us, ...) live at the root; every other one-segment path is a 404.
  app.get<{ Params: { slug: string } }>('/:slug', async function pageDocument(request, reply) {
    const { slug } = request.params;
    const found = SLUG.test(slug) ? await context.listings.document(`/${slug}`) : undefined;
    if (!found) throw new NotFoundError('There is no page at this address.');
    return sendHtml(reply, renderDocumentPage(context, found.doc, found.terms, []));
  });
}
