import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { latestChangeSeq } from '../src/documents/change-log.ts';
import { LISTED_KINDS } from '../src/documents/kinds.ts';
import { findVisibleDocumentWithTerms, summariesOf } from '../src/documents/reader.ts';
import { loadBitmapIndex } from '../src/listing/bitmap-index.ts';
import type { Filter } from '../src/listing/filter.ts';
import { PAGE_SIZE, parseFilter } from '../src/listing/filter.ts';
import { type Listing, type ListingOptions, runListing } from '../src/listing/listing.ts';
import { createListingService } from '../src/listing/service.ts';
import { sqlListingEngine } from '../src/listing/sql-engine.ts';
import { searchFor } from '../src/search/providers.ts';
import { setUpDatabase } from '../src/setup.ts';
import { loadAssets } from '../src/site/assets.ts';
import { createSiteContext } from '../src/site/context.ts';
import { renderDocumentPage } from '../src/site/views/document-page.ts';
import { renderHomePage } from '../src/site/views/home-page.ts';
import { renderListingPage } from '../src/site/views/listing-page.ts';
import { createDatabase, dropDatabase } from '../src/store/postgres.ts';
import type { Db } from '../src/store/store.ts';
import { openStore } from '../src/store/store.ts';
import type { Catalog } from '../src/taxonomy/catalog.ts';
import { loadCatalog } from '../src/taxonomy/catalog.ts';

/** The site's listing on SQL alone (the page benchmark serves without the bitmap index's warm-up). */
function sqlListing(db: Db, catalog: Catalog, now: string) {
  const { search } = searchFor('sqlite');
  const engine = sqlListingEngine({ db, search, ancestorsOf: (id) => catalog.ancestorIds(id) });
  return (filter: Filter, options?: ListingOptions): Promise<Listing> =>
    runListing({ db, engine, search }, filter, new Date(now), options);
}

import { NGINX_BINARY, nginxInstalled, startNginx } from './nginx.ts';
import { measureStatements, type StatementFigures } from './statements.ts';
import {
  type Child,
  fetchText,
  formatMarkdown,
  freePort,
  LOOPBACK,
  type LoadFigures,
  machineFacts,
  measureLoad,
  startChild,
  timePerCall,
  timePerCallSync,
  waitForHttp,
  waitForQuiet,
  writeResultsSection,
} from './support.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const OUT_DIR = path.join(ROOT, 'bench', 'out');
const RESULTS_FILE = path.join(ROOT, 'bench', 'RESULTS.md');

// Overridable for a quick trial run; the figures in RESULTS.md come from the defaults.
const DEMO_DOCUMENTS = Number(process.env.BENCH_DOCUMENTS ?? 10_000);
const CONNECTIONS = 32;
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const WARM_UP_S = Number(process.env.BENCH_WARM_UP ?? 2);
const RENDER_ITERATIONS = 5000;
const QUERY_ITERATIONS = 3000;
const LISTING_PAGE = 50;
/** Longest wait, before each target, for other work on the machine to calm down. */
const QUIET_WAIT_S = Number(process.env.BENCH_QUIET_WAIT ?? 60);

/**
 * The PostgreSQL server the same pages are measured on, in a database of their own made and
 * dropped by the run (BENCH_POSTGRES=off: SQLite only).
 */
const POSTGRES_ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MEASURE_POSTGRES = process.env.BENCH_POSTGRES !== 'off';

/** Sections of RESULTS.md that other benchmarks write. */
const OTHER_SECTIONS = ['## Archive import', '## Command line'];

const TARGETS = {
  ratioToNginx: 0.1,
  documentP99Ms: 20,
  listingP99Ms: 30,
  documentKb: 40,
};

const fileOf = (databaseUrl: string) => databaseUrl.slice('sqlite:'.length);
const log = (line: string) => console.log(`[bench] ${line}`);
const round = (value: number, digits = 2) => Number(value.toFixed(digits));
const kb = (bytes: number) => bytes / 1024;
/** wrk measures to the microsecond, autocannon to the millisecond. */
const latency = (ms: number) => (Number.isInteger(ms) ? String(ms) : ms.toFixed(2));

async function load(label: string, url: string, serverPid: number | undefined): Promise<LoadFigures> {
  const idle = await waitForQuiet(QUIET_WAIT_S);
  if (idle !== undefined && idle >= 0.25)
    log(`machine still busy (${idle.toFixed(2)} cores) after ${QUIET_WAIT_S} s: measuring anyway`);
  log(`${label}: warm-up ${WARM_UP_S} s, then ${DURATION_S} s at ${CONNECTIONS} connections — ${url}`);
  await measureLoad(label, url, { serverPid, connections: CONNECTIONS, durationS: WARM_UP_S });
  const figures = await measureLoad(label, url, { serverPid, connections: CONNECTIONS, durationS: DURATION_S });
  log(
    `${label}: ${Math.round(figures.requestsPerSecond)} req/s, p50 ${figures.p50} ms, p99 ${figures.p99} ms, errors ${figures.errors}, non-2xx ${figures.non2xx}, CPU server ${figures.serverCores?.toFixed(2)} / ${figures.generator} ${figures.clientCores.toFixed(2)} / other ${figures.otherCores?.toFixed(2)} cores`,
  );
  return figures;
}

/**
 * The listing under test: of every single-choice filter the /documents form offers (type, field of work,
 * country, source, year), the most selective one that still has page `LISTING_PAGE` — the deepest
 * offset relative to its matches. Totals come from `runListing` itself, so they are what the site counts.
 */
async function chooseListingFilter(databaseUrl: string, now: string) {
  const store = await openStore(databaseUrl);
  try {
    const catalog = await loadCatalog(store.db);
    const thisYear = new Date(now).getUTCFullYear();
    const candidates: Array<[string, string]> = [
      ...LISTED_KINDS.map((k): [string, string] => ['type', k.kind]),
      ...catalog.fields.map((f): [string, string] => ['field', f.slug]),
      ...catalog.countries.map((c): [string, string] => ['country', c.slug]),
      ...catalog.structures.map((s): [string, string] => ['source', s.slug]),
      ...Array.from({ length: thisYear - 1990 }, (_, i): [string, string] => ['year', String(thisYear - i)]),
    ];
    const counted: Array<{ name: string; value: string; total: number; pages: number }> = [];
    for (const [name, value] of candidates) {
      const listing = await sqlListing(store.db, catalog, now)(parseFilter({ [name]: value }, catalog));
      counted.push({ name, value, total: listing.total, pages: listing.pageCount });
    }
    const most = (name: string) =>
      counted.filter((c) => c.name === name).reduce((best, c) => (c.total > best.total ? c : best));
    const qualifying = counted.filter((c) => c.pages >= LISTING_PAGE).sort((a, b) => a.total - b.total);
    const chosen = qualifying[0];
    const biggest = ['field', 'year', 'country']
      .map((name) => {
        const top = most(name);
        return `${name} ${top.value}: ${top.total} documents, ${top.pages} pages`;
      })
      .join('; ');
    if (!chosen) throw new Error(`no single filter reaches page ${LISTING_PAGE} (${biggest})`);
    return {
      path: `/documents?${chosen.name}=${encodeURIComponent(chosen.value)}&page=${LISTING_PAGE}`,
      query: { [chosen.name]: chosen.value, page: String(LISTING_PAGE) },
      why:
        `\`${chosen.name}=${chosen.value}\` matches ${chosen.total} documents = ${chosen.pages} pages of ${PAGE_SIZE}: ` +
        `the most selective of the ${qualifying.length} single filters of the /documents form (out of ${counted.length}) ` +
        `that reach page ${LISTING_PAGE}, i.e. the deepest relative offset. Largest of the others: ${biggest}.`,
    };
  } finally {
    await store.close();
  }
}

interface InProcessFigures {
  /** `rows`: reading the lists' rows from SQLite, which the listing service then holds (not per request). */
  document: { find: number; read: number; related: number; rows: number; render: number };
  listing: { query: number; rows: number; render: number };
  home: { queries: number; rows: number; render: number };
  htmlElements: number;
  statements: StatementFigures[];
}

/**
 * The read path without HTTP, as the server runs it once its bitmap index has loaded: each page's
 * queries (the listing service, the index) and its render, milliseconds per call.
 */
async function measureInProcess(
  databaseUrl: string,
  documentUrl: string,
  query: Record<string, string>,
): Promise<InProcessFigures> {
  const store = await openStore(databaseUrl);
  const catalog = await loadCatalog(store.db);
  const now = new Date().toISOString();
  const clock = () => new Date(now);
  const { search, terms: indexTerms } = searchFor(store.capabilities.engine);
  const listings = await createListingService({ store, search, clock, ancestorsOf: (id) => catalog.ancestorIds(id) });
  try {
    const db = store.db;
    const before = await latestChangeSeq(db);
    const index = await loadBitmapIndex({
      db,
      searchDb: store.searchDb,
      search,
      terms: indexTerms,
      subtrees: () => catalog.subtrees,
      frequentTermMinDocuments: null,
    });
    listings.useIndex(index, before);
    const context = createSiteContext(
      { db, catalog, baseUrl: 'http://127.0.0.1', clock, search, listings },
      loadAssets(),
    );

    const address = new URL(documentUrl).pathname;
    // As the page reads it: its record held by the listing service once read.
    const found = await listings.document(address);
    if (!found) throw new Error(`document not found in-process: ${documentUrl}`);
    const { doc, terms } = found;
    const relatedChoice = { fieldIds: terms.fieldIds, sourceIds: doc.sourceIds, besides: doc.id };
    const related = await listings.newest(relatedChoice, 5);
    const idsOf = (rows: readonly { id: number }[]) => rows.map((row) => row.id);

    log(`in-process: document queries × ${QUERY_ITERATIONS}, renderDocumentPage × ${RENDER_ITERATIONS}`);
    const document = {
      find: await timePerCall(QUERY_ITERATIONS, () => listings.document(address)),
      read: await timePerCall(QUERY_ITERATIONS, () => findVisibleDocumentWithTerms(db, address, now)),
      related: await timePerCall(QUERY_ITERATIONS, () => listings.newest(relatedChoice, 5)),
      rows: await timePerCall(QUERY_ITERATIONS, () => summariesOf(db, idsOf(related))),
      render: timePerCallSync(RENDER_ITERATIONS, () => renderDocumentPage(context, doc, terms, related)),
    };
    const page = Buffer.concat(renderDocumentPage(context, doc, terms, related)).toString('utf8');
    const htmlElements = (page.match(/<[a-zA-Z][^>]*>/g) ?? []).length;

    log('in-process: listing page 50 and home page');
    const filter = parseFilter(query, catalog);
    const listingOptions = {
      title: 'All documents',
      description: 'Press releases, news, statements, events and publications.',
      breadcrumbs: [{ label: 'Home', href: '/' }, { label: 'All documents' }],
      path: '/documents',
      facets: ['type', 'field', 'country', 'source', 'year'] as const,
    };
    const listing = await listings.run(filter, { facets: true });
    const homeQueries = () =>
      Promise.all([
        listings.newest({ kinds: ['press-release'] }, 6),
        listings.newest({ kinds: ['news'] }, 3),
        listings.upcomingEvents(3),
      ]);
    const [pressReleases, news, events] = await homeQueries();
    log('in-process: each SQL statement, prepared once and prepared every time');
    const statements = await measureStatements(fileOf(databaseUrl), [
      {
        label: 'Document',
        run: async (own) => {
          await findVisibleDocumentWithTerms(own, address, now);
          await summariesOf(own, idsOf(related));
        },
      },
      { label: `Listing p.${LISTING_PAGE}`, run: (own) => summariesOf(own, idsOf(listing.items)) },
      {
        label: 'Home',
        run: (own) =>
          Promise.all([
            summariesOf(own, idsOf(pressReleases)),
            summariesOf(own, idsOf(news)),
            summariesOf(own, idsOf(events)),
          ]),
      },
    ]);
    return {
      statements,
      document,
      listing: {
        query: await timePerCall(QUERY_ITERATIONS, () => listings.run(filter, { facets: true })),
        rows: await timePerCall(QUERY_ITERATIONS, () => summariesOf(db, idsOf(listing.items))),
        render: timePerCallSync(RENDER_ITERATIONS / 5, () =>
          renderListingPage(context, { ...listingOptions, facets: [...listingOptions.facets], listing }),
        ),
      },
      home: {
        queries: await timePerCall(QUERY_ITERATIONS, homeQueries),
        rows: await timePerCall(QUERY_ITERATIONS, () =>
          Promise.all([
            summariesOf(db, idsOf(pressReleases)),
            summariesOf(db, idsOf(news)),
            summariesOf(db, idsOf(events)),
          ]),
        ),
        render: timePerCallSync(RENDER_ITERATIONS, () => renderHomePage(context, { pressReleases, news, events })),
      },
      htmlElements,
    };
  } finally {
    listings.close();
    await store.close();
  }
}

const sumOf = (statements: StatementFigures[], page: string, key: 'prepareUs' | 'executeUs') =>
  statements.filter((st) => st.label.startsWith(`${page} `)).reduce((sum, st) => sum + st[key], 0);

function verdict(pass: boolean | undefined): string {
  if (pass === undefined) return 'not measured';
  return pass ? '**PASS**' : '**MISS**';
}

interface Report {
  date: string;
  machine: ReturnType<typeof machineFacts>;
  setupSeconds: number;
  documents: number;
  dbMb: number;
  sqliteVersion: string;
  /** nginx before the site and, `again`, after the SQLite pages. */
  nginx: { version: string; figures: LoadFigures; again?: LoadFigures } | { skipped: string };
  /** One Node process serving the page as a constant: the ceiling of any Node server. */
  floors: LoadFigures[];
  loads: LoadFigures[];
  /** The same three pages on PostgreSQL, or why they were not measured. */
  postgres: { version: string; setupSeconds: number; loads: LoadFigures[] } | { skipped: string };
  documentUrl: string;
  listingWhy: string;
  sizes: { html: number; css: number; htmlGzip: number; cssGzip: number; cssPath: string };
  inProcess: InProcessFigures;
}

function renderReport(r: Report): string {
  const [documentLoad, homeLoad, listingLoad] = r.loads as [LoadFigures, LoadFigures, LoadFigures];
  const nginxFigures = 'figures' in r.nginx ? r.nginx.figures : undefined;
  const nginxAgain = 'figures' in r.nginx ? r.nginx.again : undefined;
  // The baseline: the mean of nginx before and after the site, when both were measured.
  const baseline = nginxFigures
    ? nginxAgain
      ? (nginxFigures.requestsPerSecond + nginxAgain.requestsPerSecond) / 2
      : nginxFigures.requestsPerSecond
    : undefined;
  const ratioOf = (figures: LoadFigures) => (baseline ? figures.requestsPerSecond / baseline : undefined);
  const ratio = ratioOf(documentLoad);
  const ratioRow = (name: string, figures: LoadFigures) => {
    const value = ratioOf(figures);
    return `| ${name} ≥ ${TARGETS.ratioToNginx}× nginx requests/s | ${value === undefined ? 'nginx not run' : `${value.toFixed(3)}×`} | ${verdict(value === undefined ? undefined : value >= TARGETS.ratioToNginx)} |`;
  };
  const floorLines = r.floors
    .map((floor) => {
      const value = ratioOf(floor);
      return `${floor.label}: ${Math.round(floor.requestsPerSecond).toLocaleString('en-US')} requests/s${value === undefined ? '' : ` (${value.toFixed(3)}× nginx)`}`;
    })
    .join('; ');
  const pageKb = kb(r.sizes.html + r.sizes.css);
  const postgresLoads = 'loads' in r.postgres ? r.postgres.loads : [];
  const rows = [
    ...(nginxFigures ? [nginxFigures] : []),
    ...r.floors,
    ...r.loads,
    ...(nginxAgain ? [nginxAgain] : []),
    ...postgresLoads,
  ].map(
    (f) =>
      `| ${f.label} | \`${f.path}\` | ${Math.round(f.requestsPerSecond).toLocaleString('en-US')} | ${latency(f.p50)} | ${latency(f.p99)} | ${latency(f.max)} | ${f.requests.toLocaleString('en-US')} | ${f.errors + f.timeouts} | ${f.non2xx} | ${f.serverCores === undefined ? '–' : f.serverCores.toFixed(2)} | ${f.clientCores.toFixed(2)} | ${f.otherCores === undefined ? '–' : f.otherCores.toFixed(2)} |`,
  );
  const ip = r.inProcess;
  const documentTotal = ip.document.find + ip.document.related + ip.document.render;
  const listingTotal = ip.listing.query + ip.listing.render;
  const homeTotal = ip.home.queries + ip.home.render;
  const ms = (value: number) => value.toFixed(3);
  const share = (value: number, total: number) => `${Math.round((value / total) * 100)} %`;
  const m = r.machine;
  const generator = documentLoad.generator;
  return `# Benchmark results

Produced by \`npm run bench\` (bench/run.ts) on ${r.date}. Overwritten on every run.

Search at scale (\`npm run bench:search\`): [SEARCH-RESULTS.md](SEARCH-RESULTS.md).

## Machine

- CPU: ${m.model}, \`nproc\` = ${m.nproc}, ${m.memoryGb} GB RAM, ${m.kernel}
- Node ${m.node}, SQLite ${r.sqliteVersion}, ${'version' in r.nginx ? r.nginx.version : `nginx: ${r.nginx.skipped}`}
- Load generator: ${
    generator === 'wrk'
      ? "wrk (Debian's package), one thread, so that the server has the other core"
      : 'autocannon 8 (programmatic API) in the benchmark process, as wrk is not installed: it saturates a core near 10,000 req/s and understates nginx'
  }; ${CONNECTIONS} connections,
  ${WARM_UP_S} s warm-up then ${DURATION_S} s measured per target, one target at a time, 127.0.0.1 only.
- The site: one Node process (\`node bin/dateline.js serve\`, LOG_LEVEL=warn, no page cache), on a
  fresh SQLite file with ${r.documents.toLocaleString('en-US')} demo documents (${r.dbMb} MB after checkpoint).
  \`setUpDatabase(store, { demo: ${r.documents} })\` took **${r.setupSeconds.toFixed(1)} s**.
- ${
    'loads' in r.postgres
      ? `The same site on PostgreSQL (${r.postgres.version}, the machine's own server, on 127.0.0.1), in a fresh database with the same demo documents, measured after the SQLite run, from \`/readyz\` green (its listing index loaded); \`setUpDatabase\` took **${r.postgres.setupSeconds.toFixed(1)} s** there.`
      : `PostgreSQL: not measured (${r.postgres.skipped}).`
  }
- The baseline: nginx, \`worker_processes 1\` (one worker, like the one Node process), access log off,
  gzip off, sendfile on, keep-alive without a request cap, serving the document page's HTML saved as a
  static file. Neither server compresses.

## Targets

| Target | Measured | Result |
| --- | --- | --- |
${ratioRow('Document page', documentLoad)}
${ratioRow('Home page', homeLoad)}
${ratioRow(`Listing page ${LISTING_PAGE}`, listingLoad)}
${postgresLoads.map((figures) => ratioRow(`PostgreSQL: ${figures.label.replace(/^Dateline on PostgreSQL, /, '')}`, figures)).join('\n')}
| Document page p99 < ${TARGETS.documentP99Ms} ms at ${CONNECTIONS} connections | ${documentLoad.p99} ms | ${verdict(documentLoad.p99 < TARGETS.documentP99Ms)} |
| Listing (page ${LISTING_PAGE}) p99 < ${TARGETS.listingP99Ms} ms at ${CONNECTIONS} connections | ${listingLoad.p99} ms | ${verdict(listingLoad.p99 < TARGETS.listingP99Ms)} |
| Document page HTML + CSS < ${TARGETS.documentKb} KB uncompressed | ${pageKb.toFixed(1)} KB | ${verdict(pageKb < TARGETS.documentKb)} |

## Load (HTTP, ${CONNECTIONS} connections, ${DURATION_S} s each)

| Target | Path | Requests/s (avg) | p50 ms | p99 ms | max ms | Requests | Errors + timeouts | Non-2xx | Server CPU | ${generator} CPU | Other CPU |
| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.join('\n')}

${
  nginxFigures && nginxAgain && baseline
    ? `Ratios are to nginx's mean, ${Math.round(baseline).toLocaleString('en-US')} requests/s: it served ${Math.round(nginxFigures.requestsPerSecond).toLocaleString('en-US')} before the site and ${Math.round(nginxAgain.requestsPerSecond).toLocaleString('en-US')} after the SQLite pages (the machine's speed drifts during a run).\n\n`
    : ''
}${floorLines ? `The ceiling of one Node process, with no database, no rendering and no plugin: ${floorLines}. Whatever the site does per request comes on top of that.\n\n` : ''}${
  nginxFigures && nginxFigures.clientCores > 0.9 && (nginxFigures.serverCores ?? 1) < 0.9
    ? `nginx's figure is bounded by the load generator, not by nginx: ${generator} used ${nginxFigures.clientCores.toFixed(2)} cores and nginx ${nginxFigures.serverCores?.toFixed(2)}, so nginx could serve more and the true ratio is lower than the ${ratio?.toFixed(3)}× shown.\n\n`
    : ''
}${generator === 'autocannon' ? 'autocannon records latency in whole milliseconds. ' : ''}CPU columns are cores busy during the measured
run (1.00 = one core all the time), from /proc: the server process (nginx: master and worker), the
load generator (${generator}), and everything else on the machine — which should be near 0; before
each target the benchmark waits up to ${QUIET_WAIT_S} s for a quiet second. Document page: \`${r.documentUrl}\` (the newest press
release linked from the home page). Listing: ${r.listingWhy}

## Page weight (document page, uncompressed)

| Part | Bytes | KB | gzip KB (for information) |
| --- | ---: | ---: | ---: |
| HTML | ${r.sizes.html.toLocaleString('en-US')} | ${kb(r.sizes.html).toFixed(1)} | ${kb(r.sizes.htmlGzip).toFixed(1)} |
| CSS (\`${r.sizes.cssPath}\`) | ${r.sizes.css.toLocaleString('en-US')} | ${kb(r.sizes.css).toFixed(1)} | ${kb(r.sizes.cssGzip).toFixed(1)} |
| Total | ${(r.sizes.html + r.sizes.css).toLocaleString('en-US')} | ${pageKb.toFixed(1)} | ${kb(r.sizes.htmlGzip + r.sizes.cssGzip).toFixed(1)} |

KB = 1,024 bytes. The HTML has ${ip.htmlElements} elements.

## Read path in-process (no HTTP, one call at a time)

| Step | ms per call | Share |
| --- | ---: | ---: |
| Document: \`listings.document\` (the document and its terms, held) | ${ms(ip.document.find)} | ${share(ip.document.find, documentTotal)} |
| Document: \`listings.newest\` (related: ids from the bitmap index, rows held) | ${ms(ip.document.related)} | ${share(ip.document.related, documentTotal)} |
| Document: \`renderDocumentPage\` (× ${RENDER_ITERATIONS}, to bytes) | ${ms(ip.document.render)} | ${share(ip.document.render, documentTotal)} |
| Document: the document and its terms read from SQLite (\`findVisibleDocumentWithTerms\`, when not held) | ${ms(ip.document.read)} | – |
| Document: the related rows read from SQLite (\`summariesOf\`, when not held) | ${ms(ip.document.rows)} | – |
| Listing page ${LISTING_PAGE}: \`listings.run\` (bitmap index; counts and rows held) | ${ms(ip.listing.query)} | ${share(ip.listing.query, listingTotal)} |
| Listing page ${LISTING_PAGE}: \`renderListingPage\` | ${ms(ip.listing.render)} | ${share(ip.listing.render, listingTotal)} |
| Listing page ${LISTING_PAGE}: its rows read from SQLite (when not held) | ${ms(ip.listing.rows)} | – |
| Home: two \`listings.newest\` and \`listings.upcomingEvents\` (bitmap index, rows held) | ${ms(ip.home.queries)} | ${share(ip.home.queries, homeTotal)} |
| Home: \`renderHomePage\` | ${ms(ip.home.render)} | ${share(ip.home.render, homeTotal)} |
| Home: their rows read from SQLite (when not held) | ${ms(ip.home.rows)} | – |

As the server runs them once its bitmap index has loaded. The listing service keeps the rows of
listed documents and the records of documents read until the change log names them
(\`src/listing/held-rows.ts\`), so a list or a document page reads them from SQLite once; the
"when not held" rows give that cost, outside the shares. Every page is still rendered at every
request: held rows, facet panels and bodies keep their encoded markup, the rest is built anew. Shares
are of that page's queries + render; the rest of a request's time is Fastify, the headers and the
socket.

## SQL statements (SQLite alone, better-sqlite3, µs per call)

The statements the pages run once the index has loaded. The store keeps prepared statements
(\`src/store/sqlite.ts\`) and the hot reads are compiled once (\`src/store/prepared.ts\`), so a
request pays the execute column only; the rows' statements run only for rows not already held.

| Statement | Rows | Prepare µs | Execute µs | Plan |
| --- | ---: | ---: | ---: | --- |
${ip.statements.map((st) => `| ${st.label} | ${st.rows} | ${st.prepareUs.toFixed(1)} | ${st.executeUs.toFixed(1)} | ${st.plan} |`).join('\n')}

Document page: execute ${sumOf(ip.statements, 'Document', 'executeUs').toFixed(0)} µs for its statements (the last one, its related rows, only when they are not held), of the ${(
    (ip.document.read + ip.document.rows) * 1000
  ).toFixed(0)} µs \`findVisibleDocumentWithTerms\` and \`summariesOf\` take in-process when nothing is held.

<details><summary>The statements</summary>

${ip.statements.map((st) => `- ${st.label}: \`${st.sql}\``).join('\n')}

</details>
`;
}

async function main(): Promise<void> {
  const started = Date.now();
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const runDir = fs.mkdtempSync(path.join(OUT_DIR, 'run-'));
  const dbFile = path.join(runDir, 'bench.db');
  const databaseUrl = `sqlite:${dbFile}`;
  const children: Child[] = [];
  try {
    // 1. A fresh database with the demo corpus.
    await waitForQuiet(QUIET_WAIT_S);
    log(`fresh database ${dbFile}; setUpDatabase with ${DEMO_DOCUMENTS} demo documents`);
    const setupStore = await openStore(databaseUrl);
    const setupStart = process.hrtime.bigint();
    let report: Awaited<ReturnType<typeof setUpDatabase>>;
    try {
      report = await setUpDatabase(setupStore, { demo: DEMO_DOCUMENTS });
    } finally {
      await setupStore.close(); // also checkpoints the WAL into the database file
    }
    const setupSeconds = Number(process.hrtime.bigint() - setupStart) / 1e9;
    log(`setup: ${setupSeconds.toFixed(1)} s, ${report.demoDocuments} demo documents, ${report.pages} pages`);
    const dbMb = round(fs.statSync(dbFile).size / 1024 ** 2, 1);

    const listing = await chooseListingFilter(databaseUrl, new Date().toISOString());
    log(`listing: ${listing.path} — ${listing.why}`);

    // 2. The site in its own process.
    const { server, origin } = await startSite('dateline', databaseUrl, path.join(runDir, 'media'));
    children.push(server);
    await waitForHttp(`${origin}/healthz`, server);
    log(`site listening on ${origin} (pid ${server.process.pid})`);

    // 3. The pages under test.
    const home = await fetchText(`${origin}/`);
    const documentPath = /href="(\/press-releases\/\d{4}\/\d{2}\/[a-z0-9-]+)"/.exec(home)?.[1];
    if (!documentPath) throw new Error('no press release linked from the home page');
    const documentUrl = `${origin}${documentPath}`;
    const documentHtml = await fetchText(documentUrl);
    const cssPath = /href="(\/assets\/site\.[0-9a-f]+\.css)"/.exec(documentHtml)?.[1];
    if (!cssPath) throw new Error('no /assets/site.*.css link in the document page');
    const css = await fetchText(`${origin}${cssPath}`);
    await fetchText(`${origin}${listing.path}`);
    const sizes = {
      html: Buffer.byteLength(documentHtml),
      css: Buffer.byteLength(css),
      htmlGzip: gzipSync(documentHtml).length,
      cssGzip: gzipSync(css).length,
      cssPath,
    };
    log(`document: ${documentPath}; HTML ${kb(sizes.html).toFixed(1)} KB + CSS ${kb(sizes.css).toFixed(1)} KB`);

    // 4. nginx with the same page, measured first and stopped before the site is measured (and
    // again after it: the machine's speed drifts, and the ratio is taken to the mean of the two).
    const nginxDir = path.join(runDir, 'nginx');
    let nginx: Report['nginx'];
    if (nginxInstalled()) {
      nginx = await measureNginx(nginxDir, documentHtml, children, 'nginx, static document');
    } else {
      nginx = { skipped: `not installed (${NGINX_BINARY}); install it with: apt-get install -y nginx` };
      log(`nginx comparison skipped: ${nginx.skipped}`);
    }

    // 4b. The ceiling of one Node process: the same bytes as a constant, without the site.
    const floors: LoadFigures[] = [];
    const savedPage = path.join(runDir, 'document.html');
    fs.writeFileSync(savedPage, documentHtml);
    for (const [kind, label] of [
      ['http', 'Node http, constant page'],
      ['fastify', 'Fastify route, constant page'],
    ] as const) {
      const floorPort = await freePort();
      const floor = startChild(
        label,
        process.execPath,
        ['--import', 'tsx', path.join(ROOT, 'bench', 'static-node.ts'), kind, savedPage, String(floorPort)],
        process.env,
        ROOT,
      );
      children.push(floor);
      const floorUrl = `http://${LOOPBACK}:${floorPort}/document.html`;
      await waitForHttp(floorUrl, floor);
      try {
        floors.push(await load(label, floorUrl, floor.process.pid));
      } finally {
        await floor.stop();
      }
    }

    // 5. The site.
    const loads = [
      await load('Dateline, document page', documentUrl, server.process.pid),
      await load('Dateline, home page', `${origin}/`, server.process.pid),
      await load(`Dateline, listing page ${LISTING_PAGE}`, `${origin}${listing.path}`, server.process.pid),
    ];
    await server.stop();
    if ('figures' in nginx) {
      const again = await measureNginx(nginxDir, documentHtml, children, 'nginx, static document, again');
      nginx = { ...nginx, again: again.figures };
    }

    // 5b. The same pages on PostgreSQL.
    const postgres = MEASURE_POSTGRES
      ? await measurePostgres(children, runDir, [documentPath, '/', listing.path])
      : { skipped: 'BENCH_POSTGRES=off' };

    // 6. The read path alone.
    await waitForQuiet(QUIET_WAIT_S);
    const inProcess = await measureInProcess(databaseUrl, documentUrl, listing.query);
    const sqliteVersion = await sqliteVersionOf(databaseUrl);

    const markdown = renderReport({
      date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      machine: machineFacts(),
      setupSeconds,
      documents: DEMO_DOCUMENTS,
      dbMb,
      sqliteVersion,
      nginx,
      loads,
      postgres,
      documentUrl: documentPath,
      listingWhy: listing.why,
      sizes,
      inProcess,
      floors,
    });
    // The sections other benchmarks write (bench/import.ts, bench/cli.ts) outlive this one's run.
    const previous = fs.existsSync(RESULTS_FILE) ? fs.readFileSync(RESULTS_FILE, 'utf8') : '';
    fs.writeFileSync(RESULTS_FILE, markdown);
    for (const title of OTHER_SECTIONS) {
      const start = previous.indexOf(`\n${title}\n`);
      if (start < 0) continue;
      const end = previous.indexOf('\n## ', start + 1);
      writeResultsSection(RESULTS_FILE, title, previous.slice(start + 1, end < 0 ? undefined : end + 1));
    }
    formatMarkdown(RESULTS_FILE);
    log(`wrote ${path.relative(ROOT, RESULTS_FILE)} in ${Math.round((Date.now() - started) / 1000)} s`);
    console.log(`\n${fs.readFileSync(RESULTS_FILE, 'utf8')}`);
  } finally {
    for (const child of children) await child.stop();
    if (process.env.BENCH_KEEP !== '1') fs.rmSync(runDir, { recursive: true, force: true });
  }
}

/** The site in its own process on a free port, as the benchmark measures it. */
async function startSite(
  name: string,
  databaseUrl: string,
  mediaDir: string,
): Promise<{ server: Child; origin: string }> {
  const port = await freePort();
  const origin = `http://${LOOPBACK}:${port}`;
  const server = startChild(
    name,
    process.execPath,
    [path.join(ROOT, 'bin', 'dateline.js'), 'serve'],
    {
      ...process.env,
      PORT: String(port),
      HOST: LOOPBACK,
      DATABASE_URL: databaseUrl,
      BASE_URL: origin,
      LOG_LEVEL: 'warn',
      MEDIA_DIR: mediaDir,
      // The load generator is one address: the limit stays in the path but never refuses.
      RATE_LIMIT: '999999999',
    },
    ROOT,
  );
  return { server, origin };
}

/** nginx serving the document page's bytes as a file, measured, then stopped. */
async function measureNginx(
  dir: string,
  page: string,
  children: Child[],
  label: string,
): Promise<{ version: string; figures: LoadFigures }> {
  const server = await startNginx(dir, await freePort(), page);
  children.push(server.child);
  try {
    if ((await fetchText(server.url)) !== page)
      throw new Error('nginx does not serve the same bytes as the document page');
    return { version: server.version, figures: await load(label, server.url, server.child.process.pid) };
  } finally {
    await server.child.stop();
  }
}

/**
 * The three pages served from PostgreSQL: a database of its own with the same demo corpus (the
 * generator is deterministic, so the same addresses), the server measured once its index has
 * loaded, the database dropped at the end.
 */
async function measurePostgres(
  children: Child[],
  runDir: string,
  [documentPath, homePath, listingPath]: readonly string[],
): Promise<Report['postgres']> {
  const name = `dateline_bench_${process.pid}`;
  try {
    await createDatabase(POSTGRES_ADMIN_URL, name);
  } catch (error) {
    const skipped = `no PostgreSQL at ${POSTGRES_ADMIN_URL}: ${error instanceof Error ? error.message : String(error)}`;
    log(`PostgreSQL skipped: ${skipped}`);
    return { skipped };
  }
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  try {
    await waitForQuiet(QUIET_WAIT_S);
    log(`PostgreSQL database ${name}; setUpDatabase with ${DEMO_DOCUMENTS} demo documents`);
    const store = await openStore(databaseUrl);
    const setupStart = process.hrtime.bigint();
    let version: string;
    try {
      await setUpDatabase(store, { demo: DEMO_DOCUMENTS });
      version = (await sql<{ v: string }>`show server_version`.execute(store.db)).rows[0]?.v ?? 'unknown';
    } finally {
      await store.close();
    }
    const setupSeconds = Number(process.hrtime.bigint() - setupStart) / 1e9;
    log(`PostgreSQL setup: ${setupSeconds.toFixed(1)} s`);
    const { server, origin } = await startSite(
      'dateline (PostgreSQL)',
      databaseUrl,
      path.join(runDir, 'media-postgres'),
    );
    children.push(server);
    try {
      // Ready: the database answers and the listing index has loaded.
      await waitForHttp(`${origin}/readyz`, server, 300_000);
      const loads: LoadFigures[] = [];
      for (const [label, pagePath] of [
        ['document page', documentPath],
        ['home page', homePath],
        [`listing page ${LISTING_PAGE}`, listingPath],
      ] as const) {
        // Once more if a kept-alive connection (from the readiness polls) was closed by the server meanwhile.
        const status = await fetch(`${origin}${pagePath}`)
          .catch(() => fetch(`${origin}${pagePath}`))
          .then(async (response) => {
            await response.arrayBuffer();
            return response.status;
          });
        if (status !== 200) throw new Error(`PostgreSQL: ${pagePath} answered ${status}`);
        loads.push(await load(`Dateline on PostgreSQL, ${label}`, `${origin}${pagePath}`, server.process.pid));
      }
      return { version: `PostgreSQL ${version}`, setupSeconds, loads };
    } finally {
      await server.stop();
    }
  } finally {
    await dropDatabase(POSTGRES_ADMIN_URL, name);
  }
}

async function sqliteVersionOf(databaseUrl: string): Promise<string> {
  const store = await openStore(databaseUrl);
  try {
    const row = await sql<{ v: string }>`select sqlite_version() as v`.execute(store.db);
    return row.rows[0]?.v ?? 'unknown';
  } finally {
    await store.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
