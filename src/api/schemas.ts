// The API's request and response schemas: one definition gives validation, types and OpenAPI.
import { type Static, Type } from '@sinclair/typebox';

const Term = Type.Object(
  {
    slug: Type.String(),
    name: Type.String(),
    url: Type.String({ format: 'uri' }),
  },
  { additionalProperties: false },
);

const documentProperties = {
  id: Type.Integer({ description: 'Stable numeric id' }),
  kind: Type.Union(
    ['press-release', 'news', 'statement', 'event', 'publication', 'page'].map((kind) => Type.Literal(kind)),
  ),
  language: Type.String({ description: 'ISO 639-1 code', examples: ['en'] }),
  title: Type.String(),
  slug: Type.String(),
  path: Type.String({
    description: 'Path of the document on this site',
    examples: ['/press-releases/2007/09/osce-plays-key-role'],
  }),
  url: Type.String({ format: 'uri' }),
  summary: Type.String(),
  date: Type.String({
    format: 'date-time',
    description: 'The document’s own date, as its dateline gives it; for an event, when it starts',
  }),
  published_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'When the document went public on this site',
  }),
  updated_at: Type.String({ format: 'date-time' }),
  ends_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'Events: when it ends' }),
  time_zone: Type.Union([Type.String(), Type.Null()], {
    description: 'Events: the IANA time zone of its times',
    examples: ['Europe/Vienna'],
  }),
  place: Type.Union([Type.String(), Type.Null()], {
    description: 'The dateline’s city or cities',
    examples: ['Vienna', 'Chisinau/Vienna'],
  }),
  is_demo: Type.Boolean({ description: 'Generated demonstration content' }),
  sources: Type.Array(Term, { description: 'The issuing structures, the lead first' }),
  meeting: Type.Union([Term, Type.Null()]),
  fields: Type.Array(Term, { description: 'Fields of work, in the author’s order' }),
  countries: Type.Array(Term),
  body_html: Type.String({ description: 'Sanitised HTML' }),
  revision: Type.Integer(),
  snippet_html: Type.Union([Type.String(), Type.Null()], {
    description: 'Escaped HTML excerpt around the matched words, with <mark> (searches only)',
  }),
};

export const DocumentSchema = Type.Object(
  {
    ...documentProperties,
    snippet_html: Type.Optional(documentProperties.snippet_html),
  },
  { additionalProperties: false, description: 'A published document' },
);

/** In listings every property is optional: `fields=` chooses them. */
export const DocumentListItemSchema = Type.Partial(Type.Object(documentProperties, { additionalProperties: false }));

const FacetValue = Type.Object(
  { value: Type.String(), label: Type.String(), count: Type.Integer({ minimum: 0 }) },
  { additionalProperties: false },
);

export const DocumentListSchema = Type.Object(
  {
    total: Type.Integer({ minimum: 0, description: 'Documents matching the filters' }),
    page: Type.Integer({ minimum: 1 }),
    page_size: Type.Integer({ minimum: 1 }),
    page_count: Type.Integer({ minimum: 1 }),
    next_cursor: Type.Union([Type.String(), Type.Null()], {
      description: 'Pass as `cursor` for the next page; stable while new documents are published (date order only)',
    }),
    suggestion: Type.Optional(
      Type.String({
        description: 'Only when a search finds nothing: the same `q` with its unknown words corrected ("Did you mean")',
      }),
    ),
    items: Type.Array(DocumentListItemSchema),
    facets: Type.Optional(
      Type.Record(Type.String(), Type.Array(FacetValue), {
        description: 'Counts per value for type, field, country, source and year, each with the other filters applied',
      }),
    ),
  },
  { additionalProperties: false },
);

const Values = (description: string) =>
  Type.Optional(
    Type.Array(Type.String(), {
      description: `${description} Repeat the parameter or separate values with commas; several values combine with OR.`,
    }),
  );

export const DocumentQuerySchema = Type.Object({
  q: Type.Optional(
    Type.String({
      description: 'Full-text search: words, "phrases", -exclusions, OR, prefix*',
      examples: ['"human trafficking" -Vienna'],
    }),
  ),
  type: Values('Document types: press-release, news, statement, event, publication, page.'),
  not_type: Values('Exclude these types.'),
  field: Values('Field-of-work slugs.'),
  not_field: Values('Exclude these fields of work.'),
  country: Values('Country slugs.'),
  not_country: Values('Exclude these countries.'),
  source: Values('Structure slugs; a structure includes every structure under it.'),
  not_source: Values('Exclude these structures.'),
  meeting: Values('Meeting-series slugs.'),
  not_meeting: Values('Exclude these meeting series.'),
  lang: Values('Language codes.'),
  not_lang: Values('Exclude these languages.'),
  year: Values('Years (YYYY).'),
  not_year: Values('Exclude these years.'),
  from: Type.Optional(Type.String({ description: 'First day, YYYY-MM-DD', examples: ['2007-01-01'] })),
  to: Type.Optional(Type.String({ description: 'Last day, YYYY-MM-DD' })),
  sort: Type.Optional(
    Type.String({ description: 'relevance (default with q), newest (default), oldest', examples: ['newest'] }),
  ),
  page: Type.Optional(Type.String({ description: 'Page number, from 1' })),
  page_size: Type.Optional(Type.String({ description: 'Items per page, 1 to 100 (default 20)' })),
  cursor: Type.Optional(Type.String({ description: 'next_cursor of the previous page' })),
  facets: Type.Optional(Type.String({ description: '"true" to include facet counts' })),
  fields: Type.Optional(
    Type.String({ description: 'Comma-separated document properties to return', examples: ['id,title,url'] }),
  ),
});
export type DocumentQuery = Static<typeof DocumentQuerySchema>;

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.Optional(Type.String()),
    code: Type.String({ description: 'Stable error code, e.g. DL_ERR_INVALID_PARAMETER' }),
    parameter: Type.Optional(Type.String({ description: 'The query parameter that was wrong' })),
  },
  { description: 'RFC 9457 problem details' },
);

export const FieldOfWorkSchema = Type.Object(
  { slug: Type.String(), name: Type.String(), kind: Type.String(), summary: Type.String(), url: Type.String() },
  { additionalProperties: false },
);
export const CountrySchema = Type.Object(
  {
    slug: Type.String(),
    name: Type.String(),
    iso_code: Type.String(),
    role: Type.String(),
    since: Type.Integer(),
    capital: Type.Union([Type.String(), Type.Null()]),
    url: Type.String(),
  },
  { additionalProperties: false },
);
export const StructureSchema = Type.Object(
  {
    slug: Type.String(),
    name: Type.String(),
    kind: Type.String(),
    parent: Type.Union([Type.String(), Type.Null()], { description: 'Slug of the parent structure' }),
    seat: Type.Union([Type.String(), Type.Null()]),
    country: Type.Union([Type.String(), Type.Null()], { description: 'Country slug' }),
    opened: Type.Union([Type.Integer(), Type.Null()]),
    closed: Type.Union([Type.Integer(), Type.Null()]),
    url: Type.String(),
  },
  { additionalProperties: false },
);
export const MeetingSeriesSchema = Type.Object(
  { slug: Type.String(), name: Type.String(), summary: Type.String(), url: Type.String() },
  { additionalProperties: false },
);
