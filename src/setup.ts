// Brings a database to a usable state: schema, taxonomies, the bundled pages, demo content.
import fs from 'node:fs';
import path from 'node:path';
import { type Clock, systemClock } from './clock.ts';
import { writerFor } from './compose.ts';
import { generateDemoCorpus } from './importers/demo-corpus.ts';
import { importLegacyPages } from './importers/import-pages.ts';
import { projectPath } from './paths.ts';
import type { Store } from './store/store.ts';
import { loadCatalog } from './taxonomy/catalog.ts';
import { readTaxonomyData } from './taxonomy/data-files.ts';
import { type SeedCounts, seedTaxonomies } from './taxonomy/seed.ts';

export const BUNDLED_PAGES_DIR = projectPath('data', 'pages');

export interface SetupReport {
  migrations: string[];
  taxonomies: SeedCounts;
  pages: number;
  demoDocuments: number;
}

export interface SetupOptions {
  /** Demo documents to add when the database has no content of its own yet (0: none). */
  demo: number;
  /** Where the bundled pages are (About us, the first press release). */
  pagesDir?: string;
  log?: (line: string) => void;
  /** Stamps the writes (default: the system clock). */
  clock?: Clock;
}

export function bundledPageFiles(dir: string = BUNDLED_PAGES_DIR): string[] {
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.txt'))
    .sort()
    .map((name) => path.join(dir, name));
}

/** Idempotent: safe on every start. */
export async function setUpDatabase(store: Store, options: SetupOptions): Promise<SetupReport> {
  const log = options.log ?? (() => {});
  const migrations = await store.migrate();
  for (const line of migrations) log(line);
  const clock = options.clock ?? systemClock;
  const writer = writerFor(store, clock);
  const taxonomies = await store.transaction((tx) => seedTaxonomies(tx, readTaxonomyData(), clock().toISOString()));
  log(
    `taxonomies: ${taxonomies.fieldsOfWork} fields of work, ${taxonomies.countries} countries, ${taxonomies.structures} structures, ${taxonomies.meetingSeries} meeting series, ${taxonomies.chairpersonships} chairpersonships`,
  );
  const catalog = await loadCatalog(store.db);
  const pages = await importLegacyPages(store, writer, catalog, bundledPageFiles(options.pagesDir));
  log(`pages: ${pages.map((p) => `${p.outcome} ${p.title}`).join('; ')}`);

  let demoDocuments = 0;
  if (options.demo > 0) {
    const authored = await store.db
      .selectFrom('documents')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where((eb) => eb.or([eb('is_demo', '=', 1), eb('legacy_key', 'is', null)]))
      .executeTakeFirstOrThrow();
    if (Number(authored.n) === 0) {
      demoDocuments = await generateDemoCorpus(store, writer, catalog, { count: options.demo, until: clock() });
      log(`demo content: ${demoDocuments} documents`);
    }
  }
  return { migrations, taxonomies, pages: pages.length, demoDocuments };
}
