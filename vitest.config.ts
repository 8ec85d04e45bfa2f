import { defineConfig } from 'vitest/config';
import { checkPostgres, IN_CI } from './test/support/environment.ts';

/**
 * The suites whose data goes through the test factories (test/support/test-app.ts): the
 * "postgres" project runs them a second time with TEST_ENGINE=postgres. The contract suites
 * run both engines themselves; SQLite's own internals (its migrations, FTS5, the read threads)
 * and the command line on SQLite files are the "sqlite" project's alone.
 */
const ON_BOTH_ENGINES = [
  'src/api/api.test.ts',
  'src/feeds/feeds.test.ts',
  'src/importers/demo-corpus.test.ts',
  'src/importers/import-pages.test.ts',
  'src/listing/bitmap-index.test.ts',
  'src/listing/count-cache.test.ts',
  'src/listing/held-rows.test.ts',
  'src/listing/index-snapshot.test.ts',
  'src/listing/newest.test.ts',
  'src/search/search.test.ts',
  'src/seo/*.test.ts',
  'src/site/*.test.ts',
  'src/taxonomy/taxonomy.test.ts',
  'test/agreement.test.ts',
  'test/browser.test.ts',
  'test/co-issued.test.ts',
  'test/concurrent-pages.test.ts',
  'test/crawl.test.ts',
  'test/hostile-edges.test.ts',
  'test/html-validity.test.ts',
  'test/judged-search.test.ts',
  'test/schedule.test.ts',
];

// Off CI, without a PostgreSQL server, the second project is left out (test/support/postgres.ts
// says so loudly); on CI it always runs, and fails if the server is missing.
const withPostgres = IN_CI || checkPostgres().available;

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] } },
      ...(withPostgres
        ? [
            {
              extends: true as const,
              test: { name: 'postgres', include: ON_BOTH_ENGINES, env: { TEST_ENGINE: 'postgres' } },
            },
          ]
        : []),
    ],
  },
});
