// The `dateline` command: serve, migrate, seed, reindex, import-page, export, import, migrate-data,
// backup. Same configuration as the server. Each command loads only what it needs, when it runs: `--help` answers without loading
// the web server, the database driver or the importers.
import { parseArgs } from 'node:util';
import { type CommandIo, type ProgressStream, UsageError } from './cli/usage.ts';
import { ConfigError, loadConfig } from './config.ts';
import { AppError, StartupError } from './errors.ts';

export type { ProgressStream };

export const DEFAULT_DEMO_SIZE = 2000;

const CONFIGURATION =
  'Configuration comes from the environment: PORT, HOST, DATABASE_URL, BASE_URL, MEDIA_DIR, LOG_LEVEL,\nLOG_FORMAT, RATE_LIMIT, TRUST_PROXY, SEARCH_TIMEOUT_MS, INDEX_SNAPSHOT (see the README).';

interface Command {
  /** One line in the list of commands. */
  summary: string;
  /** What `dateline <command> --help` prints. */
  help: string;
  run(args: string[], io: CommandIo): Promise<number>;
}

/** Parses a command's options strictly; a mistake names the option and shows the command's help. */
function optionsOf<O extends Record<string, { type: 'boolean' | 'string' }>>(
  name: string,
  args: string[],
  options: O,
): { [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string } {
  try {
    return parseArgs({ args, options, strict: true }).values as {
      [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string;
    };
  } catch (error) {
    if (!(error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) throw error;
    throw new UsageError(`${name}: ${(error as Error).message}`, COMMANDS[name]?.help);
  }
}

/** A command's options and its one FILE argument; a missing or extra argument is a usage error. */
function fileArgumentOf<O extends Record<string, { type: 'boolean' | 'string' }>>(
  name: string,
  args: string[],
  options: O,
  meaning: string,
): { values: { [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string }; file: string } {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    if (!(error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) throw error;
    throw new UsageError(`${name}: ${(error as Error).message}`, COMMANDS[name]?.help);
  }
  const [file, ...extra] = parsed.positionals;
  if (file === undefined || file.trim() === '') {
    throw new UsageError(`${name} needs a FILE (${meaning})`, COMMANDS[name]?.help);
  }
  if (extra.length > 0) throw new UsageError(`${name} takes one FILE, not also "${extra[0]}"`, COMMANDS[name]?.help);
  return { values: parsed.values as { [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string }, file };
}

/** A database address given as an option: sqlite:FILE or postgres://…, checked before anything opens. */
function databaseUrlOption(value: string | undefined, option: string, command: string): string {
  if (value === undefined || value.trim() === '') {
    throw new UsageError(
      `${command} needs ${option} URL (sqlite:FILE or postgres://user@host:port/database)`,
      COMMANDS[command]?.help,
    );
  }
  if (!/^sqlite:.+/.test(value) && !/^postgres(ql)?:\/\/.+/.test(value)) {
    throw new UsageError(
      `${option} must be sqlite:FILE or postgres://user@host:port/database, not "${value}"`,
      COMMANDS[command]?.help,
    );
  }
  return value;
}

function parseCount(value: string | undefined, option: string): number {
  if (value === undefined) return 0;
  if (!/^\d{1,7}$/.test(value)) throw new UsageError(`${option} must be a whole number, not "${value}"`);
  return Number(value);
}

async function openConfiguredStore() {
  const { openStore } = await import('./store/store.ts');
  return openStore(loadConfig().databaseUrl);
}

const COMMANDS: Record<string, Command> = {
  serve: {
    summary: 'serve [--bootstrap]     Start the website (--bootstrap: migrate, seed and add demo content first)',
    help: `Usage: dateline serve [--bootstrap]

Starts the website on HOST:PORT (default http://127.0.0.1:3000) and serves until stopped (Ctrl-C).

Options:
  --bootstrap   First bring the database up to date: apply migrations, load the taxonomies, import
                the bundled pages and, when it has no content yet, add ${DEFAULT_DEMO_SIZE} demo documents
                (what npm start does)
  -h, --help    Show this help

${CONFIGURATION}`,
    async run(args) {
      const values = optionsOf('serve', args, { bootstrap: { type: 'boolean' } });
      const config = loadConfig();
      const [{ createLogger }, { startServer }, { openStore }] = await Promise.all([
        import('./logger.ts'),
        import('./server.ts'),
        import('./store/store.ts'),
      ]);
      const logger = createLogger(config);
      // One store for the set-up and the server: with sqlite::memory: a second one would be empty.
      const store = await openStore(config.databaseUrl, { searchTimeoutMs: config.searchTimeoutMs });
      try {
        if (values.bootstrap) {
          const { setUpDatabase } = await import('./setup.ts');
          await setUpDatabase(store, { demo: DEFAULT_DEMO_SIZE, log: (line) => logger.info(line) });
        }
        await startServer(config, { store, logger });
      } catch (error) {
        await store.close();
        throw error;
      }
      return 0;
    },
  },
  migrate: {
    summary: 'migrate                 Apply pending database migrations',
    help: `Usage: dateline migrate

Applies the pending migrations to the database of DATABASE_URL, printing each step.

${CONFIGURATION}`,
    async run(args, io) {
      optionsOf('migrate', args, {});
      const store = await openConfiguredStore();
      try {
        const lines = await store.migrate();
        io.out(lines.length > 0 ? lines.join('\n') : 'Already up to date.');
      } finally {
        await store.close();
      }
      return 0;
    },
  },
  seed: {
    summary: 'seed [--demo N]         Load the taxonomies (idempotent); --demo N adds N demo documents',
    help: `Usage: dateline seed [--demo N]

Loads the taxonomies from data/taxonomy/ (fields of work, countries, structures, meeting series,
chairpersonships); running it again updates them and never duplicates.

Options:
  --demo N      Also add N generated demo documents, each marked as demo content
  -h, --help    Show this help

${CONFIGURATION}`,
    async run(args, io) {
      const values = optionsOf('seed', args, { demo: { type: 'string' } });
      const demo = parseCount(values.demo, '--demo');
      const [{ systemClock }, { writerFor }, { generateDemoCorpus }, { loadCatalog }, { readTaxonomyData }, seed] =
        await Promise.all([
          import('./clock.ts'),
          import('./compose.ts'),
          import('./importers/demo-corpus.ts'),
          import('./taxonomy/catalog.ts'),
          import('./taxonomy/data-files.ts'),
          import('./taxonomy/seed.ts'),
        ]);
      const store = await openConfiguredStore();
      try {
        await store.migrate();
        const counts = await store.transaction((tx) =>
          seed.seedTaxonomies(tx, readTaxonomyData(), systemClock().toISOString()),
        );
        io.out(
          `Taxonomies: ${counts.fieldsOfWork} fields of work, ${counts.countries} countries, ${counts.structures} structures, ${counts.meetingSeries} meeting series, ${counts.chairpersonships} chairpersonships.`,
        );
        if (demo > 0) {
          const made = await generateDemoCorpus(store, writerFor(store), await loadCatalog(store.db), {
            count: demo,
            seed: Date.now(),
            until: systemClock(),
          });
          io.out(`Demo content: ${made} documents.`);
        }
      } finally {
        await store.close();
      }
      return 0;
    },
  },
  'import-page': {
    summary: 'import-page PATH...     Import pages in the legacy format, files or folders (see import-page --help)',
    help: '',
    async run(args, io) {
      const { importPageCommand } = await import('./cli/import-page.ts');
      return importPageCommand(args, io);
    },
  },
  reindex: {
    summary: 'reindex                 Rebuild the full-text search index from the documents',
    help: `Usage: dateline reindex

Rebuilds the full-text search index from the stored documents (after a restore, or to compact it).

${CONFIGURATION}`,
    async run(args, io) {
      optionsOf('reindex', args, {});
      const { searchFor } = await import('./search/providers.ts');
      const store = await openConfiguredStore();
      try {
        await store.migrate();
        const started = performance.now();
        const count = await searchFor(store.capabilities.engine).search.reindex(store.db);
        io.out(`Indexed ${count} documents in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
      } finally {
        await store.close();
      }
      return 0;
    },
  },
  export: {
    summary: 'export FILE             Write the whole database to FILE (- for standard output) as NDJSON',
    help: `Usage: dateline export [--force] FILE

Writes everything in the database of DATABASE_URL to FILE as NDJSON (one JSON object per line):
a header (format, version, schema, the change log's position, rows per table), then every row of
the taxonomies, the documents with every revision, source, field of work and country, and the
change log. The search index is left out; import rebuilds it. The same content gives the same
bytes from SQLite and PostgreSQL. It reads one consistent snapshot while the site keeps serving.

FILE is a path, or - for standard output (the summary then goes to standard error).

Options:
  --force       Replace FILE if it exists (default: refuse)
  -h, --help    Show this help

A progress bar is drawn on standard error when it is a terminal.

${CONFIGURATION}`,
    async run(args, io) {
      const { values, file } = fileArgumentOf(
        'export',
        args,
        { force: { type: 'boolean' } },
        'a path, or - for standard output',
      );
      const databaseUrl = loadConfig().databaseUrl;
      const { exportCommand } = await import('./transfer/commands.ts');
      return exportCommand(databaseUrl, { file, force: values.force === true }, io);
    },
  },
  import: {
    summary: 'import FILE             Restore an export into an empty database (- for standard input)',
    help: `Usage: dateline import FILE

Restores an export (see dateline export --help) into the database of DATABASE_URL, which must be
empty: a new SQLite file or a new PostgreSQL database. It is first migrated to the file's schema;
every line is checked, and every row goes in with its id, in one transaction: a line that cannot
be read (bad JSON, an unknown table or column, a wrong value) stops the import with its line
number, and nothing is stored. Then the id counters are moved past the imported ids, so that new
documents get new ids, and the search index is rebuilt.

FILE is a path, or - for standard input.

Options:
  -h, --help    Show this help

A progress bar is drawn on standard error when it is a terminal.
Exit status: 0 when everything was imported, 1 when nothing was, 2 for a usage error.

${CONFIGURATION}`,
    async run(args, io) {
      const { file } = fileArgumentOf('import', args, {}, 'an export, or - for standard input');
      const databaseUrl = loadConfig().databaseUrl;
      const { importCommand } = await import('./transfer/commands.ts');
      return importCommand(databaseUrl, { file }, io);
    },
  },
  'migrate-data': {
    summary: 'migrate-data            Move the site into another, empty database (--from URL --to URL, any engines)',
    help: `Usage: dateline migrate-data --from URL --to URL

Moves everything from one database to another, empty one, of either engine, without a file in
between: an export of --from streamed into an import into --to (see export --help, import --help).
The site on --from may keep serving meanwhile; what it writes after the start is not moved. Point
the site at --to once it is done.

Options:
  --from URL    The database to move: sqlite:FILE or postgres://user@host:port/database
  --to URL      The empty database to move it into (a new SQLite file, or a database made with
                createdb)
  -h, --help    Show this help

Example:
  dateline migrate-data --from sqlite:./data/dateline.db --to postgres://postgres@127.0.0.1:5432/dateline`,
    async run(args, io) {
      const values = optionsOf('migrate-data', args, { from: { type: 'string' }, to: { type: 'string' } });
      const from = databaseUrlOption(values.from, '--from', 'migrate-data');
      const to = databaseUrlOption(values.to, '--to', 'migrate-data');
      const { migrateDataCommand } = await import('./transfer/commands.ts');
      return migrateDataCommand({ from, to }, io);
    },
  },
  backup: {
    summary: 'backup FILE             Copy the live SQLite database to FILE (on PostgreSQL: says how to use pg_dump)',
    help: `Usage: dateline backup [--force] FILE

Copies the SQLite database of DATABASE_URL to FILE with SQLite's online backup, consistent while
the site keeps serving and writing. FILE is a SQLite database: start a site on it with
DATABASE_URL=sqlite:FILE, or copy it back in place while the site is stopped.

On PostgreSQL it copies nothing and prints the pg_dump command to use instead (exit status 1).

Options:
  --force       Replace FILE if it exists (default: refuse)
  -h, --help    Show this help

${CONFIGURATION}`,
    async run(args, io) {
      const { values, file } = fileArgumentOf('backup', args, { force: { type: 'boolean' } }, 'the backup to write');
      const databaseUrl = loadConfig().databaseUrl;
      const { backupCommand } = await import('./transfer/commands.ts');
      return backupCommand(databaseUrl, { file, force: values.force === true }, io);
    },
  },
};

const USAGE = `Usage: dateline <command> [options]

Commands:
${Object.values(COMMANDS)
  .map((command) => `  ${command.summary}`)
  .join('\n')}

Run "dateline <command> --help" for a command's options.
${CONFIGURATION}`;

/** Runs one command; returns the process exit code (serve resolves once listening). */
export async function main(
  argv: string[],
  out = console.log,
  err = console.error,
  progressStream: ProgressStream = process.stderr,
): Promise<number> {
  const [name, ...rest] = argv;
  const io: CommandIo = { out, err, progressStream };
  try {
    if (!name || name === 'help' || name === '--help' || name === '-h') {
      out(USAGE);
      return name ? 0 : 2;
    }
    const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!command) throw new UsageError(`Unknown command "${name}"`);
    // Before the configuration is read: --help must work whatever the environment says.
    if (command.help && (rest.includes('--help') || rest.includes('-h'))) {
      out(command.help);
      return 0;
    }
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      err(`dateline: ${error.message}\n\n${error.usage ?? USAGE}`);
      return 2;
    }
    if (error instanceof StartupError) {
      err(`dateline: ${error.message}\n${error.fix}`);
      return 1;
    }
    if (error instanceof ConfigError || error instanceof AppError) {
      err(`dateline: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
