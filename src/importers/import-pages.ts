// Imports legacy pages as documents, from files or whole folders of an archive. Each page is
// read, resolved and written atomically (a savepoint; commits are grouped): a malformed page
// stores nothing of itself, the pages before it stay. Re-importing a page updates it (a new
// revision), never duplicates it.
import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { slugFor } from '../documents/slug.ts';
import { type DocumentInput, type DocumentWriter, snapshotOf } from '../documents/writer.ts';
import { AppError, ImportFormatError, SlugTakenError } from '../errors.ts';
import type { Country } from '../store/schema.ts';
import type { Store, Tx } from '../store/store.ts';
import type { Catalog } from '../taxonomy/catalog.ts';
import { escapeHtml } from '../text/escape-html.ts';
import { type LegacyPage, parseLegacyPage } from './legacy-page.ts';

export type ImportOutcome = 'created' | 'updated' | 'unchanged';

export interface ImportResult {
  file: string;
  documentId: number;
  outcome: ImportOutcome;
  title: string;
}

/** A page, or a path, that could not be imported. */
export interface ImportFailure {
  file: string;
  /** 1-based; null when the file could not be read at all (there is no line to point at). */
  line: number | null;
  reason: string;
}

export interface ImportSummary {
  /** Pages found: the files named, and the page files in the folders named. */
  pages: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Pages and paths that failed: `failures.length`. */
  failed: number;
  /** Files in the folders that are not pages (see `isPageFile`). */
  skipped: number;
  /** Pages not tried because a failure stopped the run. */
  notTried: number;
  /** A failure ended the run (never with `keepGoing`). */
  stopped: boolean;
  failures: ImportFailure[];
}

export interface ImportArchiveOptions {
  /** Go on past malformed or unreadable pages (default: stop at the first one). */
  keepGoing?: boolean;
  /** After each page, whatever its outcome: how many of the pages found are done. */
  onProgress?: (done: number, total: number) => void;
  /** After each page stored or found unchanged. */
  onPage?: (result: ImportResult) => void;
}

/** The extension of the bundled pages (data/pages/*.txt): in a folder, only such files are pages. */
export const PAGE_EXTENSION = '.txt';

/** Whether a file found in a folder is a page; archives copied from Windows may say ".TXT". */
export const isPageFile = (name: string): boolean => name.toLowerCase().endsWith(PAGE_EXTENSION);

/** "file:line: reason", or "file: reason" for a file that could not be read. */
export const describeFailure = (failure: ImportFailure): string =>
  `${failure.file}${failure.line === null ? '' : `:${failure.line}`}: ${failure.reason}`;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Compiled once per catalogue: building ~70 patterns for every page cost more than parsing it. */
const countryPatterns = new WeakMap<Catalog, { country: Country; pattern: RegExp }[]>();

function countryPatternsOf(catalog: Catalog) {
  let patterns = countryPatterns.get(catalog);
  if (!patterns) {
    patterns = catalog.countries.map((country) => ({
      country,
      pattern: new RegExp(`(^|[^\\p{L}])${escapeRegExp(country.name)}(?![\\p{L}])`, 'u'),
    }));
    countryPatterns.set(catalog, patterns);
  }
  return patterns;
}

/** Countries a page is about: those it names, its place's country, and a chairpersonship it cites. */
function inferCountryIds(page: LegacyPage, catalog: Catalog): number[] {
  const text = `${page.title}\n${page.paragraphs.join('\n')}`;
  const ids = new Set<number>();
  // Each city of the place ("Chisinau/Vienna").
  const places = (page.place ?? '').split('/').map((place) => place.trim().toLowerCase());
  for (const { country, pattern } of countryPatternsOf(catalog)) {
    // The plain substring test first: most pages name few countries, and it is ~50× cheaper than the pattern.
    if (text.includes(country.name) && pattern.test(text)) ids.add(country.id);
    if (country.capital && places.includes(country.capital.toLowerCase())) ids.add(country.id);
  }
  const chair = catalog.chairpersonships.get(Number(page.date.slice(0, 4)));
  if (
    chair?.country &&
    new RegExp(`\\b${escapeRegExp(chair.adjective)}\\s+(OSCE\\s+)?Chair(man|person)ship`).test(text)
  ) {
    ids.add(chair.country.id);
  }
  return [...ids];
}

/** Turns a parsed page into a document, resolving its labels against the taxonomies. */
export function resolveLegacyPage(page: LegacyPage, file: string, catalog: Catalog): DocumentInput {
  const sourceIds = page.sources.map((name, index) => {
    const source = catalog.structureByName(name);
    if (!source) throw new ImportFormatError(file, page.lines.sources[index] ?? 1, `unknown source "${name}"`);
    return source.id;
  });
  const fieldIds = page.fieldsOfWork.map((name) => {
    const field = catalog.fieldByName(name);
    if (!field)
      throw new ImportFormatError(file, (page.lines.fieldsOfWork ?? 0) + 1, `unknown field of work "${name}"`);
    return field.id;
  });
  const namedCountryIds = page.countries.map((name) => {
    const country = catalog.countryByName(name);
    if (!country) throw new ImportFormatError(file, (page.lines.countries ?? 0) + 1, `unknown country "${name}"`);
    return country.id;
  });
  const slug = slugFor(page.title);
  return {
    kind: page.kind,
    slug,
    language: page.language,
    title: page.title,
    summary: page.paragraphs[0] ?? '',
    bodyHtml: page.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n'),
    datedAt: `${page.date}T00:00:00.000Z`,
    // An archive: the page went public on its date.
    publishedAt: `${page.date}T00:00:00.000Z`,
    place: page.place,
    sourceIds,
    status: 'published',
    legacyKey: `legacy:${page.kind}:${page.language}:${page.date}:${slug}`,
    fieldIds,
    countryIds: [...new Set([...namedCountryIds, ...inferCountryIds(page, catalog)])],
  };
}

const FS_REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is not a folder',
  ELOOP: 'too many symbolic links',
};

/** Says why a file or folder cannot be read, in words, with the system's code for searching. */
function unreadable(file: string, error: unknown, what: 'file' | 'folder' = 'file'): ImportFailure {
  const code = (error as NodeJS.ErrnoException).code;
  const why = (code && FS_REASONS[code]) || (error as Error).message;
  return { file, line: null, reason: `cannot read the ${what}: ${why}${code ? ` (${code})` : ''}` };
}

function failureOf(error: ImportFormatError): ImportFailure {
  // The message is "file:line: reason" (errors.ts); a failure keeps the three apart.
  const prefix = `${error.file}:${error.line}: `;
  const reason = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
  return { file: error.file, line: error.line > 0 ? error.line : null, reason };
}

export interface PageFiles {
  files: string[];
  skipped: number;
  failures: ImportFailure[];
}

/** Walks a folder in name order (code units, so the same on every machine and locale). */
function walkFolder(folder: string, found: PageFiles, add: (file: string) => void): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    found.failures.push(unreadable(folder, error, 'folder'));
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    // Hidden entries are tools' files (.git, .DS_Store), never pages.
    if (entry.name.startsWith('.')) continue;
    const full = path.join(folder, entry.name);
    // Links to folders are not followed: a link to a parent would loop.
    if (entry.isDirectory()) walkFolder(full, found, add);
    else if ((entry.isFile() || entry.isSymbolicLink()) && isPageFile(entry.name)) add(full);
    else found.skipped += 1;
  }
}

/**
 * The pages under some paths, in a deterministic order: each path in the order given, a folder
 * walked recursively in name order. A file named is a page whatever its extension; in folders,
 * only `isPageFile` files are. A file reached twice is imported once.
 * @example findPageFiles(['data/pages']).files // ['data/pages/2007-09-11-osce-….txt', 'data/pages/about-us.txt']
 */
export function findPageFiles(paths: readonly string[]): PageFiles {
  const found: PageFiles = { files: [], skipped: 0, failures: [] };
  const seen = new Set<string>();
  const add = (file: string) => {
    const key = path.resolve(file);
    if (seen.has(key)) return;
    seen.add(key);
    found.files.push(file);
  };
  for (const given of paths) {
    let stats: fs.Stats;
    try {
      stats = fs.statSync(given);
    } catch (error) {
      found.failures.push(unreadable(given, error));
      continue;
    }
    if (stats.isDirectory()) walkFolder(given, found, add);
    else add(given);
  }
  return found;
}

/** The line of the first byte that is not UTF-8 (decoding turns it into U+FFFD). */
function firstNonUtf8Line(bytes: Buffer): number {
  const text = bytes.toString('utf8');
  const at = text.indexOf('\uFFFD');
  return text.slice(0, Math.max(at, 0)).split('\n').length;
}

/** @throws ImportFormatError for text that is not UTF-8: storing mojibake would be silent loss. */
function readPageText(file: string): string {
  const bytes = fs.readFileSync(file);
  // A NUL byte: leave it to the parser, which names a binary file as such.
  if (!bytes.includes(0) && !isUtf8(bytes)) {
    throw new ImportFormatError(
      file,
      firstNonUtf8Line(bytes),
      'the file is not UTF-8 text (convert it first, e.g. iconv -f WINDOWS-1252 -t UTF-8)',
    );
  }
  return bytes.toString('utf8');
}

/** Creates, updates or leaves alone the page's document, keyed by its legacy key. */
async function storePage(tx: Tx, writer: DocumentWriter, file: string, input: DocumentInput): Promise<ImportResult> {
  const existing = await tx
    .selectFrom('documents')
    .select(['id', 'revision'])
    .where('legacy_key', '=', input.legacyKey ?? '')
    .executeTakeFirst();
  if (!existing) {
    const documentId = await writer.create(tx, input, `Imported from ${file}`);
    return { file, documentId, outcome: 'created', title: input.title };
  }
  const latest = await tx
    .selectFrom('document_revisions')
    .select('snapshot')
    .where('document_id', '=', existing.id)
    .where('revision', '=', existing.revision)
    .executeTakeFirst();
  const outcome: ImportOutcome = latest?.snapshot === snapshotOf(input) ? 'unchanged' : 'updated';
  if (outcome === 'updated') await writer.update(tx, existing.id, existing.revision, input, `Re-imported from ${file}`);
  return { file, documentId: existing.id, outcome, title: input.title };
}

type PageAttempt = { ok: true; result: ImportResult } | { ok: false; failure: ImportFailure };

/**
 * Runs `work` so that it stores all of its writes or none, inside a larger transaction: a failed
 * page is rolled back alone. Savepoints are standard SQL (SQLite and PostgreSQL alike).
 */
async function atomically<T>(tx: Tx, work: () => Promise<T>): Promise<T> {
  await sql`SAVEPOINT import_page`.execute(tx);
  try {
    const result = await work();
    await sql`RELEASE SAVEPOINT import_page`.execute(tx);
    return result;
  } catch (error) {
    await sql`ROLLBACK TO SAVEPOINT import_page`.execute(tx);
    await sql`RELEASE SAVEPOINT import_page`.execute(tx);
    throw error;
  }
}

/** One page, atomically. Errors that are not the page's fault (the disk, the database) propagate. */
async function importPage(tx: Tx, writer: DocumentWriter, catalog: Catalog, file: string): Promise<PageAttempt> {
  let text: string;
  try {
    text = readPageText(file);
  } catch (error) {
    return { ok: false, failure: error instanceof ImportFormatError ? failureOf(error) : unreadable(file, error) };
  }
  let page: LegacyPage;
  let input: DocumentInput;
  try {
    page = parseLegacyPage(text, file);
    input = resolveLegacyPage(page, file, catalog);
  } catch (error) {
    if (error instanceof ImportFormatError) return { ok: false, failure: failureOf(error) };
    throw error;
  }
  try {
    return { ok: true, result: await atomically(tx, () => storePage(tx, writer, file, input)) };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    // A title whose address another document has (same kind and language, another date): point at the title.
    const line = error instanceof SlugTakenError ? page.lines.type + 1 : page.lines.type;
    return { ok: false, failure: { file, line, reason: error.message } };
  }
}

/**
 * Pages are committed in groups, at most this long apart, each page atomic within its group. A
 * commit per page wrote 5× as much to disk (each commit appends every page it touched to the WAL,
 * then checkpoints) and took about twice as long (docs/decisions/0011). A crash loses at most this
 * much uncommitted work, which a re-run redoes; other writers wait for the lock at most this long.
 */
export const COMMIT_EVERY_MS = 200;

/**
 * Imports every page under `paths` (files or folders, see `findPageFiles`), each atomically: a
 * malformed page stores nothing of itself, the others are kept. Without `keepGoing` the first
 * failure (a path that cannot be read, a malformed page) stops the run, after committing the
 * pages before it; a path that cannot be read stops it before any page is tried.
 * @example const summary = await importArchive(store, writer, catalog, ['archive/'], { keepGoing: true });
 */
export async function importArchive(
  store: Store,
  writer: DocumentWriter,
  catalog: Catalog,
  paths: readonly string[],
  options: ImportArchiveOptions = {},
): Promise<ImportSummary> {
  const { files, skipped, failures } = findPageFiles(paths);
  const summary: ImportSummary = {
    pages: files.length,
    created: 0,
    updated: 0,
    unchanged: 0,
    failed: 0,
    skipped,
    notTried: 0,
    stopped: false,
    failures,
  };
  let done = 0;
  const mustStop = () => !options.keepGoing && summary.failures.length > 0;
  const more = () => done < files.length && !mustStop();
  if (more()) options.onProgress?.(0, files.length);
  while (more()) {
    await store.transaction(async (tx) => {
      const started = performance.now();
      do {
        const attempt = await importPage(tx, writer, catalog, files[done] as string);
        done += 1;
        if (attempt.ok) {
          summary[attempt.result.outcome] += 1;
          options.onPage?.(attempt.result);
        } else {
          summary.failures.push(attempt.failure);
        }
        options.onProgress?.(done, files.length);
      } while (more() && performance.now() - started < COMMIT_EVERY_MS);
    });
    // Between commits the event loop gets a turn: the progress bar's timer, signals.
    await new Promise((resolve) => setImmediate(resolve));
  }
  summary.stopped = mustStop();
  summary.notTried = files.length - done;
  summary.failed = summary.failures.length;
  return summary;
}

/**
 * All-or-error import of known-good pages (the bundled ones): the pages before a failure stay.
 * @throws ImportFormatError for the first malformed page, or the system's error for an unreadable one.
 * @example await importLegacyPages(store, writer, catalog, ['data/pages/about-us.txt'])
 */
export async function importLegacyPages(
  store: Store,
  writer: DocumentWriter,
  catalog: Catalog,
  files: readonly string[],
): Promise<ImportResult[]> {
  const results: ImportResult[] = [];
  const summary = await importArchive(store, writer, catalog, files, { onPage: (result) => results.push(result) });
  const [failure] = summary.failures;
  if (!failure) return results;
  if (failure.line === null) throw new Error(describeFailure(failure));
  throw new ImportFormatError(failure.file, failure.line, failure.reason);
}
