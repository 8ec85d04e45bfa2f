// The `dateline` command: serve, migrate, seed, import-page. Same configuration as the server.
import { parseArgs } from 'node:util';
import { systemClock } from './clock.ts';
import { writerFor } from './compose.ts';
import { ConfigError, loadConfig } from './config.ts';
import { AppError } from './errors.ts';
import { generateDemoCorpus } from './importers/demo-corpus.ts';
import { importLegacyPages } from './importers/import-pages.ts';
import { searchFor } from './search/providers.ts';
import { startServer } from './server.ts';
import { setUpDatabase } from './setup.ts';
import { openStore } from './store/store.ts';
import { loadCatalog } from './taxonomy/catalog.ts';
import { readTaxonomyData } from './taxonomy/data-files.ts';
import { seedTaxonomies } from './taxonomy/seed.ts';

const USAGE = `Usage: dateline <command> [options]

Commands:
  serve [--bootstrap]     Start the website (--bootstrap: migrate, seed and add demo content first)
  migrate                 Apply pending database migrations
  seed [--demo N]         Load the taxonomies (idempotent); --demo N adds N demo documents
  import-page FILE...     Import pages in the legacy format; re-importing updates them
  reindex                 Rebuild the full-text search index from the documents

Configuration comes from the environment: PORT, HOST, DATABASE_URL, BASE_URL, MEDIA_DIR, LOG_LEVEL.`;

export const DEFAULT_DEMO_SIZE = 2000;

class UsageError extends Error {}

function parseCount(value: string | undefined, option: string): number {
  if (value === undefined) return 0;
  if (!/^\d{1,7}$/.test(value)) throw new UsageError(`${option} must be a whole number, not "${value}"`);
  return Number(value);
}

/** Runs one command; returns the process exit code (serve resolves once listening). */
export async function main(argv: string[], out = console.log, err = console.error): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (!command || command === 'help' || command === '--help') {
      out(USAGE);
      return command ? 0 : 2;
    }
    const config = loadConfig();
    switch (command) {
      case 'serve': {
        const { values } = parseArgs({ args: rest, options: { bootstrap: { type: 'boolean' } }, strict: true });
        if (values.bootstrap) {
          const store = await openStore(config.databaseUrl);
          try {
            await setUpDatabase(store, { demo: DEFAULT_DEMO_SIZE, log: out });
          } finally {
            await store.close();
          }
        }
        await startServer(config);
        out(`Dateline is listening on ${config.baseUrl}`);
        return 0;
      }
      case 'migrate': {
        parseArgs({ args: rest, options: {}, strict: true });
        const store = await openStore(config.databaseUrl);
        try {
          const lines = await store.migrate();
          out(lines.length > 0 ? lines.join('\n') : 'Already up to date.');
        } finally {
          await store.close();
        }
        return 0;
      }
      case 'seed': {
        const { values } = parseArgs({ args: rest, options: { demo: { type: 'string' } }, strict: true });
        const demo = parseCount(values.demo, '--demo');
        const store = await openStore(config.databaseUrl);
        try {
          await store.migrate();
          const counts = await store.transaction((tx) =>
            seedTaxonomies(tx, readTaxonomyData(), systemClock().toISOString()),
          );
          out(
            `Taxonomies: ${counts.fieldsOfWork} fields of work, ${counts.countries} countries, ${counts.structures} structures, ${counts.meetingSeries} meeting series, ${counts.chairpersonships} chairpersonships.`,
          );
          if (demo > 0) {
            const made = await generateDemoCorpus(store, writerFor(store), await loadCatalog(store.db), {
              count: demo,
              seed: Date.now(),
              until: systemClock(),
            });
            out(`Demo content: ${made} documents.`);
          }
        } finally {
          await store.close();
        }
        return 0;
      }
      case 'import-page': {
        const { positionals } = parseArgs({ args: rest, options: {}, strict: true, allowPositionals: true });
        if (positionals.length === 0) throw new UsageError('import-page needs at least one FILE');
        const store = await openStore(config.databaseUrl);
        try {
          await store.migrate();
          const results = await importLegacyPages(store, writerFor(store), await loadCatalog(store.db), positionals);
          for (const r of results) out(`${r.outcome}: ${r.file} → document ${r.documentId} "${r.title}"`);
        } finally {
          await store.close();
        }
        return 0;
      }
      case 'reindex': {
        parseArgs({ args: rest, options: {}, strict: true });
        const store = await openStore(config.databaseUrl);
        try {
          await store.migrate();
          const started = performance.now();
          const count = await searchFor(store.capabilities.engine).search.reindex(store.db);
          out(`Indexed ${count} documents in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
        } finally {
          await store.close();
        }
        return 0;
      }
      default:
        throw new UsageError(`Unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      err(`dateline: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof ConfigError || error instanceof AppError) {
      err(`dateline: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
