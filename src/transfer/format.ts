// The export format, version 1: NDJSON, one header line, then one line per row, tables in the
// order their foreign keys need, rows by primary key, columns in the schema's order. The same
// content writes the same bytes from either engine (docs/decisions/0017).
import type { Selectable } from 'kysely';
import type {
  ChairpersonshipTable,
  CountryTable,
  Database,
  DocumentChangeTable,
  DocumentCountryTable,
  DocumentFieldTable,
  DocumentRevisionTable,
  DocumentSourceTable,
  DocumentTable,
  FieldOfWorkTable,
  MeetingSeriesTable,
  StructureTable,
} from '../store/schema.ts';

export const FORMAT_NAME = 'dateline-export';
export const FORMAT_VERSION = 1;

/** What a column holds; `?` allows null. Timestamps are ISO-8601 UTC text with milliseconds. */
export type ColumnKind = 'integer' | 'integer?' | 'text' | 'text?' | 'timestamp' | 'timestamp?';

/**
 * The kinds a column of this value type may be declared as: with it, the compiler holds every
 * table below to schema.ts, a column missing, extra or of the wrong kind does not compile.
 */
type KindOf<V> = [V] extends [number]
  ? 'integer'
  : [V] extends [number | null]
    ? 'integer?'
    : [V] extends [string]
      ? 'text' | 'timestamp'
      : [V] extends [string | null]
        ? 'text?' | 'timestamp?'
        : never;

type Columns<T> = { readonly [K in keyof Selectable<T>]-?: KindOf<Selectable<T>[K]> };

export interface TableFormat {
  readonly name: keyof Database & string;
  /** Every column, in the order of schema.ts (the order of the keys in each row's line). */
  readonly columns: Readonly<Record<string, ColumnKind>>;
  /** The primary key: rows are written in its order and read back in it. */
  readonly key: readonly string[];
  /** A generated id whose counter is moved past the imported ids. */
  readonly counter?: string;
  /** Columns that name a row of the same table: set once every row of the table is in. */
  readonly selfReferences?: readonly string[];
}

function table<T>(
  name: keyof Database & string,
  columns: Columns<T>,
  options: { key: readonly (keyof T & string)[]; counter?: keyof T & string; selfReferences?: (keyof T & string)[] },
): TableFormat {
  return { name, columns: columns as Readonly<Record<string, ColumnKind>>, ...options };
}

/** The exported tables, in dependency order (each only refers to those before it). */
export const TABLES: readonly TableFormat[] = [
  table<FieldOfWorkTable>(
    'fields_of_work',
    { id: 'integer', slug: 'text', name: 'text', kind: 'text', summary: 'text', position: 'integer' },
    { key: ['id'], counter: 'id' },
  ),
  table<CountryTable>(
    'countries',
    {
      id: 'integer',
      slug: 'text',
      name: 'text',
      iso_code: 'text',
      role: 'text',
      since_year: 'integer',
      capital: 'text?',
      position: 'integer',
    },
    { key: ['id'], counter: 'id' },
  ),
  table<StructureTable>(
    'structures',
    {
      id: 'integer',
      slug: 'text',
      name: 'text',
      short_name: 'text?',
      kind: 'text',
      parent_id: 'integer?',
      seat: 'text?',
      country_id: 'integer?',
      territory: 'text?',
      opened_year: 'integer?',
      closed_year: 'integer?',
      summary: 'text?',
      aliases: 'text',
      position: 'integer',
    },
    { key: ['id'], counter: 'id', selfReferences: ['parent_id'] },
  ),
  table<MeetingSeriesTable>(
    'meeting_series',
    { id: 'integer', slug: 'text', name: 'text', summary: 'text', position: 'integer' },
    { key: ['id'], counter: 'id' },
  ),
  table<ChairpersonshipTable>(
    'chairpersonships',
    { year: 'integer', country_id: 'integer?', country_name: 'text', adjective: 'text', title: 'text' },
    { key: ['year'] },
  ),
  table<DocumentTable>(
    'documents',
    {
      id: 'integer',
      kind: 'text',
      slug: 'text',
      language: 'text',
      translation_group: 'text?',
      title: 'text',
      summary: 'text',
      body_html: 'text',
      dated_at: 'timestamp',
      ends_at: 'timestamp?',
      time_zone: 'text?',
      place: 'text?',
      meeting_series_id: 'integer?',
      status: 'text',
      publish_at: 'timestamp?',
      published_at: 'timestamp?',
      permalink: 'text?',
      is_demo: 'integer',
      legacy_key: 'text?',
      revision: 'integer',
      created_at: 'timestamp',
      updated_at: 'timestamp',
    },
    { key: ['id'], counter: 'id' },
  ),
  table<DocumentFieldTable>(
    'document_fields',
    { document_id: 'integer', field_id: 'integer', position: 'integer' },
    { key: ['document_id', 'field_id'] },
  ),
  table<DocumentCountryTable>(
    'document_countries',
    { document_id: 'integer', country_id: 'integer', position: 'integer' },
    { key: ['document_id', 'country_id'] },
  ),
  table<DocumentSourceTable>(
    'document_sources',
    { document_id: 'integer', structure_id: 'integer', position: 'integer' },
    { key: ['document_id', 'structure_id'] },
  ),
  table<DocumentChangeTable>(
    'document_changes',
    { seq: 'integer', document_id: 'integer?', action: 'text', revision: 'integer?', at: 'timestamp' },
    { key: ['seq'], counter: 'seq' },
  ),
  table<DocumentRevisionTable>(
    'document_revisions',
    { document_id: 'integer', revision: 'integer', snapshot: 'text', note: 'text?', created_at: 'timestamp' },
    { key: ['document_id', 'revision'] },
  ),
];

/** The counters whose high-water mark the header carries: ids that must never be handed out twice. */
export const DOCUMENT_COUNTER = { table: 'documents', column: 'id' } as const;
export const CHANGE_LOG_COUNTER = { table: 'document_changes', column: 'seq' } as const;

/**
 * Tables rebuilt from the exported ones, never exported: the search texts (`reindex` writes them
 * from the documents, with PostgreSQL's tsvector column) and SQLite's FTS5 indexes over them,
 * with the shadow tables FTS5 keeps. Any other table is an error, so none is forgotten.
 */
const DERIVED_TABLE = /^(document_texts|(document|heading)_fts(_(data|idx|content|docsize|config))?)$/;

export function isDerivedTable(name: string): boolean {
  return DERIVED_TABLE.test(name);
}

export function tableFormat(name: string): TableFormat | undefined {
  return TABLES.find((candidate) => candidate.name === name);
}

export interface ExportHeader {
  format: typeof FORMAT_NAME;
  version: typeof FORMAT_VERSION;
  /** The latest migration applied to the exported database. */
  schema: string;
  /** The change log's position: the highest seq ever handed out (followers resume after it). */
  lastChangeSeq: number;
  /** The highest document id ever handed out, deleted documents' included (ids are never reused). */
  lastDocumentId: number;
  /** Rows per table, in the order the tables follow in the file. */
  rows: Record<string, number>;
}

/** The header line; its keys in this fixed order. */
export function headerLine(header: ExportHeader): string {
  const { format, version, schema, lastChangeSeq, lastDocumentId, rows } = header;
  return JSON.stringify({ format, version, schema, lastChangeSeq, lastDocumentId, rows });
}

/** One row's line: `{"table":"documents","row":{...}}`, the row's keys in the table's column order. */
export function rowLine(format: TableFormat, row: Record<string, unknown>): string {
  const ordered: Record<string, unknown> = {};
  for (const column of Object.keys(format.columns)) ordered[column] = row[column];
  return JSON.stringify({ table: format.name, row: ordered });
}

const ISO_MOMENT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * A stored value as the file writes it, whichever engine it came from: integers as numbers,
 * timestamps as ISO text with milliseconds (the store's own form), null as null.
 * @throws Error naming the table, row and column when the database holds what its column must not
 */
export function exportedValue(kind: ColumnKind, value: unknown, where: () => string): unknown {
  if (value === null || value === undefined) {
    if (kind.endsWith('?')) return null;
    throw new Error(`${where()} is null, which its column does not allow`);
  }
  if (kind.startsWith('integer')) {
    const number = typeof value === 'bigint' ? Number(value) : value;
    if (typeof number === 'number' && Number.isSafeInteger(number)) return number;
    throw new Error(`${where()} holds ${JSON.stringify(String(value))}, not an integer`);
  }
  if (typeof value !== 'string') throw new Error(`${where()} holds a ${typeof value}, not text`);
  if (kind.startsWith('timestamp') && !ISO_MOMENT.test(value)) {
    const time = Date.parse(value);
    if (Number.isNaN(time)) throw new Error(`${where()} holds "${value}", not a moment`);
    return new Date(time).toISOString();
  }
  return value;
}

/** Why a value read from a file does not fit its column, or null when it fits. */
export function valueProblem(kind: ColumnKind | undefined, value: unknown): string | null {
  if (value === null) return kind === undefined || kind.endsWith('?') ? null : 'must not be null';
  if (kind === undefined) {
    return ['string', 'number'].includes(typeof value) ? null : 'must be text, a number or null';
  }
  if (kind.startsWith('integer')) return Number.isSafeInteger(value) ? null : 'must be an integer';
  if (typeof value !== 'string') return 'must be text';
  if (kind.startsWith('timestamp') && (!ISO_MOMENT.test(value) || Number.isNaN(Date.parse(value)))) {
    return 'must be a moment such as "2007-09-11T10:00:00.000Z"';
  }
  return null;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/**
 * Reads the header line; a problem comes back as text for the caller to place (line 1).
 * `knownSchemas` are this version's migrations, oldest first.
 */
export function parseHeader(line: string, knownSchemas: readonly string[]): ExportHeader | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return `not a Dateline export: the first line is not JSON (an export starts with {"format":"${FORMAT_NAME}",...})`;
  }
  if (!isRecord(value) || value.format !== FORMAT_NAME) {
    return `not a Dateline export: the first line must be its header, {"format":"${FORMAT_NAME}","version":${FORMAT_VERSION},...}`;
  }
  if (value.version !== FORMAT_VERSION) {
    return typeof value.version === 'number' && value.version > FORMAT_VERSION
      ? `the file is in format version ${value.version}, written by a newer Dateline; this one reads version ${FORMAT_VERSION}: upgrade Dateline to import it`
      : `the header's "version" must be ${FORMAT_VERSION}, not ${JSON.stringify(value.version)}`;
  }
  const { schema, lastChangeSeq, lastDocumentId, rows } = value;
  if (typeof schema !== 'string' || schema === '') return 'the header\'s "schema" must name a migration';
  if (!knownSchemas.includes(schema)) {
    const newest = knownSchemas.at(-1) ?? '(none)';
    return `the file was written at schema ${schema}, which this version of Dateline does not know (its newest is ${newest}): upgrade Dateline to import it`;
  }
  if (!isCount(lastChangeSeq)) return 'the header\'s "lastChangeSeq" must be a whole number';
  if (!isCount(lastDocumentId)) return 'the header\'s "lastDocumentId" must be a whole number';
  if (!isRecord(rows)) return 'the header\'s "rows" must give the number of rows of each table';
  for (const [name, count] of Object.entries(rows)) {
    if (!isCount(count)) return `the header's row count of ${name} must be a whole number`;
  }
  const extra = Object.keys(value).filter(
    (key) => !['format', 'version', 'schema', 'lastChangeSeq', 'lastDocumentId', 'rows'].includes(key),
  );
  if (extra.length > 0) return `the header has an unknown field "${extra[0]}"`;
  return {
    format: FORMAT_NAME,
    version: FORMAT_VERSION,
    schema,
    lastChangeSeq,
    lastDocumentId,
    rows: rows as Record<string, number>,
  };
}

export interface ParsedRow {
  table: string;
  row: Record<string, unknown>;
}

/** Reads a row line's envelope (table and row); the columns are checked by the importer. */
export function parseRowLine(line: string): ParsedRow | string {
  if (line.trim() === '') return 'the line is empty';
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return `not valid JSON (${(error as Error).message})`;
  }
  if (!isRecord(value)) return 'must be an object {"table":...,"row":{...}}';
  const extra = Object.keys(value).find((key) => key !== 'table' && key !== 'row');
  if (extra !== undefined) return `unknown field "${extra}" (a line has only "table" and "row")`;
  if (typeof value.table !== 'string') return 'must name its "table"';
  if (!isRecord(value.row)) return `the "row" of ${value.table} must be an object`;
  return { table: value.table, row: value.row };
}
