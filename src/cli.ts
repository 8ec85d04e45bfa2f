// The `dateline` command: serve, migrate, seed, reindex, import-page. Same configuration as the
// server. Each command loads only what it needs, when it runs: `--help` answers without loading
// the web server, the database driver or the importers.
import { parseArgs } from 'node:util';
import { type CommandIo, type ProgressStream, UsageError } from './cli/usage.ts';
import { ConfigError, loadConfig } from './config.ts';
import { AppError, StartupError } from './errors.ts';

export type { ProgressStream };

export const DEFAULT_DEMO_SIZE = 2000;

const CONFIGURATION =
  'Configuration comes from the environment: PORT, HOST, DATABASE_URL, BASE_URL, MEDIA_DIR, LOG_LEVEL,\nLOG_FORMAT, RATE_LIMIT, TRUST_PROXY, SEARCH_TIMEOUT_MS (see the README).';

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
