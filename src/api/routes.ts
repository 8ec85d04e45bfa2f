// The public JSON API, v1: documents (filters, facets, field selection, cursors), one document
// by id or path, and the taxonomies. CORS for reading, ETags, a rate limit, RFC 9457 errors.
import cors from '@fastify/cors';
import etag from '@fastify/etag';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import {
  type DocumentRecord,
  documentTerms,
  findVisibleDocumentById,
  findVisibleDocumentByPath,
} from '../documents/reader.ts';
import { type HttpError, httpErrorOf, InvalidParameterError, NotFoundError } from '../errors.ts';
import { parseFilter } from '../listing/filter.ts';
import { documentJson, listingJson, parseJsonOptions, showsSnippets } from '../listing/json.ts';
import { countryPath, fieldPath, meetingPath, parseDocumentPath, structurePath } from '../listing/urls.ts';
import { ifNoneMatchMatches } from './conditional.ts';
import {
  CountrySchema,
  DocumentListSchema,
  DocumentQuerySchema,
  DocumentSchema,
  FieldOfWorkSchema,
  MeetingSeriesSchema,
  ProblemSchema,
  StructureSchema,
} from './schemas.ts';

export interface ApiRoutesOptions {
  context: AppContext;
}

const PROBLEM_TYPE = 'https://dateline.invalid/problems/';
// The OpenAPI document must say what is served: problems as application/problem+json, a 304 on a
// current If-None-Match (ETag) and a 429 past the site's rate limit (src/throttle.ts) on every route.
const problem = {
  description: 'Problem details (RFC 9457)',
  content: { 'application/problem+json': { schema: ProblemSchema } },
};
const everyRoute = {
  304: { type: 'null', description: 'Not modified: the If-None-Match ETag is current' },
  429: problem,
};
const problems = { ...everyRoute, 400: problem, 404: problem };

/** Sends an RFC 9457 problem; exported for the errors raised before routing (malformed URLs). */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, failure: HttpError) {
  const { status, code, title, message: detail, parameter, retryAfterSeconds } = failure;
  if (retryAfterSeconds) reply.header('retry-after', String(retryAfterSeconds));
  return reply
    .code(status)
    .type('application/problem+json; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(
      JSON.stringify({
        type: `${PROBLEM_TYPE}${code.toLowerCase().replace(/_/g, '-')}`,
        title,
        status,
        detail,
        instance: request.url,
        code,
        ...(parameter ? { parameter } : {}),
      }),
    );
}

/** Registered under /api: /api/openapi.json, /api/v1/... */
export async function apiRoutes(app: FastifyInstance, { context }: ApiRoutesOptions): Promise<void> {
  const { db, baseUrl } = context;
  const nowIso = () => context.clock().toISOString();

  await app.register(cors, { origin: '*', methods: ['GET', 'HEAD', 'OPTIONS'], maxAge: 86_400 });
  await app.register(etag, { replyWith304: false });
  app.addHook('onSend', function notModified(request, reply, payload, done) {
    const readable = request.method === 'GET' || request.method === 'HEAD';
    const etagHeader = reply.getHeader('etag');
    if (
      readable &&
      reply.statusCode === 200 &&
      ifNoneMatchMatches(request.headers['if-none-match'], typeof etagHeader === 'string' ? etagHeader : undefined)
    ) {
      reply.code(304);
      done(null, '');
      return;
    }
    done(null, payload);
  });
  app.setErrorHandler(function apiError(error, request, reply) {
    const failure = httpErrorOf(error);
    if (failure.unexpected) request.log.error({ err: error }, 'API request failed');
    return sendProblem(request, reply, failure);
  });

  app.setNotFoundHandler(function apiNotFound(request, reply) {
    return sendProblem(request, reply, httpErrorOf(new NotFoundError(`There is no API resource at ${request.url}`)));
  });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const fullDocument = async (doc: DocumentRecord) => {
    const terms = await documentTerms(db, doc.id);
    return documentJson(
      doc,
      { ...doc, fieldIds: terms.fieldIds, countryIds: terms.countryIds },
      context.catalog,
      baseUrl,
    );
  };

  app.get(
    '/v1/documents',
    {
      schema: {
        tags: ['Documents'],
        summary: 'Search and filter documents',
        description:
          'The same parameters as every listing page of the site. Several values of one parameter combine with OR, different parameters with AND, and each parameter has a not_ form.',
        querystring: DocumentQuerySchema,
        response: { 200: DocumentListSchema, ...problems },
      },
    },
    async function listDocuments(request) {
      const query = request.query as Record<string, unknown>;
      const options = parseJsonOptions(query);
      const filter = parseFilter(query, context.catalog);
      const listing = await context.listings.run(filter, {
        content: true,
        facets: options.facets,
        snippets: showsSnippets(options.fields),
      });
      return listingJson(listing, context.catalog, baseUrl, options.fields);
    },
  );

  app.get(
    '/v1/documents/by-path',
    {
      schema: {
        tags: ['Documents'],
        summary: 'One document by its path on the site',
        querystring: Type.Object({
          path: Type.String({
            description:
              'e.g. /press-releases/2007/09/osce-plays-key-role-in-fight-against-human-trafficking-top-official-says',
          }),
        }),
        response: { 200: DocumentSchema, ...problems },
      },
    },
    async function documentByPath(request) {
      const { path } = request.query as { path: string };
      const bare = path.split('?')[0] ?? '';
      if (!parseDocumentPath(bare))
        throw new InvalidParameterError('path', 'Parameter "path" is not the path of a document');
      const doc = await findVisibleDocumentByPath(db, bare, nowIso());
      if (!doc) throw new NotFoundError(`No published document at ${path}`);
      return fullDocument(doc);
    },
  );

  app.get(
    '/v1/documents/:id',
    {
      schema: {
        tags: ['Documents'],
        summary: 'One document by id',
        // No leading zeros: each document has one address (`/documents/102`, never `/documents/000102`).
        params: Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,11}$', description: 'Document id' }) }),
        response: { 200: DocumentSchema, ...problems },
      },
    },
    async function documentById(request) {
      const { id } = request.params as { id: string };
      const doc = await findVisibleDocumentById(db, Number(id), nowIso());
      if (!doc) throw new NotFoundError(`No published document has id ${id}`);
      return fullDocument(doc);
    },
  );

  app.get(
    '/v1/fields-of-work',
    {
      schema: {
        tags: ['Taxonomies'],
        summary: 'Fields of work',
        response: { 200: Type.Array(FieldOfWorkSchema), ...everyRoute },
      },
    },
    async () =>
      context.catalog.fields.map((f) => ({
        slug: f.slug,
        name: f.name,
        kind: f.kind,
        summary: f.summary,
        url: `${baseUrl}${fieldPath(f.slug)}`,
      })),
  );

  app.get(
    '/v1/countries',
    {
      schema: {
        tags: ['Taxonomies'],
        summary: 'Participating States and Partners for Co-operation',
        response: { 200: Type.Array(CountrySchema), ...everyRoute },
      },
    },
    async () =>
      context.catalog.countries.map((c) => ({
        slug: c.slug,
        name: c.name,
        iso_code: c.iso_code,
        role: c.role,
        since: c.since_year,
        capital: c.capital,
        url: `${baseUrl}${countryPath(c.slug)}`,
      })),
  );

  app.get(
    '/v1/structures',
    {
      schema: {
        tags: ['Taxonomies'],
        summary: 'Structures and institutions, each with its parent',
        response: { 200: Type.Array(StructureSchema), ...everyRoute },
      },
    },
    async () =>
      context.catalog.structures.map((s) => ({
        slug: s.slug,
        name: s.name,
        kind: s.kind,
        parent: s.parent?.slug ?? null,
        seat: s.seat,
        country: s.country_id === null ? null : (context.catalog.countryById(s.country_id)?.slug ?? null),
        opened: s.opened_year,
        closed: s.closed_year,
        url: `${baseUrl}${structurePath(s.slug)}`,
      })),
  );

  app.get(
    '/v1/meeting-series',
    {
      schema: {
        tags: ['Taxonomies'],
        summary: 'Meeting series',
        response: { 200: Type.Array(MeetingSeriesSchema), ...everyRoute },
      },
    },
    async () =>
      context.catalog.meetings.map((m) => ({
        slug: m.slug,
        name: m.name,
        summary: m.summary,
        url: `${baseUrl}${meetingPath(m.slug)}`,
      })),
  );
}
