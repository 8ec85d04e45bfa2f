// `npm run bench:search -- --docs 1000000 [--reuse]`: search at scale. Builds a synthetic corpus
// (bench/corpus.ts) in bench/out/, measures the search page's read path in-process (runListing with
// facets, p50/p95 per query class: through the bitmap index as the site runs it, first query and
// repeated, and through SQL alone as before the index has loaded), profiles the slowest classes,
// then loads the site's /search with autocannon (127.0.0.1 only). Writes bench/SEARCH-RESULTS.md.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { latestChangeSeq } from '../src/documents/change-log.ts';
import { summarySelection } from '../src/documents/reader.ts';
import { DocumentBitmapIndex, dateWindow, loadBitmapIndex } from '../src/listing/bitmap-index.ts';
import type { CountCache } from '../src/listing/count-cache.ts';
import { createCountCache } from '../src/listing/count-cache.ts';
import { EXACT_RANKING_LIMIT } from '../src/listing/engine.ts';
import { parseFilter } from '../src/listing/filter.ts';
import { restoreIndex, saveIndexSnapshot } from '../src/listing/index-snapshot.ts';
import { runListing } from '../src/listing/listing.ts';
import { withHeldTerms } from '../src/listing/service.ts';
import { sqlListingEngine } from '../src/listing/sql-engine.ts';
import { FREQUENT_TERM_MIN_DOCUMENTS } from '../src/listing/term-postings.ts';
import { sqliteSearch, toFtsQuery } from '../src/search/sqlite-fts.ts';
import { sqliteIndexTerms } from '../src/search/sqlite-terms.ts';
import { suggestCorrection } from '../src/search/suggest.ts';
import type { Store } from '../src/store/store.ts';
import { openStore } from '../src/store/store.ts';
import type { Catalog } from '../src/taxonomy/catalog.ts';
import { loadCatalog } from '../src/taxonomy/catalog.ts';

/** Search statements in their threads as on the site, with a budget no class reaches: timed, never stopped. */
const MEASURING = { searchTimeoutMs: 30 * 60_000 };

const indexParts = (store: Store, catalog: Catalog) => ({
  db: store.db,
  searchDb: store.searchDb,
  search: sqliteSearch,
  terms: sqliteIndexTerms,
  subtrees: () => catalog.subtrees,
});

/** The index as the site loads it on its first start: from the database. */
const loadIndex = (store: Store, catalog: Catalog) => loadBitmapIndex(indexParts(store, catalog));

/** The index as the site loads it on every later start: from the snapshot the first one kept. */
async function restoredIndex(store: Store, catalog: Catalog): Promise<DocumentBitmapIndex> {
  const index = new DocumentBitmapIndex(indexParts(store, catalog));
  await restoreIndex(index, store.db, SNAPSHOT_FILE);
  return index;
}

/** runListing as the site runs it: on the index when there is one, else on SQL. */
function listingOn(store: Store, catalog: Catalog, index: DocumentBitmapIndex | undefined, cache?: CountCache) {
  const engine =
    index ??
    sqlListingEngine({
      db: store.db,
      searchDb: store.searchDb,
      search: sqliteSearch,
      ancestorsOf: (id) => catalog.ancestorIds(id),
    });
  return (filter: ReturnType<typeof parseFilter>, now: string) =>
    runListing(
      {
        db: store.db,
        searchDb: store.searchDb,
        engine,
        search: sqliteSearch,
        cache,
        suggest: (query) => suggestCorrection(store.db, withHeldTerms(sqliteIndexTerms, index ?? null), query),
      },
      filter,
      new Date(now),
      { facets: true },
    );
}

import { buildCorpus, type CorpusBuild, fileBytes, KNOWN_WORDS } from './corpus.ts';
import {
  type Child,
  formatMarkdown,
  freePort,
  LOOPBACK,
  type LoadFigures,
  machineFacts,
  measureLoad,
  startChild,
  systemBusySeconds,
  waitForHttp,
  waitForQuiet,
} from './support.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const OUT_DIR = path.join(ROOT, 'bench', 'out');
const RESULTS_FILE = path.join(ROOT, 'bench', 'SEARCH-RESULTS.md');

const { values: args } = parseArgs({
  options: {
    docs: { type: 'string', default: '1000000' },
    reuse: { type: 'boolean', default: false },
    /** Measured runs per query class (fewer when the class budget runs out first). */
    runs: { type: 'string', default: '40' },
    'class-budget': { type: 'string', default: '60' },
    /** Hard cap per query class: its worker is killed after this, whatever it has done. */
    'class-cap': { type: 'string', default: '240' },
    /** Cap per profiled statement. */
    'statement-cap': { type: 'string', default: '120' },
    'first-request-cap': { type: 'string', default: '120' },
    'build-budget': { type: 'string', default: String(15 * 60) },
    'max-gb': { type: 'string', default: '10' },
    duration: { type: 'string', default: '10' },
    'skip-http': { type: 'boolean', default: false },
    'skip-sql': { type: 'boolean', default: false },
    /**
     * Measures again only these classes (key:mode, comma-separated, e.g. phrase:first) and keeps
     * the rest of the last run's figures: for a class whose run the machine disturbed.
     */
    only: { type: 'string' },
    /** Writes SEARCH-RESULTS.md again from the last run's figures (bench/out/search-N.results.json). */
    'render-only': { type: 'boolean', default: false },
    'quiet-wait': { type: 'string', default: '60' },
    // Internal: this script as a worker process (see runWorker).
    worker: { type: 'string' },
    class: { type: 'string' },
    mode: { type: 'string' },
    now: { type: 'string' },
    from: { type: 'string', default: '0' },
  },
  strict: true,
});

const DOCUMENTS = Number(args.docs);
const RUNS = Number(args.runs);
/** Fewer than this only when single runs are so slow that the class cap is reached first. */
const MIN_RUNS = 5;
const WARM_UP_RUNS = 3;
const CLASS_BUDGET_S = Number(args['class-budget']);
const CLASS_CAP_S = Number(args['class-cap']);
const STATEMENT_CAP_S = Number(args['statement-cap']);
const FIRST_REQUEST_CAP_S = Number(args['first-request-cap']);
const BUILD_BUDGET_S = Number(args['build-budget']);
const MAX_BYTES = Number(args['max-gb']) * 1024 ** 3;
const DURATION_S = Number(args.duration);
const QUIET_WAIT_S = Number(args['quiet-wait']);
const CONNECTIONS = 32;
const AIM = { p95Ms: 50, indexSeconds: 600 };
/** The filtered class: a big field and a recent year. */
const FILTER_FIELD = 'human-rights';
const FILTER_YEAR = '2019';

if (!Number.isInteger(DOCUMENTS) || DOCUMENTS < 1000) throw new Error('--docs must be a whole number ≥ 1000');
const DB_FILE = path.join(OUT_DIR, `search-${DOCUMENTS}.db`);
/** Where the site keeps the index of DB_FILE between starts (its default: beside the file). */
const SNAPSHOT_FILE = `${DB_FILE}.index`;

const log = (line: string) => console.log(`[bench:search] ${line}`);
const ms = (value: number) =>
  !Number.isFinite(value) ? '∞' : value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
const gb = (bytes: number) => (bytes / 1024 ** 3).toFixed(2);
const fmt = (n: number) => n.toLocaleString('en-US');

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
}

const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    0.5,
  );

function machine() {
  const probe = new BetterSqlite3(':memory:');
  const sqlite = (probe.prepare('select sqlite_version() as v').get() as { v: string }).v;
  probe.close();
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout?.trim();
  return { ...machineFacts(), sqlite, commit: commit || 'unknown' };
}

/** What code is measured: src/ may change while a long run goes on (others work in this checkout). */
function sourceFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
        files[path.relative(ROOT, full)] = crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex');
    }
  };
  walk(path.join(ROOT, 'src'));
  return files;
}

const hashOf = (files: Record<string, string>) =>
  crypto.createHash('sha256').update(JSON.stringify(files)).digest('hex').slice(0, 12);

/** The files that differ between two snapshots of src/. */
function changedFiles(from: Record<string, string>, to: Record<string, string>): string[] {
  return [...new Set([...Object.keys(from), ...Object.keys(to)])].filter((file) => from[file] !== to[file]).sort();
}

const SOURCE_FILES = sourceFiles();
const SOURCE_HASH = hashOf(SOURCE_FILES);
const SOURCE_DIRTY = args.worker ? '' : sourceDirty();
/** Where workers, the servers or the end of the run saw other src/ than the run started with. */
const sourceChanges = new Set<string>();

/** Notes (and logs) a difference between the code now and at the start. */
function noteSourceChange(where: string, files: Record<string, string>): void {
  const changed = changedFiles(SOURCE_FILES, files);
  if (changed.length === 0) return;
  const note = `${where}: ${changed.join(', ')}`;
  if (!sourceChanges.has(note)) log(`warning: src/ changed during the run — ${note}`);
  sourceChanges.add(note);
}

function sourceDirty(): string {
  const status = spawnSync('git', ['status', '--porcelain', '--', 'src'], { cwd: ROOT, encoding: 'utf8' }).stdout;
  return status?.trim() ? 'uncommitted changes in src/' : 'clean';
}

function freeDiskBytes(dir: string): number {
  const stats = fs.statfsSync(dir);
  return stats.bavail * stats.bsize;
}

async function quiet(label: string): Promise<number | undefined> {
  const busy = await waitForQuiet(QUIET_WAIT_S);
  if (busy !== undefined && busy >= 0.25)
    log(`${label}: machine still busy (${busy.toFixed(2)} cores) after ${QUIET_WAIT_S} s: measuring anyway`);
  return busy;
}

// ---------------------------------------------------------------------------------------------
// Corpus facts: document frequencies of the known words, vocabulary, size by table.

interface CorpusFacts {
  df: { rare: number; common: number; phrase: number; border: number; management: number };
  distinctTerms: number;
  sizes: Array<{ name: string; bytes: number }>;
  ftsSegments: number;
}

function corpusFacts(file: string): CorpusFacts {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    const count = (match: string) =>
      (db.prepare('SELECT count(*) AS n FROM document_fts WHERE document_fts MATCH ?').get(match) as { n: number }).n;
    const [border, management] = KNOWN_WORDS.phrase;
    const df = {
      rare: count(`"${KNOWN_WORDS.rare}"`),
      common: count(`"${KNOWN_WORDS.common}"`),
      phrase: count(`"${KNOWN_WORDS.phrase.join(' ')}"`),
      border: count(`"${border}"`),
      management: count(`"${management}"`),
    };
    db.exec("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab('main', 'document_fts', 'row')");
    const distinctTerms = (db.prepare('SELECT count(*) AS n FROM temp.vocab').get() as { n: number }).n;
    const sizes = (
      db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC').all() as Array<{
        name: string;
        bytes: number;
      }>
    ).slice(0, 8);
    // One %_idx row per leaf page of each segment: how many segments a query has to merge.
    const ftsSegments = (db.prepare('SELECT count(DISTINCT segid) AS n FROM document_fts_idx').get() as { n: number })
      .n;
    return { df, distinctTerms, sizes, ftsSegments };
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Workers. Each query class and each profile runs in a child process (this script with --worker):
// a SQLite statement cannot be interrupted from JavaScript, and at scale some take minutes, so the
// parent kills a worker that runs past its cap and keeps what it has reported so far.

const SCRIPT = fileURLToPath(import.meta.url);
const workers = new Set<ChildProcess>();
process.on('exit', () => {
  for (const worker of workers) if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
});

type Message = Record<string, unknown> & { cpu: number };

/** Writes one JSON line for the parent, with this process's CPU seconds so far. */
function emit(message: Record<string, unknown>): void {
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ ...message, cpu: (cpu.user + cpu.system) / 1e6 })}\n`);
}

/** Runs a worker; `onMessage` and `shouldStop` (polled) return true to kill it. */
function runWorker(
  workerArgs: string[],
  onMessage: (message: Message) => boolean,
  shouldStop: () => boolean,
): Promise<{ killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...process.execArgv, '--expose-gc', SCRIPT, '--docs', String(DOCUMENTS), '--runs', String(RUNS), ...workerArgs],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    workers.add(child);
    let killed = false;
    const stop = () => {
      if (killed || child.exitCode !== null) return;
      killed = true;
      child.kill('SIGKILL');
    };
    const timer = setInterval(() => {
      if (shouldStop()) stop();
    }, 200);
    readline.createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const message = JSON.parse(line) as Message;
      if (message.sourceFiles) {
        noteSourceChange(
          `worker ${workerArgs.filter((a, i) => workerArgs[i - 1] !== '--now' && !a.startsWith('--')).join(' ')}`,
          message.sourceFiles as Record<string, string>,
        );
        return;
      }
      if (onMessage(message)) stop();
    });
    child.once('close', (code, signal) => {
      clearInterval(timer);
      workers.delete(child);
      if (!killed && code !== 0) reject(new Error(`worker ${workerArgs.join(' ')} ended with ${code ?? signal}`));
      else resolve({ killed });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Query classes and the ways the site runs them.

interface QueryClass {
  key: string;
  label: string;
  query: Record<string, string>;
}

function queryClasses(): QueryClass[] {
  const phrase = `"${KNOWN_WORDS.phrase.join(' ')}"`;
  const base: QueryClass[] = [
    { key: 'rare', label: 'Rare word', query: { q: KNOWN_WORDS.rare } },
    { key: 'common', label: 'Common word', query: { q: KNOWN_WORDS.common } },
    { key: 'phrase', label: 'Two-word phrase', query: { q: phrase } },
    // The same words unquoted: every document with both, ranked by where they stand together.
    { key: 'words', label: 'Two frequent words', query: { q: KNOWN_WORDS.phrase.join(' ') } },
    {
      key: 'filtered',
      label: 'Common word + field + year',
      query: { q: KNOWN_WORDS.common, field: FILTER_FIELD, year: FILTER_YEAR },
    },
    // The worst the grammar allows: four prefixes of the shortest length, each of a frequent word.
    { key: 'prefixes', label: 'Four short prefixes', query: { q: 'sec* OR bor* OR man* OR omb*' } },
  ];
  return [
    ...base,
    // Nothing matches: the listing also corrects the word from the headings' vocabulary.
    { key: 'misspelled', label: 'Misspelled word ("Did you mean")', query: { q: 'ombudspersom' } },
    ...base.map((c) => ({
      key: `${c.key}-newest`,
      label: `${c.label}, sort=newest`,
      query: { ...c.query, sort: 'newest' },
    })),
  ];
}

const classByKey = (key: string): QueryClass => {
  const found = queryClasses().find((c) => c.key === key);
  if (!found) throw new Error(`unknown query class ${key}`);
  return found;
};

const pathOf = (c: QueryClass) => `/search?${new URLSearchParams(c.query).toString()}`;

/**
 * - first: the bitmap index, nothing else cached — a query text nobody asked for in the last
 *   minutes (the index's cache of search matches is emptied before each run, no count cache);
 * - repeat: as the search page runs it (index and 30-s count cache), the same query again and again;
 * - sql: SQL alone, as the site answers until the index has loaded (and on an engine without it).
 */
type Mode = 'first' | 'repeat' | 'sql';
const MODES: ReadonlyArray<{ mode: Mode; title: string }> = [
  { mode: 'first', title: 'Index, first query' },
  { mode: 'repeat', title: 'Index + count cache, repeated query (as the site)' },
  { mode: 'sql', title: 'SQL alone (before the index has loaded)' },
];

/** Empties the index's cache of FTS5 matches (private: reached for the benchmark only). */

interface ClassResult extends QueryClass {
  mode: Mode;
  path: string;
  sort: string;
  runs: number;
  /** Measured runs; when none finished after the warm-up, the warm-up run alone. */
  timesMs: number[];
  warmUpMs: number[];
  /** Not even one run finished within the cap. */
  timedOut: boolean;
  /** The worker was stopped by the cap (figures are from the runs done by then). */
  capped: boolean;
  p50: number;
  p95: number;
  max: number;
  total: number | null;
  snippets: number | null;
  indexLoadMs: number | null;
  indexRssMb: number | null;
  quietBusy: number | undefined;
  otherCores: number | undefined;
}

/** Worker: the index read from the database as at a first start, then kept as the site keeps it. */
async function indexWorker(file: string): Promise<void> {
  const store = await openStore(`sqlite:${file}`, MEASURING);
  try {
    const catalog = await loadCatalog(store.db);
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const start = performance.now();
    const index = await loadIndex(store, catalog);
    const loadMs = performance.now() - start;
    global.gc?.();
    const rssMb = (process.memoryUsage().rss - rssBefore) / 1024 ** 2;
    const seq = await latestChangeSeq(store.db);
    const saved = await saveIndexSnapshot({ indexAtRest: async (look) => look(index, seq) }, store.db, SNAPSHOT_FILE);
    if (!saved) throw new Error('no snapshot written: the change log is empty');
    emit({ phase: 'snapshot', ms: loadMs, rssMb, bytes: saved.bytes, terms: index.frequentTermCount });
  } finally {
    await store.close();
  }
}

/** Worker: warm-up runs, then measured runs of one class in one mode, each reported as it ends. */
async function classWorker(file: string, key: string, mode: Mode, now: string): Promise<void> {
  const c = classByKey(key);
  const store = await openStore(`sqlite:${file}`, MEASURING);
  try {
    const catalog = await loadCatalog(store.db);
    const filter = parseFilter(c.query, catalog);
    let index: DocumentBitmapIndex | undefined;
    if (mode !== 'sql') {
      global.gc?.();
      const rssBefore = process.memoryUsage().rss;
      const start = performance.now();
      index = await restoredIndex(store, catalog);
      const loadMs = performance.now() - start;
      global.gc?.();
      emit({ phase: 'index', ms: loadMs, rssMb: (process.memoryUsage().rss - rssBefore) / 1024 ** 2 });
    }
    const cache = mode === 'repeat' ? createCountCache({ ttlMs: 30_000 }) : undefined;
    const list = listingOn(store, catalog, index, cache);
    let warmUps = WARM_UP_RUNS;
    for (let i = 0; i - warmUps < RUNS; i += 1) {
      if (mode === 'first') index?.clearSearchCache();
      const start = performance.now();
      const listing = await list(filter, now);
      const took = performance.now() - start;
      if (i === 0 && took > 2000) warmUps = 1;
      emit({
        phase: i < warmUps ? 'warm' : 'run',
        ms: took,
        total: listing.total,
        snippets: listing.items.filter((item) => item.snippet).length,
      });
    }
  } finally {
    await store.close();
  }
}

async function measureClass(c: QueryClass, mode: Mode): Promise<ClassResult> {
  const label = `${c.label} [${mode}]`;
  const quietBusy = await quiet(label);
  const now = new Date().toISOString();
  const timesMs: number[] = [];
  const warmUpMs: number[] = [];
  let first: Message | undefined;
  let index: Message | undefined;
  let childCpu = 0;
  let started = performance.now();
  let measuring = performance.now();
  const system = { before: systemBusySeconds(), cpu: 0 };
  const own = process.cpuUsage();
  const stopNow = () => {
    const elapsed = (performance.now() - started) / 1000;
    const measured = (performance.now() - measuring) / 1000;
    return elapsed > CLASS_CAP_S || (timesMs.length >= MIN_RUNS && measured > CLASS_BUDGET_S);
  };
  const { killed } = await runWorker(
    ['--worker', 'class', '--class', c.key, '--mode', mode, '--now', now],
    (m) => {
      if (m.phase === 'index') {
        index = m;
        // The index loads once per worker; the class's time starts after it.
        started = performance.now();
        measuring = started;
        system.before = systemBusySeconds();
        system.cpu = m.cpu;
        return false;
      }
      childCpu = m.cpu;
      if (m.phase === 'warm') {
        first ??= m;
        warmUpMs.push(m.ms as number);
        measuring = performance.now();
      } else timesMs.push(m.ms as number);
      return stopNow();
    },
    stopNow,
  );
  const seconds = (performance.now() - started) / 1000;
  const systemAfter = systemBusySeconds();
  const ownUsed = process.cpuUsage(own);
  const otherCores =
    system.before === undefined || systemAfter === undefined
      ? undefined
      : Math.max(
          0,
          (systemAfter - system.before - (childCpu - system.cpu) - (ownUsed.user + ownUsed.system) / 1e6) / seconds,
        );
  const samples = timesMs.length > 0 ? timesMs : warmUpMs.slice(0, 1);
  const sorted = [...samples].sort((a, b) => a - b);
  const timedOut = sorted.length === 0;
  const cap = CLASS_CAP_S * 1000;
  const result: ClassResult = {
    ...c,
    mode,
    path: pathOf(c),
    sort: c.query.sort ?? 'relevance',
    runs: samples.length,
    timesMs: samples,
    warmUpMs,
    timedOut,
    capped: killed,
    p50: timedOut ? cap : percentile(sorted, 0.5),
    p95: timedOut ? cap : percentile(sorted, 0.95),
    max: timedOut ? cap : (sorted.at(-1) as number),
    total: first ? (first.total as number) : null,
    snippets: first ? (first.snippets as number) : null,
    indexLoadMs: index ? (index.ms as number) : null,
    indexRssMb: index ? (index.rssMb as number) : null,
    quietBusy,
    otherCores,
  };
  log(
    timedOut
      ? `${label}: not one run within ${CLASS_CAP_S} s (stopped)`
      : `${label}: ${fmt(result.total ?? 0)} matches, ${result.runs} runs${timesMs.length === 0 ? ' (the warm-up only)' : ''}${killed ? ' (stopped at budget)' : ''}, p50 ${ms(result.p50)} ms, p95 ${ms(result.p95)} ms (other CPU ${otherCores?.toFixed(2)} cores${index ? `; index loaded in ${ms(index.ms as number)} ms` : ''})`,
  );
  return result;
}

// ---------------------------------------------------------------------------------------------
// Profiles. SQL statements are recorded with their parameters, then timed with better-sqlite3
// directly (median of a few runs) with their plans.

interface StatementProfile {
  label: string;
  /** 'site': what the read path ran; 'what-if': the same answers by other SQL, for the suggestions. */
  kind: 'site' | 'what-if';
  sql: string;
  parameters: unknown[];
  plan: string;
  rows: number;
  runs: number;
  medianMs: number;
  /** Still running when the worker was stopped at the cap. */
  timedOut: boolean;
}

function labelOf(sql: string, parameters: readonly unknown[] = []): string {
  const text = sql.trim();
  const column = parameters.some((p) => typeof p === 'string' && p.startsWith('{title}'))
    ? ': title'
    : parameters.some((p) => typeof p === 'string' && p.startsWith('{summary}'))
      ? ': summary'
      : '';
  if (text.includes('snippet(')) return 'snippets';
  if (text.includes('as "total"')) return 'count';
  if (text.includes('group by "d"."kind"')) return 'facet: type';
  if (text.includes('group by "t"."field_id"')) return 'facet: field';
  if (text.includes('group by "t"."country_id"')) return 'facet: country';
  if (text.includes('"document_sources" as "s"')) return 'facet: source';
  if (text.includes('group by substr')) return 'facet: year';
  if (/ORDER BY f\.rank/i.test(text)) return `ranked ids (bm25)${column}`;
  if (/^SELECT rowid(?: AS id)? FROM document_fts WHERE document_fts MATCH \?$/i.test(text))
    return `FTS5 matching ids${column}`;
  if (/"d"\."id" in \(/.test(text) && !text.includes('order by')) return 'page rows by id';
  if (/^select/i.test(text) && text.includes('order by')) return 'page';
  return text.slice(0, 40);
}

function planOf(database: BetterSqlite3.Database, sql: string, parameters: unknown[]): string {
  // The site's scratch tables live in its connection's temp schema, which this one cannot see.
  if (/\btemp\./i.test(sql)) return 'temp schema of the site connection';
  return database
    .prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .all(...parameters)
    .map((row) => (row as { detail: string }).detail)
    .join('; ');
}

/** One run when a run takes over 5 s; else 2–9 runs within about 8 s. */
function timeStatement(statement: BetterSqlite3.Statement, parameters: unknown[]) {
  const times: number[] = [];
  let rows = 0;
  const deadline = performance.now() + 8000;
  do {
    const start = performance.now();
    rows = statement.all(...parameters).length;
    times.push(performance.now() - start);
  } while ((times[0] as number) < 5000 && times.length < 9 && (times.length < 2 || performance.now() < deadline));
  return { rows, runs: times.length, medianMs: median(times) };
}

interface Recorded {
  sql: string;
  parameters: unknown[];
  ms: number;
  rows: number;
}

let recorder: ((statement: Recorded) => void) | null = null;

/**
 * Times every statement the read path runs, where it runs: better-sqlite3's `prepare` wrapped (in a
 * worker process only) so that each statement's all/get/run reports its SQL, parameters, rows and
 * time. Statements the store prepared and cached keep the wrapper.
 */
function recordStatements(): void {
  const proto = BetterSqlite3.prototype as unknown as {
    prepare: (this: BetterSqlite3.Database, sql: string) => BetterSqlite3.Statement;
  };
  const prepare = proto.prepare;
  proto.prepare = function recordingPrepare(this: BetterSqlite3.Database, sql: string) {
    const statement = prepare.call(this, sql);
    const methods = statement as unknown as Record<'all' | 'get' | 'run', (...parameters: unknown[]) => unknown>;
    for (const method of ['all', 'get', 'run'] as const) {
      const original = methods[method];
      methods[method] = function recorded(this: unknown, ...parameters: unknown[]) {
        const record = recorder;
        if (!record) return original.apply(this, parameters);
        emit({ event: 'statement', sql, parameters: parameters.slice(0, 50) });
        const start = performance.now();
        const result = original.apply(this, parameters);
        record({ sql, parameters, ms: performance.now() - start, rows: Array.isArray(result) ? result.length : 1 });
        return result;
      };
    }
    return statement;
  };
}

interface PathProfile {
  key: string;
  mode: 'first' | 'sql';
  /** runListing's own time, median of the measured runs. */
  listingMs: number;
  runs: number;
  /** Steps of the indexed path, each timed on its own (index only). */
  steps: Array<{ label: string; medianMs: number }>;
  statements: StatementProfile[];
  indexLoadMs: number | null;
  indexRssMb: number | null;
  matches: number;
}

/**
 * Worker: one class's read path, as the site runs it (openStore, loadBitmapIndex, runListing), with
 * every statement timed where it runs; then the indexed path's steps one by one, or (SQL path) the
 * what-if statements.
 */
async function profileWorker(file: string, key: string, mode: 'first' | 'sql', now: string): Promise<void> {
  recordStatements();
  const c = classByKey(key);
  const store = await openStore(`sqlite:${file}`, MEASURING);
  const explain = new BetterSqlite3(file, { readonly: true });
  try {
    const catalog = await loadCatalog(store.db);
    const filter = parseFilter(c.query, catalog);
    const search = filter.search;
    if (!search) throw new Error(`${c.label} has no search`);
    let index: DocumentBitmapIndex | undefined;
    let indexLoadMs: number | null = null;
    let indexRssMb: number | null = null;
    if (mode === 'first') {
      global.gc?.();
      const rssBefore = process.memoryUsage().rss;
      const loadStart = performance.now();
      index = await restoredIndex(store, catalog);
      indexLoadMs = performance.now() - loadStart;
      global.gc?.();
      indexRssMb = (process.memoryUsage().rss - rssBefore) / 1024 ** 2;
    }
    const list = listingOn(store, catalog, index);
    const runOnce = async () => {
      if (index) index.clearSearchCache();
      const start = performance.now();
      const listing = await list(filter, now);
      return { ms: performance.now() - start, total: listing.total };
    };
    const warm = await runOnce();
    const runs = warm.ms > 5000 ? 1 : 5;
    const perRun: Recorded[][] = [];
    const listingTimes: number[] = [];
    for (let run = 0; run < runs; run += 1) {
      const recorded: Recorded[] = [];
      recorder = (statement) => recorded.push(statement);
      listingTimes.push((await runOnce()).ms);
      recorder = null;
      perRun.push(recorded);
    }
    const last = perRun.at(-1) ?? [];
    const statements: StatementProfile[] = last.map((st, i) => ({
      label: labelOf(st.sql, st.parameters),
      kind: 'site',
      sql: st.sql,
      parameters: st.parameters,
      plan: planOf(explain, st.sql, st.parameters),
      rows: st.rows,
      runs: perRun.length,
      medianMs: median(perRun.flatMap((recorded) => (recorded[i]?.sql === st.sql ? [recorded[i].ms] : []))),
      timedOut: false,
    }));

    const steps: PathProfile['steps'] = [];
    if (index) {
      const nowMs = Date.parse(now);
      const relevance = filter.sort === 'relevance' && search.required.length > 0;
      const times = new Map<string, number[]>();
      const time = async <T>(label: string, work: () => Promise<T> | T): Promise<T> => {
        const start = performance.now();
        const result = await work();
        times.set(label, [...(times.get(label) ?? []), performance.now() - start]);
        return result;
      };
      for (let run = 0; run < 6; run += 1) {
        index.clearSearchCache();
        const matching = await time('matching ids (postings or FTS5) + bitmap filters (first query)', () =>
          (index as DocumentBitmapIndex).matching(filter, nowMs),
        );
        await time('the same, FTS5 ids cached', () => (index as DocumentBitmapIndex).matching(filter, nowMs));
        await time('total and 5 facet counts (bitmaps)', () => (index as DocumentBitmapIndex).facets(filter, nowMs));
        const ids = await time(
          relevance ? 'page ids by relevance (first query: column matches fetched)' : 'page ids by date',
          () =>
            relevance
              ? (index as DocumentBitmapIndex).pageByRelevance(matching, search, {
                  offset: 0,
                  limit: filter.pageSize,
                  exactLimit: EXACT_RANKING_LIMIT,
                  window: dateWindow(filter),
                })
              : (index as DocumentBitmapIndex).pageByDate(matching, {
                  offset: 0,
                  limit: filter.pageSize,
                  ascending: false,
                  after: null,
                  window: dateWindow(filter),
                }),
        );
        if (relevance)
          await time('page ids by relevance again (column matches cached)', () =>
            (index as DocumentBitmapIndex).pageByRelevance(matching, search, {
              offset: 0,
              limit: filter.pageSize,
              exactLimit: EXACT_RANKING_LIMIT,
              window: dateWindow(filter),
            }),
          );
        await time('page rows by id', () =>
          ids.length === 0
            ? []
            : store.db
                .selectFrom('documents as d')
                .select(summarySelection(store.db))
                .where('d.id', 'in', ids)
                .execute(),
        );
        await time('snippets', () => sqliteSearch.snippets(store.db, ids, search));
        // The first round warms up.
        if (run === 0) times.clear();
      }
      for (const [label, values] of times) steps.push({ label, medianMs: median(values) });
      // Costs that fall on single requests: the first listing after the index loaded (it sorts the
      // date order and builds the visible set), and the first after a write of one document.
      steps.push({ label: 'first runListing after the index loaded (one call)', medianMs: warm.ms });
      const matched = await index.matching(filter, nowMs);
      await index.refreshDocuments([matched.size > 0 ? matched.minimum() : 1]);
      const afterWrite = await runOnce();
      steps.push({
        label: 'first runListing after a one-document write (refreshDocuments; one call)',
        medianMs: afterWrite.ms,
      });
      const settled = await runOnce();
      steps.push({ label: 'the next runListing, first query again (one call)', medianMs: settled.ms });
    } else {
      const required = toFtsQuery(search).required;
      const visible = "d.status = 'published' AND (d.publish_at IS NULL OR d.publish_at <= ?)";
      const whatIf = [
        {
          label: 'FTS5 alone: count of matches',
          sql: 'SELECT count(*) FROM document_fts WHERE document_fts MATCH ?',
          parameters: [required],
        },
        {
          label: 'Count, FTS5 as the outer loop (CROSS JOIN)',
          sql: `SELECT count(*) FROM (SELECT rowid AS id FROM document_fts WHERE document_fts MATCH ?) AS m
                CROSS JOIN documents AS d ON d.id = m.id WHERE ${visible}`,
          parameters: [required, now],
        },
        {
          label: "Count, the site's SQL with `+d.status`, `+d.publish_at` (the IN list drives rowid lookups)",
          sql: `SELECT count(*) FROM documents AS d WHERE +d.status = 'published' AND (+d.publish_at IS NULL OR +d.publish_at <= ?)
                AND d.id IN (SELECT rowid FROM document_fts WHERE document_fts MATCH ?)`,
          parameters: [now, required],
        },
        {
          label: 'Facet field, FTS5 as the outer loop (CROSS JOIN)',
          sql: `SELECT t.field_id, count(*) FROM (SELECT rowid AS id FROM document_fts WHERE document_fts MATCH ?) AS m
                CROSS JOIN documents AS d ON d.id = m.id CROSS JOIN document_fields AS t ON t.document_id = d.id
                WHERE ${visible} GROUP BY t.field_id`,
          parameters: [required, now],
        },
        {
          label: 'Visible documents, no search: count',
          sql: `SELECT count(*) FROM documents d WHERE ${visible}`,
          parameters: [now],
        },
      ];
      for (const w of whatIf) {
        statements.push({
          ...w,
          kind: 'what-if',
          plan: planOf(explain, w.sql, w.parameters),
          ...timeStatement(explain.prepare(w.sql), w.parameters),
          timedOut: false,
        });
      }
    }
    const profile: PathProfile = {
      key,
      mode,
      listingMs: median(listingTimes),
      runs,
      steps,
      statements,
      indexLoadMs,
      indexRssMb,
      matches: warm.total,
    };
    emit({ profile });
  } finally {
    explain.close();
    await store.close();
  }
}

async function profilePath(c: QueryClass, mode: 'first' | 'sql'): Promise<PathProfile | null> {
  await quiet(`profile ${c.label} [${mode}]`);
  const now = new Date().toISOString();
  let profile: PathProfile | null = null;
  let current: Message | undefined;
  const started = performance.now();
  const { killed } = await runWorker(
    ['--worker', 'profile', '--class', c.key, '--mode', mode, '--now', now],
    (m) => {
      if (m.event === 'statement') current = m;
      if (m.profile) profile = m.profile as PathProfile;
      return false;
    },
    () => performance.now() - started > CLASS_CAP_S * 1000,
  );
  const found = profile as PathProfile | null;
  if (found) {
    log(`  runListing ${ms(found.listingMs)} ms (median of ${found.runs})`);
    for (const step of found.steps) log(`  step ${step.label}: ${ms(step.medianMs)} ms`);
    for (const st of found.statements)
      log(
        `  ${st.kind === 'site' ? 'SQL' : 'what-if'} ${st.label}: ${ms(st.medianMs)} ms, ${fmt(st.rows)} rows — ${st.plan}`,
      );
  } else {
    const running = current ? ` (running: ${labelOf(String(current.sql), current.parameters as unknown[])})` : '';
    log(`  profile of ${c.label} [${mode}] did not finish within ${CLASS_CAP_S} s${killed ? running : ''}`);
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// HTTP: the site in its own process, autocannon on /search.

interface LoadResult extends LoadFigures {
  indexLoadMs: number | null;
  firstMs: number;
  quietBusy: number | undefined;
}

/** The first request's time, or Infinity when it does not finish within `capMs`. */
async function firstRequest(url: string, capMs: number): Promise<number> {
  const start = performance.now();
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(capMs) });
    await response.text();
    if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
    return performance.now() - start;
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') return Number.POSITIVE_INFINITY;
    throw error;
  }
}

/** Waits for the server's "bitmap index loaded" log line; its load time in ms, or null after the cap. */
async function waitForIndex(server: Child, capMs: number): Promise<number | null> {
  const deadline = Date.now() + capMs;
  while (Date.now() < deadline) {
    // Fully loaded: the documents' facts, then the postings of frequent words.
    const line = server
      .output()
      .split('\n')
      .find((l) => l.includes('postings of frequent words loaded') || l.includes('loaded from its snapshot'));
    if (line) return Number(/"ms":(\d+)/.exec(line)?.[1] ?? Number.NaN);
    if (/bitmap index failed|postings of frequent words failed/.test(server.output())) return null;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return null;
}

/** One target: a fresh server (no queue left by the previous target), its index, a first request, autocannon. */
async function loadTarget(file: string, label: string, q: string): Promise<LoadResult> {
  const port = await freePort();
  const origin = `http://${LOOPBACK}:${port}`;
  const runDir = fs.mkdtempSync(path.join(OUT_DIR, 'search-serve-'));
  noteSourceChange(`HTTP ${label}`, sourceFiles());
  let server: Child | undefined;
  try {
    server = startChild(
      'dateline',
      process.execPath,
      [path.join(ROOT, 'bin', 'dateline.js'), 'serve'],
      {
        ...process.env,
        PORT: String(port),
        HOST: LOOPBACK,
        DATABASE_URL: `sqlite:${file}`,
        BASE_URL: origin,
        // info, not warn: the "postings of frequent words loaded" line says when to start. Request logging is off below debug.
        LOG_LEVEL: 'info',
        MEDIA_DIR: path.join(runDir, 'media'),
        // The load generator is one address: the limit stays in the path but never refuses.
        RATE_LIMIT: '999999999',
      },
      ROOT,
    );
    await waitForHttp(`${origin}/healthz`, server, 60_000);
    const indexLoadMs = await waitForIndex(server, FIRST_REQUEST_CAP_S * 1000);
    if (indexLoadMs === null) log(`HTTP ${label}: the bitmap index did not load; measuring the SQL path`);
    const pid = server.process.pid;
    const url = `${origin}/search?q=${encodeURIComponent(q)}`;
    if (new URL(url).hostname !== LOOPBACK) throw new Error(`refusing to load anything but ${LOOPBACK}`);
    const quietBusy = await quiet(`HTTP ${label}`);
    const firstMs = await firstRequest(url, FIRST_REQUEST_CAP_S * 1000);
    log(`HTTP ${label}: first request ${ms(firstMs)} ms; ${DURATION_S} s at ${CONNECTIONS} connections — ${url}`);
    const figures = await measureLoad(label, url, { serverPid: pid, connections: CONNECTIONS, durationS: DURATION_S });
    const load: LoadResult = {
      ...figures,
      path: `/search?q=${encodeURIComponent(q)}`,
      indexLoadMs,
      firstMs,
      quietBusy,
    };
    log(
      `HTTP ${label}: ${load.requestsPerSecond.toFixed(1)} req/s, p50 ${load.p50} ms, p99 ${load.p99} ms, ${load.requests} requests, errors ${load.errors}, timeouts ${load.timeouts}, non-2xx ${load.non2xx}`,
    );
    return load;
  } finally {
    await server?.stop();
    fs.rmSync(runDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Report.

/** The index read from the database once, and kept. */
interface SnapshotFigures {
  ms: number;
  rssMb: number;
  bytes: number;
  terms: number;
}

interface Results {
  date: string;
  snapshot: SnapshotFigures;
  machine: ReturnType<typeof machine>;
  documents: number;
  dbFile: string;
  dbBytes: number;
  reused: boolean;
  build: CorpusBuild;
  facts: CorpusFacts;
  classes: ClassResult[];
  profiles: PathProfile[];
  /** Hash of src/ when the run started, and of every worker that saw other code. */
  source: { hash: string; dirty: string; changed: string[]; files?: Record<string, string> };
  http: LoadResult[] | null;
  caps: { classSeconds: number; statementSeconds: number; firstRequestSeconds: number };
  elapsedSeconds: number;
}

const verdict = (pass: boolean) => (pass ? '**PASS**' : '**MISS**');
const cores = (value: number | undefined) => (value === undefined ? '–' : value.toFixed(2));
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ');
const p95Text = (c: ClassResult | undefined) => (!c ? '–' : c.timedOut ? `> ${fmt(c.p95)}` : ms(c.p95));
const p50Text = (c: ClassResult | undefined) => (!c ? '–' : c.timedOut ? '–' : ms(c.p50));
const resultOf = (r: Results, key: string, mode: Mode) => r.classes.find((c) => c.key === key && c.mode === mode);

function earlierRuns(current: Results): Map<number, Results> {
  const byN = new Map<number, Results>();
  for (const name of fs.readdirSync(OUT_DIR)) {
    if (!/^search-\d+\.results\.json$/.test(name)) continue;
    try {
      const run = JSON.parse(fs.readFileSync(path.join(OUT_DIR, name), 'utf8')) as Results;
      // Only runs of this benchmark's present form, on the code measured now.
      if (Array.isArray(run.profiles) && run.source) byN.set(run.documents, run);
    } catch {
      // an unreadable earlier run: left out
    }
  }
  byN.set(current.documents, current);
  return byN;
}

function scalingTable(current: Results): string {
  const byN = earlierRuns(current);
  const sizes = [...byN.keys()].sort((a, b) => a - b);
  if (sizes.length < 2) return '';
  const other = (n: number) => (byN.get(n) as Results).source.hash !== current.source.hash;
  const header = `| Query class (p95 ms: first query / SQL alone) | ${sizes.map((n) => `${fmt(n)}${other(n) ? ' †' : ''}`).join(' | ')} |`;
  const notes = sizes.filter(other).map((n) => {
    const run = byN.get(n) as Results;
    const files =
      run.source.files && current.source.files ? changedFiles(run.source.files, current.source.files) : null;
    return `† ${fmt(n)} documents: measured ${run.date} on other code (${files ? files.join(', ') : `src/ ${run.source.hash}`}).`;
  });
  const rule = `| --- | ${sizes.map(() => '---:').join(' | ')} |`;
  const rows = queryClasses().map(
    (c) =>
      `| ${c.label} | ${sizes
        .map((n) => {
          const run = byN.get(n) as Results;
          return `${p95Text(resultOf(run, c.key, 'first'))} / ${p95Text(resultOf(run, c.key, 'sql'))}`;
        })
        .join(' | ')} |`,
  );
  const build = `| FTS5 index build (rebuild + checkpoint), s | ${sizes
    .map((n) => {
      const r = byN.get(n) as Results;
      return (r.build.seconds.indexBuild + r.build.seconds.checkpoint).toFixed(1);
    })
    .join(' | ')} |`;
  const bitmap = `| Bitmap index load, s | ${sizes
    .map((n) => {
      const loads = (byN.get(n) as Results).classes.flatMap((c) => (c.indexLoadMs === null ? [] : [c.indexLoadMs]));
      return loads.length > 0 ? (median(loads) / 1000).toFixed(1) : '–';
    })
    .join(' | ')} |`;
  const size = `| Database, GB | ${sizes.map((n) => gb((byN.get(n) as Results).dbBytes)).join(' | ')} |`;
  return `## Scaling (each corpus size measured on this machine; the figures are kept in bench/out/)

${header}
${rule}
${rows.join('\n')}
${build}
${bitmap}
${size}
${notes.length > 0 ? `\n${notes.join('\n')}\n` : ''}
`;
}

function statementTable(p: PathProfile): string {
  const site = p.statements.filter((st) => st.kind === 'site');
  const total = site.reduce((sum, st) => sum + st.medianMs, 0);
  const rows = site.map((st) => `| ${st.label} | ${fmt(st.rows)} | ${ms(st.medianMs)} | ${cell(st.plan)} |`);
  return `| Statement | Rows | Median ms | Plan (EXPLAIN QUERY PLAN) |
| --- | ---: | ---: | --- |
${rows.join('\n')}
| All SQL | | ${ms(total)} | |
| The rest (Kysely, JavaScript, bitmaps) | | ${ms(Math.max(0, p.listingMs - total))} | |
| runListing | | ${ms(p.listingMs)} | |`;
}

/** Kysely hands better-sqlite3 one array of parameters; what-if statements spread them. */
const flatParameters = (parameters: unknown[]) =>
  parameters.length === 1 && Array.isArray(parameters[0]) ? (parameters[0] as unknown[]) : parameters;

function profileSection(r: Results, p: PathProfile): string {
  const c = resultOf(r, p.key, p.mode) as ClassResult;
  const whatIf = p.statements.filter((st) => st.kind === 'what-if');
  const site = p.statements.filter((st) => st.kind === 'site');
  const title =
    p.mode === 'first' ? `Indexed path, first query: ${c.label}` : `SQL alone (before the index loads): ${c.label}`;
  return `### ${title} (\`${c.path}\`, ${fmt(p.matches)} matches)

Measured in the class table: p50 ${p50Text(c)} ms, p95 ${p95Text(c)} ms. One warm-up call, then ${p.runs} call${p.runs === 1 ? '' : 's'} of
runListing${p.mode === 'first' ? " (the index's cached matches emptied before each)" : ' without the index'}, every SQL
statement timed where it ran (better-sqlite3's \`prepare\` wrapped in the worker), median per statement; plans from
EXPLAIN QUERY PLAN with the same parameters:

${statementTable(p)}
${
  p.steps.length > 0
    ? `
The indexed path's steps, each called on its own through the index's public methods (median of 5 rounds after one
warm-up round, unless marked as one call):

| Step | Median ms |
| --- | ---: |
${p.steps.map((step) => `| ${step.label} | ${ms(step.medianMs)} |`).join('\n')}
`
    : ''
}${
  whatIf.length > 0
    ? `
The same answers by other SQL (better-sqlite3 directly, median of 2–9 runs):

| What-if | Rows | Median ms | Plan |
| --- | ---: | ---: | --- |
${whatIf.map((st) => `| ${st.label} | ${fmt(st.rows)} | ${ms(st.medianMs)} | ${cell(st.plan)} |`).join('\n')}
`
    : ''
}
<details><summary>The statements as run</summary>

${site.map((st) => `- ${st.label}: \`${cell(st.sql.trim())}\` with \`${cell(JSON.stringify(flatParameters(st.parameters))).slice(0, 300)}\``).join('\n')}

</details>
`;
}

function renderReport(r: Results): string {
  const m = r.machine;
  const b = r.build;
  const indexSeconds = b.seconds.indexBuild + b.seconds.checkpoint;
  const first = r.classes.filter((c) => c.mode === 'first');
  const worst = first.reduce((a, c) => (c.p95 > a.p95 ? c : a));
  const passing = first.filter((c) => c.p95 <= AIM.p95Ms);
  const repeat = r.classes.filter((c) => c.mode === 'repeat');
  const repeatPassing = repeat.filter((c) => c.p95 <= AIM.p95Ms);
  const pct = (n: number) => `${((n / r.documents) * 100).toFixed(n / r.documents < 0.001 ? 3 : 1)} %`;
  const contended = r.classes.filter((c) => (c.otherCores ?? 0) >= 0.25 || (c.quietBusy ?? 0) >= 0.25);
  const loads = r.classes.flatMap((c) => (c.indexLoadMs === null ? [] : [c.indexLoadMs]));
  const rss = r.classes.flatMap((c) => (c.indexRssMb === null ? [] : [c.indexRssMb]));
  const mainRows = queryClasses().map((q) => {
    const f = resultOf(r, q.key, 'first');
    const rep = resultOf(r, q.key, 'repeat');
    const s = resultOf(r, q.key, 'sql');
    const total = f?.total ?? rep?.total ?? s?.total ?? null;
    return `| ${q.label} | \`${pathOf(q)}\` | ${total === null ? '–' : fmt(total)} | ${p50Text(f)} | ${p95Text(f)} | ${p50Text(rep)} | ${p95Text(rep)} | ${p50Text(s)} | ${p95Text(s)} | ${f ? (f.p95 <= AIM.p95Ms ? 'PASS' : 'MISS') : '–'} |`;
  });
  const detailRows = r.classes.map(
    (c) =>
      `| ${c.label} | ${c.mode} | ${c.runs}${c.timesMs.length > 0 && c.runs === 1 && c.capped ? ' (first)' : ''}${c.capped ? ', stopped' : ''} | ${c.warmUpMs.map((w) => ms(w)).join(', ') || '–'} | ${c.timedOut ? '–' : ms(c.max)} | ${cores(c.otherCores)} |`,
  );
  const httpRows = (r.http ?? []).map(
    (h) =>
      `| ${h.label} | \`${h.path}\` | ${h.indexLoadMs === null ? 'not loaded' : fmt(h.indexLoadMs)} | ${Number.isFinite(h.firstMs) ? ms(h.firstMs) : `> ${fmt(r.caps.firstRequestSeconds * 1000)}`} | ${h.requestsPerSecond.toFixed(1)} | ${h.requests > 0 ? h.p50 : '–'} | ${h.requests > 0 ? h.p99 : '–'} | ${h.requests > 0 ? h.max : '–'} | ${fmt(h.requests)} | ${h.errors} | ${h.timeouts} | ${h.non2xx} | ${cores(h.serverCores)} | ${cores(h.otherCores)} |`,
  );
  return `# Search at scale

Produced by \`npm run bench:search -- --docs ${r.documents}${r.reused ? ' --reuse' : ''}${r.classes.some((c) => c.mode === 'sql') ? '' : ' --skip-sql'}\` (bench/search.ts) on ${r.date}
at commit ${m.commit} (src/ ${r.source.dirty}, content hash ${r.source.hash}), in ${Math.round(r.elapsedSeconds / 60)} minutes.
Overwritten on every run. The page benchmark (\`npm run bench\`) writes [RESULTS.md](RESULTS.md).
${
  r.source.changed.length > 0
    ? `\n> **Warning: src/ changed while this run went on** (${r.source.changed.join('; ')}). Files outside the measured path (src/site/ for the in-process figures) do not affect them.\n`
    : ''
}
## Aim

| Aim | Measured | Result |
| --- | --- | --- |
| Every query class p95 ≤ ${AIM.p95Ms} ms, facets included — first query through the bitmap index (no cached matches or counts) | ${passing.length} of ${first.length} classes; worst: ${worst.label}, p95 ${p95Text(worst)} ms | ${verdict(passing.length === first.length)} |
| The same, repeated query as the site runs it (index + 30-s count cache) | ${repeatPassing.length} of ${repeat.length} classes | ${verdict(repeatPassing.length === repeat.length)} |
| FTS5 index built in under ${AIM.indexSeconds / 60} minutes | ${indexSeconds.toFixed(1)} s (rebuild ${b.seconds.indexBuild.toFixed(1)} s + checkpoint ${b.seconds.checkpoint.toFixed(1)} s) | ${verdict(indexSeconds < AIM.indexSeconds)} |

## Machine and corpus

- CPU: ${m.model}, \`nproc\` = ${m.nproc}, ${m.memoryGb} GB RAM, ${m.kernel}; Node ${m.node}, SQLite ${m.sqlite}
  (better-sqlite3 12). Shared machine: before each measured class the benchmark waits up to ${QUIET_WAIT_S} s for a
  quiet second (< 0.25 cores busy); "Other CPU" is what the rest of the machine used during the class.
- Corpus (bench/corpus.ts, seed ${b.seed}): **${fmt(r.documents)} documents**, all published, dated 2000–2026 (more in
  recent years), kinds weighted (press releases 35 %, news 25 %, statements 15 %, events 10 %, publications 15 %), 1–3
  fields, 0–3 countries, one source structure, a meeting series on 10 %. Text drawn from a vocabulary of
  ${fmt(b.vocabularySize)} words with Zipf exponent ${b.zipfExponent} (function words first, the organisation's domain
  words among the frequent ones, synthetic words after): titles 6–14 words, summaries 20–40, bodies 150–500 words in
  4–8 paragraphs — ${b.words.perDocument.toFixed(0)} words per document on average, ${fmt(b.words.total)} in all;
  ${fmt(r.facts.distinctTerms)} distinct terms in the index, ${r.facts.ftsSegments} FTS5 segments after the rebuild.
- Known words (document frequencies counted in the index): rare \`${KNOWN_WORDS.rare}\` in ${fmt(r.facts.df.rare)}
  documents (${pct(r.facts.df.rare)}); common \`${KNOWN_WORDS.common}\` in ${fmt(r.facts.df.common)}
  (${pct(r.facts.df.common)}); phrase \`"${KNOWN_WORDS.phrase.join(' ')}"\` in ${fmt(r.facts.df.phrase)}
  (${pct(r.facts.df.phrase)}), its words alone in ${fmt(r.facts.df.border)} and ${fmt(r.facts.df.management)}.
  Filtered class: \`field=${FILTER_FIELD}&year=${FILTER_YEAR}\`.
- Build (${r.reused ? `reused, built ${b.builtAt}` : 'this run'}): schema and taxonomies through the application
  (\`openStore\`, \`migrate\`, \`seedTaxonomies\`) in ${b.seconds.schema.toFixed(1)} s; documents, their fields,
  countries and texts bulk-inserted through better-sqlite3 prepared statements in transactions of 20,000 documents
  (no revisions) in **${b.seconds.load.toFixed(0)} s** (${b.seconds.insert.toFixed(0)} s of it in SQLite, the rest
  generating text); then FTS5 \`INSERT INTO document_fts(document_fts) VALUES('rebuild')\` in
  **${b.seconds.indexBuild.toFixed(0)} s** (its commit includes SQLite's automatic WAL checkpoint) and a final
  \`wal_checkpoint(TRUNCATE)\` in ${b.seconds.checkpoint.toFixed(1)} s. PRAGMAs on the loading connection:
  ${b.pragmas} — synchronous=OFF is acceptable for a benchmark only. Every measurement uses the site's own
  connection settings (WAL, synchronous=NORMAL, 64 MB cache).
- Database: **${gb(r.dbBytes)} GB** after checkpoint (\`${path.relative(ROOT, r.dbFile)}\`). Largest parts:
  ${r.facts.sizes.map((s) => `${s.name} ${gb(s.bytes)} GB`).join(', ')}.
- Bitmap index (src/listing/bitmap-index.ts: the documents' facts, then the postings of the ${fmt(r.snapshot.terms)} words in at least
  ${fmt(FREQUENT_TERM_MIN_DOCUMENTS)} documents, every term of the index, and per three-letter prefix the documents of its rarer terms,
  src/listing/term-postings.ts): read from the database once in ${(r.snapshot.ms / 1000).toFixed(1)} s, as at a site's first start,
  about ${r.snapshot.rssMb.toFixed(0)} MB more resident memory after garbage collection (up to 64 MB of it SQLite's page cache,
  filled by the load), and kept as a ${(r.snapshot.bytes / 1024 ** 2).toFixed(0)} MB snapshot beside the database. Each worker and
  each server then starts from that snapshot, as the site does at every later start: restored in ${loads.length > 0 ? `${(median(loads) / 1000).toFixed(2)} s` : '–'}
  (median of the workers), about ${rss.length > 0 ? `${median(rss).toFixed(0)} MB` : '–'} more resident memory.
- Warm cache: the file fits in this machine's page cache; the figures are for a warm server.

## Query classes (runListing in-process, facets on)

One run = one call of \`runListing(db, filter, now, { facets: true, ... })\` — the page, the total, the 5 facet
counts and the snippets of one /search request before rendering — in a worker process of the benchmark (so that a
run that takes minutes can be stopped), three ways:

- **first query**: through the bitmap index, with the index's cached matches emptied before each run and no count
  cache — what a query text costs when nobody asked for it since the last write. The postings of frequent words stay:
  like the facet bitmaps they are part of the loaded index, not of any query;
- **repeated**: as the search page calls it (index and a 30-s count cache), the same query again and again;
- **SQL alone**: without the index, as the site answers while the index loads after a start.

Each: ${WARM_UP_RUNS} warm-up runs (1 when a run takes over 2 s), then up to ${RUNS} runs, stopping after ~${CLASS_BUDGET_S} s
once ${MIN_RUNS} are done, and at ${r.caps.classSeconds} s in any case. With fewer than 20 runs p95 is the slowest run.

| Query class | Path | Matches | First p50 | First p95 | Repeated p50 | Repeated p95 | SQL p50 | SQL p95 | First ≤ ${AIM.p95Ms} ms |
| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |
${mainRows.join('\n')}

All times in ms.
${
  contended.length > 0
    ? `CPU contention: other work used ≥ 0.25 cores during or right before ${contended.length} of the ${r.classes.length} measurements (see "Other CPU" below); those figures are pessimistic.`
    : 'No CPU contention from other work during the measurements (other CPU < 0.25 cores).'
}

<details><summary>Runs, warm-up runs, slowest run and other CPU per measurement</summary>

| Query class | Mode | Runs | Warm-up runs, ms | max ms | Other CPU |
| --- | --- | ---: | --- | ---: | ---: |
${detailRows.join('\n')}

</details>

${scalingTable(r)}## Where the time goes

${r.profiles.map((p) => profileSection(r, p)).join('\n')}
## HTTP (the site in its own process, autocannon, ${CONNECTIONS} connections, ${DURATION_S} s each, 127.0.0.1)

${
  r.http
    ? `| Target | Path | Index loaded after, ms | First request ms | Requests/s | p50 ms | p99 ms | max ms | Requests | Errors | Timeouts (10 s) | Non-2xx | Server CPU | Other CPU |
| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${httpRows.join('\n')}

\`node bin/dateline.js serve\` on the benchmark database, one Node process, no page cache, LOG_LEVEL=info (request
logging is off below debug; the "postings of frequent words loaded" line tells when to start). A fresh server for each target; after
the index has loaded, one request (a first query: its matches and counts not cached yet), then autocannon — the same
query ${CONNECTIONS} at a time, so counts and matches come from the caches and each request ranks, reads and renders its page.
Latency columns count answered requests only; a request unanswered after 10 s is a timeout.`
    : 'Skipped (--skip-http).'
}

## Findings and suggestions

${suggestions(r)}
`;
}

/** The analysis, with this run's figures (the wording was written against the 1,000,000-document run). */
function suggestions(r: Results): string {
  const step = (p: PathProfile | undefined, label: string) => {
    const found = p?.steps.find((x) => x.label.startsWith(label));
    return found ? `${ms(found.medianMs)} ms` : 'not measured';
  };
  const sql = (p: PathProfile | undefined, label: string, exact = false) => {
    const found = p?.statements.filter((x) => (exact ? x.label === label : x.label.startsWith(label)));
    return found && found.length > 0 ? `${ms(found.reduce((sum, x) => sum + x.medianMs, 0))} ms` : 'none';
  };
  const c = (key: string, mode: Mode) => resultOf(r, key, mode);
  const first = r.classes.filter((k) => k.mode === 'first');
  const misses = first.filter((k) => k.p95 > AIM.p95Ms);
  const firstWorst = first.reduce<ClassResult | undefined>((a, k) => (!a || k.p95 > a.p95 ? k : a), undefined);
  const repeatWorst = r.classes
    .filter((k) => k.mode === 'repeat')
    .reduce<ClassResult | undefined>((a, k) => (!a || k.p95 > a.p95 ? k : a), undefined);
  const relevance = r.profiles.find((p) => p.mode === 'first' && resultOf(r, p.key, 'first')?.sort === 'relevance');
  const newest = r.profiles.find((p) => p.mode === 'first' && resultOf(r, p.key, 'first')?.sort === 'newest');
  const sqlPath = r.profiles.find((p) => p.mode === 'sql');
  const loads = r.classes.flatMap((k) => (k.indexLoadMs === null ? [] : [k.indexLoadMs]));
  const loadS = loads.length > 0 ? `${(median(loads) / 1000).toFixed(2)} s` : '–';
  const http = (label: string) => r.http?.find((h) => h.label === label);
  const sqlP95 = r.classes.filter((k) => k.mode === 'sql').map((k) => k.p95);
  const sqlRange =
    sqlP95.length > 0 ? `has p95 from ${ms(Math.min(...sqlP95))} to ${ms(Math.max(...sqlP95))} ms` : 'was not measured';
  const perRequest = (h: LoadResult | undefined) =>
    h
      ? `${Math.round(h.requestsPerSecond)} req/s, p99 ${h.p99} ms (first request ${ms(h.firstMs)} ms)`
      : 'not measured';
  const profileLine = (p: PathProfile | undefined) =>
    p
      ? `${c(p.key, 'first')?.label} (${fmt(p.matches)} matches): runListing ${ms(p.listingMs)} ms — matching ids and filters ${step(p, 'matching ids')}, of which FTS5 statements ${sql(p, 'FTS5 matching ids', true)}; total and 5 facets ${step(p, 'total and 5 facet')}; page ids ${step(p, 'page ids')}${p.statements.some((x) => x.label.startsWith('FTS5 matching ids:')) ? ` (title-tier FTS5 statement ${sql(p, 'FTS5 matching ids: title')}, summary ${sql(p, 'FTS5 matching ids: summary')})` : ''}; rows ${sql(p, 'page rows')}; snippets ${sql(p, 'snippets')}.`
      : '';
  return `1. **Verdict.** Through the bitmap index, ${first.length - misses.length} of ${first.length} classes meet p95 ≤ ${AIM.p95Ms} ms on a
   first query${misses.length > 0 ? `; the misses are ${misses.map((k) => `${k.label} (${p95Text(k)} ms)`).join(', ')}` : ''}; the slowest is ${firstWorst ? `${firstWorst.label} at ${p95Text(firstWorst)} ms` : '–'}.
   Repeated queries (the site's 30-s count cache and cached matches) all pass: the slowest is ${repeatWorst ? `${repeatWorst.label} at ${p95Text(repeatWorst)} ms` : '–'}.
   Over HTTP, 32 connections: rare word ${perRequest(http('Rare word'))}; common word ${perRequest(http('Common word'))}.
   SQL alone (while the index loads) ${sqlRange}.
2. **A first query of a common word no longer reads FTS5.** The index holds the postings of every term in at least
   ${fmt(FREQUENT_TERM_MIN_DOCUMENTS)} documents (all documents, title, summary: src/listing/term-postings.ts, decision 0007), loaded after
   the documents' facts; a "first query" here empties the index's cached matches but not those postings, which are part
   of the loaded index like the facet bitmaps. A word in 40 % of the documents is then bitmap algebra: its first query
   takes ${p50Text(c('common', 'first'))} ms at p50 and ${p95Text(c('common', 'first'))} ms at p95 (${p95Text(c('common-newest', 'first'))} ms sorted by date), where reading its 400,000 ids
   from FTS5 took 129 ms at p95 before.
   A prefix (\`sec*\`) is the postings of the held terms it starts, with the documents of a three-letter prefix's
   rarer terms held together beside them (a longer prefix's rarer terms are read by id); phrases and rarer words
   still come from FTS5. The slowest first queries:
   ${profileLine(relevance)}
   ${profileLine(newest)}
   Most of it is two FTS5 statements over the same position lists: the phrase's matches, then its title matches for
   the first relevance tier (the summary tier is read only for pages past the title matches). Narrowing a phrase to the
   documents holding all its words (from the postings) would not help: FTS5 reads the whole position lists either way.
3. **Writes.** ${relevance ? `The first runListing after the index loaded took ${step(relevance, 'first runListing after the index loaded')}; after a one-document \`refreshDocuments\` (what a write costs the index: its facts re-read, the date order patched with block copies, the document's words re-tokenised for the postings, cached matches dropped) the next took ${step(relevance, 'first runListing after a one-document write')} (then ${step(relevance, 'the next runListing')}), i.e. a write adds next to nothing to the next query.` : 'Not measured'}
   Before, a write dropped the date order and the next listing re-sorted every published document (360–400 ms).
4. **Start-up.** Read from the database, the index — facts, then postings — takes ${(r.snapshot.ms / 1000).toFixed(1)} s at ${fmt(r.documents)} documents
   (~${r.snapshot.rssMb.toFixed(0)} MB more resident memory, up to 64 MB of it SQLite's page cache filled by the load).
   Listings switch to it as soon as the facts are in, before the postings, and \`/readyz\` turns from 503 to 200
   then; until then /search runs on SQL: ${c('common', 'sql') ? `a common word takes ${p95Text(c('common', 'sql'))} ms at p95, a rare one ${p95Text(c('rare', 'sql'))} ms` : 'not measured'}.
   ${sqlPath ? `${c(sqlPath.key, 'sql')?.label}, on SQL alone: page ${sql(sqlPath, 'page', true)}, count ${sql(sqlPath, 'count')}, facets ${sql(sqlPath, 'facet')}, snippets ${sql(sqlPath, 'snippets')}; each counting statement walks every visible document and tests it against the FTS5 matches.` : ''}
   Every later start restores the snapshot the first one kept instead (${fmt(Math.round(r.snapshot.bytes / 1024 ** 2))} MB): ${loadS} here, in each
   worker; bench/RESTART-RESULTS.md measures a server's whole start.
5. **FTS5 index build**: ${(r.build.seconds.indexBuild + r.build.seconds.checkpoint).toFixed(0)} s for ${fmt(r.documents)} documents, within the aim. \`reindex\` does it inside one
   transaction, so the WAL grows by about the size of the index (${gb(r.facts.sizes.filter((x) => x.name.startsWith('document_fts')).reduce((sum, x) => sum + x.bytes, 0))} GB here) until the checkpoint: plan
   the disk for it.
6. **Ranking.** Whether a query is ranked exactly (bm25) or in tiers depends on how many documents match the words
   alone (EXACT_RANKING_LIMIT = ${fmt(EXACT_RANKING_LIMIT)}), not on how many remain after the filters; the SQL path (before the
   index loads) always ranks by bm25, so during those seconds a page of a very common word can be ordered differently.`;
}

// ---------------------------------------------------------------------------------------------

/** RESULTS.md (rewritten by bench/run.ts, which writes the same line) links to the search results. */
function linkFromResults(): void {
  const file = path.join(ROOT, 'bench', 'RESULTS.md');
  if (!fs.existsSync(file)) return;
  const text = fs.readFileSync(file, 'utf8');
  if (text.includes('SEARCH-RESULTS.md')) return;
  const line = 'Search at scale (`npm run bench:search`): [SEARCH-RESULTS.md](SEARCH-RESULTS.md).';
  fs.writeFileSync(file, text.replace(/^(Produced by .*\n)/m, `$1\n${line}\n`));
}

async function main(): Promise<void> {
  const started = performance.now();
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const buildFile = path.join(OUT_DIR, `search-${DOCUMENTS}.build.json`);
  const resultsJson = path.join(OUT_DIR, `search-${DOCUMENTS}.results.json`);
  if (args['render-only']) {
    fs.writeFileSync(RESULTS_FILE, renderReport(JSON.parse(fs.readFileSync(resultsJson, 'utf8')) as Results));
    formatMarkdown(RESULTS_FILE);
    log(`wrote ${path.relative(ROOT, RESULTS_FILE)} from ${path.relative(ROOT, resultsJson)}`);
    return;
  }

  let build: CorpusBuild;
  const reused = args.reuse && fs.existsSync(DB_FILE) && fs.existsSync(buildFile);
  if (args.reuse && !reused) log(`--reuse: no complete ${path.relative(ROOT, DB_FILE)} yet, building it`);
  if (reused) {
    build = JSON.parse(fs.readFileSync(buildFile, 'utf8')) as CorpusBuild;
    log(`reusing ${path.relative(ROOT, DB_FILE)} (${gb(fileBytes(DB_FILE))} GB, built ${build.builtAt})`);
  } else {
    const free = freeDiskBytes(OUT_DIR);
    // About 8 KB per document in the file, and the FTS5 index again in the WAL while it is built.
    const needed = DOCUMENTS * 12 * 1024;
    log(`free disk ${gb(free)} GB; this corpus needs about ${gb(needed)} GB at most`);
    if (free < needed + 5 * 1024 ** 3) throw new Error(`not enough disk space for ${DOCUMENTS} documents`);
    fs.rmSync(buildFile, { force: true });
    await quiet('build');
    build = await buildCorpus({
      file: DB_FILE,
      documents: DOCUMENTS,
      budgetSeconds: BUILD_BUDGET_S,
      maxBytes: MAX_BYTES,
      log: (line) => log(`build: ${line}`),
    });
    fs.writeFileSync(buildFile, `${JSON.stringify(build, null, 2)}\n`);
  }
  const dbBytes = fileBytes(DB_FILE);
  log('corpus facts: document frequencies, distinct terms, size by table');
  const factsStart = performance.now();
  const facts = corpusFacts(DB_FILE);
  log(
    `df rare ${facts.df.rare}, common ${facts.df.common}, phrase ${facts.df.phrase}; ${facts.distinctTerms} terms, ${facts.ftsSegments} segments (${((performance.now() - factsStart) / 1000).toFixed(1)} s)`,
  );

  const only = args.only ? new Set(args.only.split(',').map((entry) => entry.trim())) : null;
  const previous =
    only && fs.existsSync(resultsJson) ? (JSON.parse(fs.readFileSync(resultsJson, 'utf8')) as Results) : null;
  if (only && !previous) throw new Error(`--only needs the figures of a previous run in ${resultsJson}`);
  // Read once from the database and kept, as the site's first start does; every worker and both
  // servers then start from the snapshot, as the site's later starts do.
  log('index: read from the database, then kept as a snapshot');
  await quiet('index');
  let snapshot: SnapshotFigures | null = null;
  await runWorker(
    ['--worker', 'index'],
    (message) => {
      if (message.phase === 'snapshot') snapshot = message as unknown as SnapshotFigures;
      return false;
    },
    () => false,
  );
  if (!snapshot) throw new Error('the index worker reported no snapshot');
  const kept = snapshot as SnapshotFigures;
  log(
    `index: ${(kept.ms / 1000).toFixed(1)} s from the database, ${fmt(kept.terms)} terms' postings, snapshot ${(kept.bytes / 1024 ** 2).toFixed(0)} MB`,
  );
  const classes: ClassResult[] = [];
  for (const { mode } of MODES) {
    if (mode === 'sql' && args['skip-sql']) continue;
    for (const c of queryClasses()) {
      const kept = only && !only.has(`${c.key}:${mode}`) ? resultOf(previous as Results, c.key, mode) : undefined;
      if (kept) log(`${c.label} [${mode}]: kept from the run of ${(previous as Results).date}`);
      classes.push(kept ?? (await measureClass(c, mode)));
    }
  }
  const slowest = (mode: Mode, sort?: string) =>
    classes
      .filter((c) => c.mode === mode && (sort === undefined || c.sort === sort))
      .reduce<ClassResult | undefined>((a, c) => (!a || c.p95 > a.p95 ? c : a), undefined);
  // The indexed path's slowest first query by relevance and by date (two code paths), and SQL alone's slowest.
  const profiles: PathProfile[] = [];
  for (const [c, mode] of [
    [slowest('first', 'relevance'), 'first'],
    [slowest('first', 'newest'), 'first'],
    [slowest('sql'), 'sql'],
  ] as const) {
    if (!c) continue;
    log(`profile: ${c.label} [${mode}]`);
    const profile = await profilePath(c, mode);
    if (profile) profiles.push(profile);
  }
  const http = args['skip-http']
    ? null
    : [
        await loadTarget(DB_FILE, 'Rare word', KNOWN_WORDS.rare),
        await loadTarget(DB_FILE, 'Common word', KNOWN_WORDS.common),
      ];

  noteSourceChange('end of the run', sourceFiles());
  const results: Results = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    machine: machine(),
    documents: DOCUMENTS,
    dbFile: DB_FILE,
    dbBytes,
    reused,
    build,
    facts,
    snapshot: snapshot as SnapshotFigures,
    classes,
    profiles,
    source: { hash: SOURCE_HASH, dirty: SOURCE_DIRTY, changed: [...sourceChanges], files: SOURCE_FILES },
    http,
    caps: { classSeconds: CLASS_CAP_S, statementSeconds: STATEMENT_CAP_S, firstRequestSeconds: FIRST_REQUEST_CAP_S },
    elapsedSeconds: (performance.now() - started) / 1000,
  };
  fs.writeFileSync(resultsJson, `${JSON.stringify(results, null, 2)}\n`);
  fs.writeFileSync(RESULTS_FILE, renderReport(results));
  formatMarkdown(RESULTS_FILE);
  linkFromResults();
  log(`wrote ${path.relative(ROOT, RESULTS_FILE)} in ${Math.round(results.elapsedSeconds)} s`);
}

async function worker(kind: string): Promise<void> {
  emit({ sourceFiles: SOURCE_FILES });
  const key = args.class ?? '';
  const now = args.now ?? '';
  if (kind !== 'index' && (!key || !now)) throw new Error('a worker needs --class and --now');
  if (kind === 'index') await indexWorker(DB_FILE);
  else if (kind === 'class') await classWorker(DB_FILE, key, (args.mode ?? 'first') as Mode, now);
  else if (kind === 'profile') await profileWorker(DB_FILE, key, (args.mode ?? 'first') as 'first' | 'sql', now);
  else throw new Error(`unknown worker ${kind}`);
}

(args.worker ? worker(args.worker) : main()).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
