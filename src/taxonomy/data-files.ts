// Reads the organisation's taxonomies from data/taxonomy/*.json, validated before use.
import fs from 'node:fs';
import path from 'node:path';
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { projectPath } from '../paths.ts';

export const DEFAULT_TAXONOMY_DIR = projectPath('data', 'taxonomy');

const Slug = Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' });
const Year = Type.Integer({ minimum: 1900, maximum: 2100 });

const FieldOfWorkEntry = Type.Object({
  slug: Slug,
  name: Type.String({ minLength: 1 }),
  kind: Type.Union([Type.Literal('field'), Type.Literal('section')]),
  summary: Type.String(),
});

const MeetingSeriesEntry = Type.Object({ slug: Slug, name: Type.String({ minLength: 1 }), summary: Type.String() });

const CountryEntry = Type.Object({
  slug: Slug,
  name: Type.String({ minLength: 1 }),
  iso: Type.String({ pattern: '^[A-Z]{2}$' }),
  role: Type.Union([
    Type.Literal('participating'),
    Type.Literal('asian-partner'),
    Type.Literal('mediterranean-partner'),
  ]),
  since: Year,
  capital: Type.Optional(Type.String()),
});

export interface StructureEntry {
  slug: string;
  name: string;
  kind: string;
  shortName?: string;
  aliases?: string[];
  seat?: string;
  country?: string;
  territory?: string;
  opened?: number;
  closed?: number;
  summary?: string;
  children?: StructureEntry[];
}

const StructureEntrySchema = Type.Recursive((self) =>
  Type.Object({
    slug: Slug,
    name: Type.String({ minLength: 1 }),
    kind: Type.String({ minLength: 1 }),
    shortName: Type.Optional(Type.String()),
    aliases: Type.Optional(Type.Array(Type.String())),
    seat: Type.Optional(Type.String()),
    country: Type.Optional(Slug),
    territory: Type.Optional(Type.String()),
    opened: Type.Optional(Year),
    closed: Type.Optional(Year),
    summary: Type.Optional(Type.String()),
    children: Type.Optional(Type.Array(self)),
  }),
);

const ChairpersonshipEntry = Type.Object({
  year: Year,
  country: Type.Union([Slug, Type.Null()]),
  countryName: Type.Optional(Type.String()),
  adjective: Type.String({ minLength: 1 }),
  title: Type.String({ minLength: 1 }),
});

export interface TaxonomyData {
  fieldsOfWork: Static<typeof FieldOfWorkEntry>[];
  meetingSeries: Static<typeof MeetingSeriesEntry>[];
  countries: Static<typeof CountryEntry>[];
  structures: StructureEntry[];
  chairpersonships: Static<typeof ChairpersonshipEntry>[];
}

function readArray<T extends TSchema>(dir: string, file: string, item: T): Static<T>[] {
  const fullPath = path.join(dir, file);
  const parsed: unknown = JSON.parse(fs.readFileSync(fullPath, 'utf8'));
  const schema = Type.Array(item);
  if (!Value.Check(schema, parsed)) {
    const first = Value.Errors(schema, parsed).First();
    throw new Error(`${fullPath}: ${first ? `${first.path || '/'} ${first.message}` : 'invalid'}`);
  }
  return parsed;
}

/** Loads and validates every taxonomy file; throws naming the file and the bad entry. */
export function readTaxonomyData(dir: string = DEFAULT_TAXONOMY_DIR): TaxonomyData {
  return {
    fieldsOfWork: readArray(dir, 'fields-of-work.json', FieldOfWorkEntry),
    meetingSeries: readArray(dir, 'meeting-series.json', MeetingSeriesEntry),
    countries: readArray(dir, 'countries.json', CountryEntry),
    structures: readArray(dir, 'structures.json', StructureEntrySchema) as StructureEntry[],
    chairpersonships: readArray(dir, 'chairpersonships.json', ChairpersonshipEntry),
  };
}
