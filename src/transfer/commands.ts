// The command line of export, import, migrate-data and backup: opening the databases, the files
// and the progress bar around export.ts, import.ts and backup.ts, and the closing summary.
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { progressReporter } from '../cli/progress.ts';
import type { CommandIo } from '../cli/usage.ts';
import { StartupError } from '../errors.ts';
import { searchFor } from '../search/providers.ts';
import { openStore, type Store } from '../store/store.ts';
import { backupSqliteFile, pgDumpCommand } from './backup.ts';
import { exportDatabase } from './export.ts';
import { importDatabase } from './import.ts';
import { linePipe, linesOf, streamSink } from './streams.ts';

const NUMBER = new Intl.NumberFormat('en');

const secondsSince = (started: number) => ((performance.now() - started) / 1000).toFixed(1);

/** The file of a `sqlite:` address (null for any other, and for `sqlite::memory:`). */
function sqliteFileOf(databaseUrl: string): string | null {
  if (!databaseUrl.startsWith('sqlite:')) return null;
  const file = databaseUrl.slice('sqlite:'.length);
  return file === ':memory:' ? null : file;
}

/** A database as messages name it: a SQLite file's path, a PostgreSQL address without its password. */
export function describeDatabase(databaseUrl: string): string {
  const file = sqliteFileOf(databaseUrl);
  if (file !== null) return path.resolve(file);
  try {
    const url = new URL(databaseUrl);
    url.password = '';
    return url.toString();
  } catch {
    return databaseUrl;
  }
}

/** How to empty a database, for the message that refuses to import into one with content. */
function startOverAdvice(databaseUrl: string): string {
  const file = sqliteFileOf(databaseUrl);
  if (file !== null) {
    return `Import into a new file, or start over: stop the site, delete the database and its WAL and shared-memory files (rm ${file} ${file}-wal ${file}-shm), and import again.`;
  }
  const url = new URL(databaseUrl);
  const options = `-h ${url.hostname || 'localhost'} -p ${url.port || '5432'}${url.username ? ` -U ${decodeURIComponent(url.username)}` : ''}`;
  const name = decodeURIComponent(url.pathname.slice(1));
  return `Import into a new database, or start over: stop the site, then dropdb ${options} ${name} && createdb ${options} ${name}, and import again.`;
}

/** A SQLite source must exist: opening a missing file would create an empty database there. */
function assertSourceExists(databaseUrl: string, role: string): void {
  if (databaseUrl === 'sqlite::memory:') {
    throw new StartupError(
      `${role} is sqlite::memory:, a database that is new and empty in every process.`,
      'Name the SQLite file or the PostgreSQL database the site uses.',
    );
  }
  const file = sqliteFileOf(databaseUrl);
  if (file !== null && !fs.existsSync(file)) {
    throw new StartupError(`There is no database at ${path.resolve(file)}.`, `Check ${role}.`);
  }
}

/** An in-memory target would be gone, with everything imported, when the command ends. */
function assertLastingTarget(databaseUrl: string, role: string): void {
  if (databaseUrl === 'sqlite::memory:') {
    throw new StartupError(
      `${role} is sqlite::memory:, which lasts only as long as this command.`,
      'Name a SQLite file (sqlite:./data/dateline.db) or a PostgreSQL database.',
    );
  }
}

/** Refuses to overwrite an existing file, or to write into a folder that does not exist. */
function checkOutputFile(file: string, force: boolean): void {
  const folder = path.dirname(path.resolve(file));
  if (!fs.existsSync(folder)) {
    throw new StartupError(`The folder ${folder} does not exist.`, `Create it (mkdir -p ${folder}) or choose another.`);
  }
  if (!fs.existsSync(file)) return;
  if (fs.statSync(file).isDirectory()) {
    throw new StartupError(`${file} is a folder.`, `Give a file name, such as ${path.join(file, 'dateline.ndjson')}.`);
  }
  if (!force)
    throw new StartupError(`${file} already exists.`, 'Choose another file name, or add --force to replace it.');
}

async function withStore<T>(databaseUrl: string, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(databaseUrl);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

const isBrokenPipe = (error: unknown) => (error as { code?: string }).code === 'EPIPE';

/** A failure of the file itself (no permission, no space), as a message rather than a stack trace. */
function fileProblem(error: unknown, doing: string, file: string): unknown {
  const { syscall, code } = error as NodeJS.ErrnoException;
  if (!syscall || !['open', 'read', 'write', 'rename', 'close'].includes(syscall)) return error;
  return new StartupError(
    `Cannot ${doing} ${file} (${code ?? syscall}).`,
    'Check the path, the permissions of the file and its folder, and the free space.',
  );
}

export interface ExportCommandOptions {
  /** A file, or "-" for standard output. */
  file: string;
  force: boolean;
}

export async function exportCommand(
  databaseUrl: string,
  { file, force }: ExportCommandOptions,
  io: CommandIo,
  stdout: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  const toStdout = file === '-';
  assertSourceExists(databaseUrl, 'DATABASE_URL');
  if (!toStdout) checkOutputFile(file, force);
  // Written beside the target, then renamed: an export cut short never passes for a whole one.
  const partial = toStdout
    ? null
    : path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.partial-${process.pid}`);
  const fileOutput = partial ? fs.createWriteStream(partial) : null;
  const output = fileOutput ?? stdout;
  const progress = progressReporter('Exporting', 'rows', io.progressStream, io.err);
  const started = performance.now();
  const sink = streamSink(output);
  try {
    const summary = await withStore(databaseUrl, (store) =>
      exportDatabase(store.db, sink, { onProgress: progress.update }),
    );
    progress.stop();
    if (fileOutput && partial) {
      fileOutput.end();
      await once(fileOutput, 'close');
      fs.renameSync(partial, file);
    }
    // With the export on standard output, the summary must not be mixed into it.
    const say = toStdout ? io.err : io.out;
    say(
      `Exported ${NUMBER.format(summary.rows)} rows (${NUMBER.format(summary.header.rows.documents ?? 0)} documents, schema ${summary.header.schema}, change log at ${summary.header.lastChangeSeq}) to ${toStdout ? 'standard output' : file} in ${secondsSince(started)} s.`,
    );
    return 0;
  } catch (error) {
    progress.stop();
    if (fileOutput && partial) {
      fileOutput.destroy();
      fs.rmSync(partial, { force: true });
    }
    if (isBrokenPipe(error)) {
      io.err('dateline: export stopped: the reader of standard output went away.');
      return 1;
    }
    throw fileProblem(error, 'write', file);
  } finally {
    sink.detach();
  }
}

export interface ImportCommandOptions {
  /** A file, or "-" for standard input. */
  file: string;
}

export async function importCommand(
  databaseUrl: string,
  { file }: ImportCommandOptions,
  io: CommandIo,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<number> {
  assertLastingTarget(databaseUrl, 'DATABASE_URL');
  const fromStdin = file === '-';
  if (!fromStdin) {
    if (!fs.existsSync(file)) throw new StartupError(`There is no file ${file}.`, 'Check the path of the export.');
    if (!fs.statSync(file).isFile()) throw new StartupError(`${file} is not a file.`, 'Give the path of an export.');
  }
  const progress = progressReporter('Importing', 'rows', io.progressStream, io.err);
  const started = performance.now();
  try {
    const summary = await withStore(databaseUrl, (store) =>
      importDatabase(
        store,
        linesOf(() => (fromStdin ? stdin : fs.createReadStream(file))),
        {
          source: fromStdin ? 'standard input' : file,
          target: describeDatabase(databaseUrl),
          startOver: startOverAdvice(databaseUrl),
          search: searchFor(store.capabilities.engine).search,
          onProgress: progress.update,
          log: io.out,
        },
      ),
    );
    progress.stop();
    io.out(
      `Imported ${NUMBER.format(summary.rows)} rows (${NUMBER.format(summary.header.rows.documents ?? 0)} documents, schema ${summary.header.schema}) in ${secondsSince(started)} s; search index rebuilt for ${NUMBER.format(summary.indexed)} documents.`,
    );
    return 0;
  } catch (error) {
    throw fileProblem(error, 'read', file);
  } finally {
    progress.stop();
  }
}

/** The same database, reached by two addresses that differ only in spelling. */
function sameDatabase(a: string, b: string): boolean {
  const file = (url: string) => sqliteFileOf(url);
  const fileA = file(a);
  const fileB = file(b);
  if (fileA !== null || fileB !== null)
    return fileA !== null && fileB !== null && path.resolve(fileA) === path.resolve(fileB);
  try {
    const [urlA, urlB] = [new URL(a), new URL(b)];
    const where = (url: URL) => `${url.hostname}:${url.port || '5432'}${url.pathname}`;
    return where(urlA) === where(urlB);
  } catch {
    return a === b;
  }
}

export interface MigrateDataOptions {
  from: string;
  to: string;
}

export async function migrateDataCommand({ from, to }: MigrateDataOptions, io: CommandIo): Promise<number> {
  assertSourceExists(from, '--from');
  assertLastingTarget(to, '--to');
  if (sameDatabase(from, to)) {
    throw new StartupError('--from and --to name the same database.', 'Move the site into another, empty database.');
  }
  const started = performance.now();
  const progress = progressReporter('Moving', 'rows', io.progressStream, io.err);
  try {
    const summary = await withStore(from, (source) =>
      withStore(to, async (target) => {
        const pipe = linePipe();
        const exporting = exportDatabase(source.db, pipe.sink).then(
          (done) => {
            pipe.end();
            return done;
          },
          (error: unknown) => {
            pipe.fail(error);
            throw error;
          },
        );
        const importing = importDatabase(target, pipe.lines, {
          source: `the export of ${describeDatabase(from)}`,
          target: describeDatabase(to),
          startOver: startOverAdvice(to),
          search: searchFor(target.capabilities.engine).search,
          onProgress: progress.update,
          log: io.out,
        }).catch((error: unknown) => {
          pipe.fail(error);
          throw error;
        });
        const [exported, imported] = await Promise.allSettled([exporting, importing]);
        // The export's own failure first: the import then only saw the pipe stop.
        if (exported.status === 'rejected') throw exported.reason;
        if (imported.status === 'rejected') throw imported.reason;
        return imported.value;
      }),
    );
    progress.stop();
    io.out(
      `Moved ${NUMBER.format(summary.rows)} rows (${NUMBER.format(summary.header.rows.documents ?? 0)} documents) from ${describeDatabase(from)} to ${describeDatabase(to)} in ${secondsSince(started)} s; search index rebuilt for ${NUMBER.format(summary.indexed)} documents.`,
    );
    return 0;
  } finally {
    progress.stop();
  }
}

export interface BackupCommandOptions {
  file: string;
  force: boolean;
}

export async function backupCommand(
  databaseUrl: string,
  { file, force }: BackupCommandOptions,
  io: CommandIo,
): Promise<number> {
  const sqliteFile = sqliteFileOf(databaseUrl);
  if (sqliteFile === null) {
    if (databaseUrl === 'sqlite::memory:') {
      throw new StartupError(
        'DATABASE_URL is sqlite::memory:, a database no other process can read.',
        'Back up the SQLite file the site uses: DATABASE_URL=sqlite:./data/dateline.db dateline backup FILE.',
      );
    }
    io.err(
      [
        'dateline: backup copies SQLite files; a PostgreSQL database is backed up with pg_dump, consistent while the site serves:',
        '',
        `  ${pgDumpCommand(databaseUrl, file)}`,
        '',
        'Restore it into an empty database with pg_restore -d DATABASE FILE (or move it with dateline migrate-data).',
      ].join('\n'),
    );
    return 1;
  }
  const progress = progressReporter('Backing up', 'pages', io.progressStream, io.err);
  const started = performance.now();
  try {
    const summary = await backupSqliteFile(sqliteFile, file, { force, onProgress: progress.update });
    progress.stop();
    io.out(
      `Backed up ${path.resolve(sqliteFile)} to ${file}: ${NUMBER.format(Math.round(summary.bytes / 1024))} KiB in ${secondsSince(started)} s.`,
    );
    return 0;
  } finally {
    progress.stop();
  }
}
