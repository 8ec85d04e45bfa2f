// Restores an export (format.ts) into an empty database of either engine: migrated to the file's
// schema first, every line checked, every id kept, all of it in one transaction; then the id
// counters are moved past the imported ids and the search index is rebuilt from the documents.
import { sql } from 'kysely';
import { AppError, ImportFormatError, StartupError } from '../errors.ts';
import type { SearchProvider } from '../search/provider.ts';
import { keepingIdentity, setIdCounter } from '../store/dialect.ts';
import { MIGRATION_NAMES } from '../store/migrate.ts';
import type { Db, Store, Tx } from '../store/store.ts';
import {
  CHANGE_LOG_COUNTER,
  type ColumnKind,
  DOCUMENT_COUNTER,
  type ExportHeader,
  parseHeader,
  parseRowLine,
  TABLES,
  type TableFormat,
  valueProblem,
} from './format.ts';
import { LATEST_SCHEMA, storedTables } from './schema-state.ts';

export interface ImportOptions {
  /** The name messages give the input: a file name, "standard input", "the export of …". */
  source: string;
  /** The target as messages name it (its address without a password). */
  target: string;
  /** How to empty the target, for the message that refuses one with content. */
  startOver: string;
  /** Rebuilds the search index once the rows are in. */
  search: Pick<SearchProvider, 'reindex'>;
  onProgress?: (done: number, total: number) => void;
  /** Each migration step applied to the target. */
  log?: (line: string) => void;
}

export interface ImportSummary {
  header: ExportHeader;
  rows: number;
  /** Documents whose search text was rebuilt. */
  indexed: number;
}

/** Well below SQLite's 32,766 bound parameters per statement and PostgreSQL's 65,535. */
const MAX_PARAMETERS = 30_000;
const MAX_BATCH_ROWS = 1_000;

/** A table as this target holds it at the file's schema: the format's kinds, the target's columns. */
interface TargetTable {
  format: TableFormat;
  /** Insert order: the format's column order, then any column only the file's older schema has. */
  columns: string[];
  kinds: Map<string, ColumnKind | undefined>;
}

/**
 * @throws StartupError when the target is not empty or cannot be migrated
 * @throws ImportFormatError naming the line and the problem; nothing is stored then
 * @example await importDatabase(store, linesOf(() => fs.createReadStream(file)), { source: file, ... });
 */
export async function importDatabase(
  store: Store,
  lines: AsyncIterable<string>,
  options: ImportOptions,
): Promise<ImportSummary> {
  await assertEmpty(store.db, options);
  const iterator = lines[Symbol.asyncIterator]();
  let loaded: { header: ExportHeader; rows: number };
  try {
    loaded = await loadFile(store, iterator, options);
  } finally {
    // Closes the input (a file) when the import stops before its end.
    await iterator.return?.();
  }
  const { header, rows } = loaded;
  if (header.schema !== LATEST_SCHEMA) await migrate(store, undefined, options);
  const indexed = await options.search.reindex(store.db);
  return { header, rows, indexed };
}

/** Reads the header, migrates the target to its schema, then loads every row in one transaction. */
async function loadFile(
  store: Store,
  lines: AsyncIterator<string>,
  options: ImportOptions,
): Promise<{ header: ExportHeader; rows: number }> {
  const first = await lines.next();
  if (first.done) throw new ImportFormatError(options.source, 1, 'the file is empty: an export starts with its header');
  const header = parseHeader(first.value.replace(/^\uFEFF/, ''), MIGRATION_NAMES);
  if (typeof header === 'string') throw new ImportFormatError(options.source, 1, header);
  await migrate(store, header.schema, options);
  const tables = targetTables(await storedTables(store.db), header, options.source);
  const rows = await store.transaction((tx) => loadRows(tx, tables, header, lines, options));
  return { header, rows };
}

async function assertEmpty(db: Db, options: ImportOptions): Promise<void> {
  const held: string[] = [];
  const order = (name: string) => {
    const index = TABLES.findIndex((format) => format.name === name);
    return index < 0 ? TABLES.length : index;
  };
  const names = [...(await storedTables(db)).keys()].sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  for (const name of names) {
    const { rows } = await sql<{ n: number | string }>`SELECT COUNT(*) AS n FROM ${sql.table(name)}`.execute(db);
    const count = Number(rows[0]?.n ?? 0);
    if (count > 0) held.push(`${name} (${count.toLocaleString('en')})`);
  }
  if (held.length > 0) {
    throw new StartupError(
      `The database ${options.target} is not empty: it holds rows in ${held.join(', ')}. An import only goes into an empty database.`,
      options.startOver,
    );
  }
}

async function migrate(store: Store, schema: string | undefined, options: ImportOptions): Promise<void> {
  let steps: string[];
  try {
    steps = await store.migrate(schema);
  } catch (error) {
    throw new StartupError(
      `The database ${options.target} cannot be migrated${schema ? ` to ${schema}` : ''}: ${(error as Error).message}.`,
      'Import into a new, empty database made for Dateline.',
    );
  }
  for (const step of steps) options.log?.(step);
}

function targetTables(stored: Map<string, Set<string>>, header: ExportHeader, source: string): TargetTable[] {
  const headerProblem = (reason: string) => new ImportFormatError(source, 1, reason);
  const tables = TABLES.filter((format) => stored.has(format.name)).map((format): TargetTable => {
    const present = stored.get(format.name) as Set<string>;
    const columns = [
      ...Object.keys(format.columns).filter((column) => present.has(column)),
      ...[...present].filter((column) => !(column in format.columns)).sort(),
    ];
    return { format, columns, kinds: new Map(columns.map((column) => [column, format.columns[column]])) };
  });
  for (const name of Object.keys(header.rows)) {
    if (!tables.some((table) => table.format.name === name)) {
      throw headerProblem(
        `the header counts rows of "${name}", a table this version of Dateline does not import at schema ${header.schema}`,
      );
    }
  }
  for (const { format } of tables) {
    if (!(format.name in header.rows)) throw headerProblem(`the header gives no row count for ${format.name}`);
  }
  return tables;
}

interface PendingRow {
  line: number;
  values: unknown[];
}

async function loadRows(
  tx: Tx,
  tables: readonly TargetTable[],
  header: ExportHeader,
  lines: AsyncIterator<string>,
  options: ImportOptions,
): Promise<number> {
  const problem = (line: number, reason: string) => new ImportFormatError(options.source, line, reason);
  const total = Object.values(header.rows).reduce((sum, count) => sum + count, 0);
  const limits = new Map<string, number>([
    [`${DOCUMENT_COUNTER.table}.${DOCUMENT_COUNTER.column}`, header.lastDocumentId],
    [`${CHANGE_LOG_COUNTER.table}.${CHANGE_LOG_COUNTER.column}`, header.lastChangeSeq],
  ]);
  let done = 0;
  let current = 0;
  let count = 0;
  let lastKey: number[] | null = null;
  let highest = 0;
  let batch: PendingRow[] = [];
  let references: { line: number; id: unknown; values: unknown[] }[] = [];

  const table = () => tables[current] as TargetTable;
  const flush = async () => {
    if (batch.length === 0) return;
    await insertRows(tx, table(), batch, options.source);
    done += batch.length;
    batch = [];
    options.onProgress?.(done, total);
  };
  /**
   * Ends the current table, at `line` (the next table's first, or past the end): its rows in, its
   * self-references set, its count and counter checked.
   */
  const finish = async (line: number, next: string | null) => {
    const { format } = table();
    await flush();
    await setSelfReferences(tx, table(), references, options.source);
    references = [];
    const expected = header.rows[format.name] ?? 0;
    if (count !== expected) {
      throw problem(
        line,
        `the header counts ${expected} rows of ${format.name}, the file holds ${count}${next ? ` before the rows of ${next}` : count < expected ? ': it is cut short' : ''}`,
      );
    }
    if (format.counter) {
      const limit = limits.get(`${format.name}.${format.counter}`);
      await setIdCounter(tx, format.name, format.counter, limit ?? highest);
    }
    current += 1;
    count = 0;
    lastKey = null;
    highest = 0;
  };

  let line = 1;
  for (let next = await lines.next(); !next.done; next = await lines.next()) {
    line += 1;
    const parsed = parseRowLine(next.value);
    if (typeof parsed === 'string') throw problem(line, parsed);
    const index = tables.findIndex((candidate) => candidate.format.name === parsed.table);
    if (index < 0) throw problem(line, `unknown table "${parsed.table}"`);
    if (index < current) {
      throw problem(
        line,
        `a row of ${parsed.table} after those of ${table().format.name}: tables come in the order ${tables.map((t) => t.format.name).join(', ')}`,
      );
    }
    while (current < index) await finish(line, parsed.table);
    const target = table();
    const { format } = target;
    for (const column of Object.keys(parsed.row)) {
      if (!target.kinds.has(column)) throw problem(line, `unknown column "${column}" in ${format.name}`);
    }
    const values = target.columns.map((column) => {
      if (!Object.hasOwn(parsed.row, column)) throw problem(line, `the row of ${format.name} has no "${column}"`);
      const value = parsed.row[column];
      const wrong = valueProblem(target.kinds.get(column), value);
      if (wrong) throw problem(line, `${format.name}.${column} ${wrong}, not ${JSON.stringify(value)}`);
      return value;
    });
    const key = format.key.map((column) => parsed.row[column] as number);
    if (lastKey && !isAfter(key, lastKey)) {
      throw problem(
        line,
        `rows of ${format.name} must come in order of ${format.key.join(', ')}: ${key} after ${lastKey}`,
      );
    }
    lastKey = key;
    count += 1;
    if (count > (header.rows[format.name] ?? 0)) {
      throw problem(line, `more rows of ${format.name} than the ${header.rows[format.name]} the header counts`);
    }
    if (format.counter) {
      const id = parsed.row[format.counter] as number;
      const limit = limits.get(`${format.name}.${format.counter}`);
      if (limit !== undefined && id > limit) {
        throw problem(line, `${format.name}.${format.counter} ${id} is above the header's ${limit}`);
      }
      highest = Math.max(highest, id);
    }
    if (format.selfReferences) {
      // Set once the whole table is in: a row may name one that comes after it.
      const own = format.selfReferences.map((column) => parsed.row[column]);
      if (own.some((value) => value !== null)) references.push({ line, id: key[0], values: own });
      for (const column of format.selfReferences) values[target.columns.indexOf(column)] = null;
    }
    batch.push({ line, values });
    if (batch.length >= batchSize(target)) await flush();
  }
  // Past the last line: a table still short of its count was cut off there.
  while (current < tables.length) await finish(line + 1, null);
  return done;
}

const isAfter = (key: readonly number[], previous: readonly number[]): boolean => {
  for (let index = 0; index < key.length; index += 1) {
    const a = key[index] as number;
    const b = previous[index] as number;
    if (a !== b) return a > b;
  }
  return false;
};

const batchSize = (table: TargetTable) =>
  Math.max(1, Math.min(MAX_BATCH_ROWS, Math.floor(MAX_PARAMETERS / table.columns.length)));

/** The database's own refusal (a foreign key, a unique value), placed at the lines it came from. */
function refused(error: unknown, source: string, first: number, last: number, table: string): unknown {
  if (error instanceof AppError) return error;
  const where = first === last ? `a row of ${table}` : `a row of ${table} on lines ${first}–${last}`;
  return new ImportFormatError(source, first, `the database refused ${where}: ${(error as Error).message}`);
}

async function insertRows(tx: Tx, table: TargetTable, rows: readonly PendingRow[], source: string): Promise<void> {
  const columns = sql.join(table.columns.map((column) => sql.ref(column)));
  const values = sql.join(rows.map((row) => sql`(${sql.join(row.values)})`));
  try {
    await sql`INSERT INTO ${sql.table(table.format.name)} (${columns}) ${keepingIdentity(tx)} VALUES ${values}`.execute(
      tx,
    );
  } catch (error) {
    throw refused(error, source, (rows[0] as PendingRow).line, (rows.at(-1) as PendingRow).line, table.format.name);
  }
}

async function setSelfReferences(
  tx: Tx,
  table: TargetTable,
  references: readonly { line: number; id: unknown; values: unknown[] }[],
  source: string,
): Promise<void> {
  const { format } = table;
  const columns = format.selfReferences ?? [];
  const id = sql.ref(format.key[0] as string);
  for (const reference of references) {
    const assignments = sql.join(columns.map((column, index) => sql`${sql.ref(column)} = ${reference.values[index]}`));
    try {
      await sql`UPDATE ${sql.table(format.name)} SET ${assignments} WHERE ${id} = ${reference.id}`.execute(tx);
    } catch (error) {
      throw refused(error, source, reference.line, reference.line, format.name);
    }
  }
}
