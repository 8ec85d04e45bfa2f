// An online backup of a SQLite database file through SQLite's backup API (better-sqlite3's
// `db.backup()`), consistent while the site goes on writing; PostgreSQL has pg_dump for that.
// This works on the file, not through the store: the backup API belongs to a connection of its own.
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { StartupError } from '../errors.ts';

export interface BackupOptions {
  /** Replace an existing file at the target. */
  force?: boolean;
  onProgress?: (donePages: number, totalPages: number) => void;
}

export interface BackupSummary {
  pages: number;
  bytes: number;
}

/** sqlite3_backup_step's "every page left", within what better-sqlite3 passes on. */
const ALL_PAGES = 0x7fffffff;

/**
 * Copies the database at `databaseFile` into a new file at `target`: into a hidden file beside
 * it first, renamed once complete, so that a backup cut short never passes for one.
 * @throws StartupError when the database is missing, the target exists (without `force`) or is
 *   the database itself, or its folder does not exist
 * @example await backupSqliteFile('data/dateline.db', 'backups/2026-12-24.db');
 */
export async function backupSqliteFile(
  databaseFile: string,
  target: string,
  options: BackupOptions = {},
): Promise<BackupSummary> {
  const source = path.resolve(databaseFile);
  const destination = path.resolve(target);
  checkTarget(source, destination, target, options.force === true);
  if (!fs.existsSync(source)) {
    throw new StartupError(
      `There is no database at ${source} to back up.`,
      'Check DATABASE_URL: it must name the SQLite file the site uses (sqlite:./data/dateline.db).',
    );
  }
  const partial = path.join(path.dirname(destination), `.${path.basename(destination)}.partial-${process.pid}`);
  let database: BetterSqlite3.Database;
  try {
    database = new BetterSqlite3(source, { fileMustExist: true });
    database.pragma('busy_timeout = 5000');
  } catch (error) {
    throw new StartupError(
      `The database ${source} cannot be opened: ${(error as Error).message}.`,
      'Check that it is a SQLite database this user may read.',
    );
  }
  try {
    let lastRemaining = Number.POSITIVE_INFINITY;
    let inOneStep = false;
    const progress = await database.backup(partial, {
      progress({ totalPages, remainingPages }) {
        // A write from another connection between two steps starts the copy over (the pages
        // left do not go down); steps interrupted again and again would never end, so then the
        // rest goes in one step, which reads one snapshot while the writers carry on in the WAL.
        if (remainingPages >= lastRemaining) inOneStep = true;
        lastRemaining = remainingPages;
        options.onProgress?.(totalPages - remainingPages, totalPages);
        return inOneStep ? ALL_PAGES : Math.max(100, Math.ceil(totalPages / 50));
      },
    });
    options.onProgress?.(progress.totalPages, progress.totalPages);
    const pageSize = Number(database.pragma('page_size', { simple: true }));
    // The old file's journal beside the new file would be read as the new one's.
    for (const leftover of [`${destination}-wal`, `${destination}-shm`, `${destination}-journal`]) {
      fs.rmSync(leftover, { force: true });
    }
    fs.renameSync(partial, destination);
    return { pages: progress.totalPages, bytes: progress.totalPages * pageSize };
  } catch (error) {
    fs.rmSync(partial, { force: true });
    if (error instanceof StartupError) throw error;
    throw new StartupError(
      `The backup of ${source} failed: ${(error as Error).message}.`,
      'Nothing was written at the target. Check the free space and the permissions of its folder, then try again.',
    );
  } finally {
    database.close();
  }
}

function checkTarget(source: string, destination: string, given: string, force: boolean): void {
  if ([source, `${source}-wal`, `${source}-shm`].includes(destination)) {
    throw new StartupError(`${given} is the database itself.`, 'Give the backup a file name of its own.');
  }
  const folder = path.dirname(destination);
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) {
    throw new StartupError(`The folder ${folder} does not exist.`, `Create it (mkdir -p ${folder}) or choose another.`);
  }
  if (fs.existsSync(destination)) {
    if (fs.statSync(destination).isDirectory()) {
      throw new StartupError(`${given} is a folder.`, `Give a file name, such as ${path.join(given, 'dateline.db')}.`);
    }
    if (!force) {
      throw new StartupError(`${given} already exists.`, 'Choose another file name, or add --force to replace it.');
    }
  }
}

/** Shell words, quoted only where needed. */
const shellWord = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

/**
 * The pg_dump command that backs up the PostgreSQL database of `databaseUrl` into `target`
 * (custom format, for pg_restore); the password, if any, is left to PGPASSWORD or ~/.pgpass.
 * @example pgDumpCommand('postgres://postgres@db:5432/dateline', 'x.dump')
 *   // 'pg_dump -Fc -h db -p 5432 -U postgres -d dateline -f x.dump'
 */
export function pgDumpCommand(databaseUrl: string, target: string): string {
  const url = new URL(databaseUrl);
  const words = ['pg_dump', '-Fc', '-h', url.hostname || 'localhost', '-p', url.port || '5432'];
  if (url.username) words.push('-U', decodeURIComponent(url.username));
  const database = decodeURIComponent(url.pathname.slice(1));
  if (database) words.push('-d', database);
  words.push('-f', target);
  return words.map(shellWord).join(' ');
}
