// `dateline import-page`: the command line around the archive importer — its arguments, the
// progress bar, the summary and the report file.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../clock.ts';
import { writerFor } from '../compose.ts';
import { loadConfig } from '../config.ts';
import {
  COMMIT_EVERY_MS,
  describeFailure,
  type ImportSummary,
  importArchive,
  isPageFile,
  PAGE_EXTENSION,
} from '../importers/import-pages.ts';
import { openStore } from '../store/store.ts';
import { loadCatalog } from '../taxonomy/catalog.ts';
import { progressReporter } from './progress.ts';
import { type CommandIo, UsageError } from './usage.ts';

const IMPORT_PAGE_USAGE = `Usage: dateline import-page [--keep-going] [--report FILE] PATH...

Run "dateline import-page --help" for what counts as a page and what each option does.`;

export const IMPORT_PAGE_HELP = `Usage: dateline import-page [--keep-going] [--report FILE] PATH...

Imports pages in the legacy capture format (the site menu, then one content block) as documents.

What counts as a page:
  A PATH is a page file or a folder. A file named on the command line is a page whatever its
  name. Folders are read recursively, in name order: there, every file ending in ${PAGE_EXTENSION} (any case,
  like the bundled pages in data/pages/) is a page, and other files are skipped and counted.
  Hidden files and folders (names starting with ".") are ignored; links to folders are not followed.

Each page is stored atomically: a malformed page stores nothing of itself, and the pages
imported before it stay (commits are grouped, at most ${COMMIT_EVERY_MS} ms apart). Re-importing a page
updates its document (a new revision) or leaves it unchanged; it never makes a duplicate.

Options:
  --keep-going    Go on past malformed or unreadable pages and list them at the end
                  (default: stop at the first one, naming its file, line and reason)
  --report FILE   Also write the summary (counts and failures) to FILE as JSON
  -h, --help      Show this help

A progress bar is drawn on standard error when it is a terminal. The run ends with a summary:
pages created, updated, unchanged and failed, and each failure with its file, line and reason.

Exit status: 0 when every page was imported, 1 when any failed, 2 for a usage error.`;

interface ImportPageArgs {
  paths: string[];
  keepGoing: boolean;
  report: string | null;
}

/** Every argument checked before the database is opened: a typo must not cost a long run. */
function parseImportPageArgs(args: string[]): ImportPageArgs | 'help' {
  let parsed: { values: { 'keep-going'?: boolean; report?: string; help?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({
      args,
      options: { 'keep-going': { type: 'boolean' }, report: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    // node:util's messages name the option ("Unknown option '--force'"); this command's usage follows.
    if (!(error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) throw error;
    throw new UsageError(`import-page: ${(error as Error).message}`, IMPORT_PAGE_USAGE);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length === 0) {
    throw new UsageError('import-page needs at least one PATH (a page file or a folder of pages)', IMPORT_PAGE_USAGE);
  }
  if (positionals.some((given) => given.trim() === '')) {
    throw new UsageError('import-page: a PATH is empty', IMPORT_PAGE_USAGE);
  }
  const report = values.report === undefined ? null : checkedReportFile(values.report, positionals);
  return { paths: positionals, keepGoing: values['keep-going'] === true, report };
}

const statOrNull = (file: string): fs.Stats | null => {
  try {
    return fs.statSync(file);
  } catch {
    return null;
  }
};

/** The report file must be writable and must not clobber, or later be read as, a page. */
function checkedReportFile(file: string, paths: readonly string[]): string {
  const refuse = (why: string) => new UsageError(`--report ${why}`, IMPORT_PAGE_USAGE);
  if (file.trim() === '') throw refuse('needs a file name');
  const target = path.resolve(file);
  const folders = paths.map((given) => path.resolve(given));
  if (folders.includes(target)) throw refuse(`"${file}" is one of the paths to import: the report would overwrite it`);
  if (isPageFile(target) && folders.some((folder) => target.startsWith(`${folder}${path.sep}`))) {
    throw refuse(
      `"${file}" ends in ${PAGE_EXTENSION} inside a folder being imported: the next run would read it as a page`,
    );
  }
  const existing = statOrNull(target);
  if (existing?.isDirectory()) {
    throw refuse(`"${file}" is a folder: give a file name, such as ${path.join(file, 'import-report.json')}`);
  }
  const folder = path.dirname(target);
  if (!statOrNull(folder)?.isDirectory()) throw refuse(`"${file}": the folder ${folder} does not exist`);
  try {
    fs.accessSync(existing ? target : folder, fs.constants.W_OK);
  } catch (error) {
    throw refuse(`"${file}" cannot be written (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return file;
}

const NUMBER = new Intl.NumberFormat('en');

const pagesPerSecond = (pages: number, seconds: number) => Math.round(seconds > 0 ? pages / seconds : pages);

const secondsSince = (startedMs: number) => (performance.now() - startedMs) / 1000;

const counted = (n: number, noun: string) => `${NUMBER.format(n)} ${noun}${n === 1 ? '' : 's'}`;

function summaryLines(summary: ImportSummary, seconds: number): string[] {
  const imported = summary.created + summary.updated + summary.unchanged;
  const rate = pagesPerSecond(summary.pages - summary.notTried, seconds);
  const lines = [
    `Imported ${NUMBER.format(imported)} of ${counted(summary.pages, 'page')} in ${seconds.toFixed(1)} s (${NUMBER.format(rate)} pages/s): ` +
      `${NUMBER.format(summary.created)} created, ${NUMBER.format(summary.updated)} updated, ` +
      `${NUMBER.format(summary.unchanged)} unchanged, ${NUMBER.format(summary.failed)} failed.`,
  ];
  if (summary.skipped > 0) {
    lines.push(
      `Skipped ${counted(summary.skipped, 'file')} in the folders: not pages (pages end in ${PAGE_EXTENSION}).`,
    );
  }
  if (summary.pages === 0 && summary.failed === 0) {
    lines.push(`No page found: in folders, pages are files ending in ${PAGE_EXTENSION}.`);
  }
  if (summary.notTried > 0) lines.push(`Not tried: ${counted(summary.notTried, 'page')} after the failure.`);
  if (summary.failures.length > 0) lines.push('Failures:', ...summary.failures.map((f) => `  ${describeFailure(f)}`));
  return lines;
}

function stopMessage(summary: ImportSummary): string {
  const kept = summary.created + summary.updated + summary.unchanged;
  const first = summary.failures[0];
  const before =
    kept === 0
      ? 'No page was imported'
      : `The ${counted(kept, 'page')} imported before it ${kept === 1 ? 'is' : 'are'} kept`;
  return (
    `dateline: import stopped at ${first ? describeFailure(first) : 'a failure'}\n` +
    `${before}; ${counted(summary.notTried, 'page')} not tried. Fix it and run again (pages already ` +
    'imported come out unchanged), or use --keep-going to import past malformed pages.'
  );
}

/** The summary as JSON, for scripts and archivists' records. */
function reportOf(summary: ImportSummary, args: ImportPageArgs, startedAt: Date, seconds: number) {
  return {
    command: 'import-page',
    paths: args.paths,
    keepGoing: args.keepGoing,
    startedAt: startedAt.toISOString(),
    seconds: Number(seconds.toFixed(3)),
    pagesPerSecond: pagesPerSecond(summary.pages - summary.notTried, seconds),
    ...summary,
  };
}

export async function importPageCommand(args: string[], io: CommandIo): Promise<number> {
  const parsed = parseImportPageArgs(args);
  if (parsed === 'help') {
    io.out(IMPORT_PAGE_HELP);
    return 0;
  }
  const config = loadConfig();
  const store = await openStore(config.databaseUrl);
  try {
    await store.migrate();
    const catalog = await loadCatalog(store.db);
    const startedAt = systemClock();
    const started = performance.now();
    const progress = progressReporter('Importing pages', 'pages', io.progressStream, io.err);
    let summary: ImportSummary;
    try {
      summary = await importArchive(store, writerFor(store), catalog, parsed.paths, {
        keepGoing: parsed.keepGoing,
        onProgress: progress.update,
      });
    } finally {
      progress.stop();
    }
    const seconds = secondsSince(started);
    for (const line of summaryLines(summary, seconds)) io.out(line);
    if (summary.stopped) io.err(stopMessage(summary));
    if (parsed.report) {
      try {
        fs.writeFileSync(parsed.report, `${JSON.stringify(reportOf(summary, parsed, startedAt, seconds), null, 2)}\n`);
      } catch (error) {
        io.err(
          `dateline: cannot write the report ${parsed.report} (${(error as NodeJS.ErrnoException).code ?? error})`,
        );
        return 1;
      }
    }
    return summary.failed > 0 ? 1 : 0;
  } finally {
    await store.close();
  }
}
