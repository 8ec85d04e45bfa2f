import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { main } from '../src/cli.ts';
import { COMMIT_EVERY_MS, type ImportSummary, PAGE_EXTENSION } from '../src/importers/import-pages.ts';
import { bundledPageFiles } from '../src/setup.ts';
import { openStore } from '../src/store/store.ts';
import { type Catalog, loadCatalog } from '../src/taxonomy/catalog.ts';
import { formatMarkdown, machineFacts, writeResultsSection } from './support.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const RESULTS_FILE = path.join(ROOT, 'bench', 'RESULTS.md');
const SECTION_TITLE = '## Archive import';
/** The target of the task that made `import-page` take archives: "well under a minute". */
const TARGET_SECONDS = 60;

const { values: args } = parseArgs({ options: { pages: { type: 'string', default: '10000' } }, strict: true });
if (!/^\d{1,7}$/.test(args.pages) || Number(args.pages) === 0) {
  console.error(`bench:import: --pages must be a whole number above 0, not "${args.pages}"`);
  process.exit(2);
}
const PAGE_COUNT = Number(args.pages);

const KINDS = ['Press release', 'News', 'Statement', 'Publication'] as const;
const ACTIVITIES = [
  'Round table on',
  'Training course on',
  'Progress review on',
  'Report launched on',
  'Conference on',
];
const TOPICS = ['media freedom', 'border management', 'election observation', 'gender equality', 'water governance'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October'];

/** The seed press release, split into the menu (kept as is: every real capture has it) and its paragraphs. */
function seedParts() {
  const file = bundledPageFiles().find((name) => name.includes('osce-plays-key-role')) as string;
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const start = lines.indexOf('Press release');
  const bodyStart = lines.findIndex((line) => /^VIENNA, \d+ \w+ \d{4} - /.test(line));
  return {
    menu: lines.slice(0, start).join('\n'),
    paragraphs: lines.slice(bodyStart + 1).filter((line) => line.trim() !== ''),
    opening: (lines[bodyStart] ?? '').replace(/^VIENNA, \d+ \w+ \d{4} - /, ''),
  };
}

/** Names the importer resolves: no commas, since a comma separates several values on one line. */
function namesOf(catalog: Catalog) {
  const plain = (name: string) => !/[,/]/.test(name);
  return {
    sources: catalog.structures.map((s) => s.name).filter(plain),
    fields: catalog.fields.map((f) => f.name).filter(plain),
    places: catalog.countries.flatMap((c) =>
      c.capital && plain(c.capital) ? [{ city: c.capital, country: c.name }] : [],
    ),
  };
}

const pick = <T>(list: readonly T[], index: number, stride: number): T => list[(index * stride) % list.length] as T;

/** Page `i`: its own title, date, kind, source, fields and place, so every page is a document of its own. */
function pageText(i: number, seed: ReturnType<typeof seedParts>, names: ReturnType<typeof namesOf>) {
  const year = 2000 + (i % 26);
  const month = MONTHS[(i * 7) % MONTHS.length] as string;
  const day = 1 + ((i * 13) % 28);
  const place = pick(names.places, i, 11);
  const source = pick(names.sources, i, 17);
  // Short enough that the slug (cut at 80 characters) keeps the number that makes it unique.
  const title = `${pick(ACTIVITIES, i, 3)} ${pick(TOPICS, i, 7)} in ${place.city}, no. ${i + 1}`;
  return {
    year,
    text: [
      seed.menu,
      pick(KINDS, i, 5),
      title,
      '- Date:',
      `- ${day} ${month} ${year}`,
      '- Place:',
      `- ${place.city.toUpperCase()}`,
      '- Source:',
      `- ${source}`,
      '- Fields of work:',
      `- ${pick(names.fields, i, 19)}, ${pick(names.fields, i + 1, 23)}`,
      `${place.city.toUpperCase()}, ${day} ${month} ${year} - ${seed.opening}`,
      `The meeting in ${place.city} (${place.country}) was number ${i + 1} of its series.`,
      ...seed.paragraphs,
      '',
    ].join('\n'),
  };
}

/** One folder per year, as archives are usually kept; returns the bytes written. */
function writePages(folder: string, catalog: Catalog): number {
  const seed = seedParts();
  const names = namesOf(catalog);
  let bytes = 0;
  for (let i = 0; i < PAGE_COUNT; i += 1) {
    const { year, text } = pageText(i, seed, names);
    const yearFolder = path.join(folder, String(year));
    fs.mkdirSync(yearFolder, { recursive: true });
    fs.writeFileSync(path.join(yearFolder, `page-${String(i).padStart(7, '0')}${PAGE_EXTENSION}`), text);
    bytes += Buffer.byteLength(text);
  }
  return bytes;
}

interface Run {
  label: string;
  summary: ImportSummary;
  seconds: number;
  pagesPerSecond: number;
  /** CPU time of this process during the run: the machine may be shared, wall time alone can mislead. */
  cpuSeconds: number;
}

/** `dateline import-page FOLDER --report FILE`, exactly as a user runs it. */
async function importRun(label: string, pagesFolder: string, reportFile: string): Promise<Run> {
  const output: string[] = [];
  const cpu = process.cpuUsage();
  const code = await main(['import-page', pagesFolder, '--report', reportFile], (line) => output.push(line));
  const { user, system } = process.cpuUsage(cpu);
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as ImportSummary & {
    seconds: number;
    pagesPerSecond: number;
  };
  const cpuSeconds = (user + system) / 1e6;
  console.log(`${label}: ${output[0] ?? ''} (CPU ${cpuSeconds.toFixed(1)} s)`);
  if (code !== 0 || report.failed > 0) throw new Error(`${label} failed (exit ${code}):\n${output.join('\n')}`);
  return { label, summary: report, seconds: report.seconds, pagesPerSecond: report.pagesPerSecond, cpuSeconds };
}

async function databaseFacts(databaseUrl: string) {
  const store = await openStore(databaseUrl);
  try {
    const version = await sql<{ v: string }>`select sqlite_version() as v`.execute(store.db);
    const documents = await store.db
      .selectFrom('documents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return { sqlite: version.rows[0]?.v ?? 'unknown', documents: Number(documents.n) };
  } finally {
    await store.close();
  }
}

const NUMBER = new Intl.NumberFormat('en');

function sectionOf(runs: Run[], facts: { sqlite: string; documents: number }, megabytes: number): string {
  const machine = machineFacts();
  const first = runs[0] as Run;
  const verdict = first.seconds < TARGET_SECONDS ? '**PASS**' : '**MISS**';
  const rows = runs.map(
    (r) =>
      `| ${r.label} | ${NUMBER.format(r.summary.pages)} | ${NUMBER.format(r.summary.created)} | ${NUMBER.format(r.summary.updated)} | ${NUMBER.format(r.summary.unchanged)} | ${NUMBER.format(r.summary.failed)} | ${r.seconds.toFixed(1)} | ${r.cpuSeconds.toFixed(1)} | ${NUMBER.format(r.pagesPerSecond)} |`,
  );
  return `${SECTION_TITLE}

Produced by \`npm run bench:import\` (bench/import.ts) on ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}; this
section is replaced on every run of it. \`npm run bench\` rewrites the whole file, this section included: run this
benchmark after it.

- Machine: ${machine.model}, \`nproc\` = ${machine.nproc}, Node ${machine.node}, SQLite ${facts.sqlite}; CPU is this
  process's own time, since the machine may be shared.
- ${NUMBER.format(PAGE_COUNT)} generated legacy pages (the seed page's menu, then a content block with its own title,
  date, kind, source, fields of work and place; ${megabytes.toFixed(1)} MB in one folder per year), imported by
  \`dateline import-page FOLDER --report FILE\` into a fresh SQLite file with the taxonomies seeded: each page
  atomic (a savepoint), commits grouped at most ${COMMIT_EVERY_MS} ms apart, with revision, change log and full-text index.
  ${NUMBER.format(facts.documents)} documents afterwards.

| Run | Pages | Created | Updated | Unchanged | Failed | Seconds | CPU seconds | Pages/s |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.join('\n')}

Target: ${NUMBER.format(PAGE_COUNT)} pages well under ${TARGET_SECONDS} s: ${first.seconds.toFixed(1)} s, ${verdict}.
`;
}

/** Every page must have been stored the first time and found unchanged the second. */
function checkOutcomes([first, second]: Run[]): void {
  if (first?.summary.created !== PAGE_COUNT || second?.summary.unchanged !== PAGE_COUNT) {
    throw new Error(`expected ${PAGE_COUNT} created, then ${PAGE_COUNT} unchanged: ${JSON.stringify(first?.summary)}`);
  }
}

async function run(): Promise<void> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'dateline-bench-import-'));
  const databaseUrl = `sqlite:${path.join(folder, 'bench.db')}`;
  Object.assign(process.env, { DATABASE_URL: databaseUrl, BASE_URL: 'http://localhost:3000', LOG_LEVEL: 'silent' });
  try {
    if ((await main(['seed'], () => {})) !== 0) throw new Error('dateline seed failed');
    const store = await openStore(databaseUrl);
    const catalog = await loadCatalog(store.db).finally(() => store.close());
    const pagesFolder = path.join(folder, 'pages');
    const started = performance.now();
    const bytes = writePages(pagesFolder, catalog);
    console.log(`wrote ${NUMBER.format(PAGE_COUNT)} pages in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const reportFile = path.join(folder, 'report.json');
    const runs = [
      await importRun('first import', pagesFolder, reportFile),
      await importRun('re-import, nothing changed', pagesFolder, reportFile),
    ];
    checkOutcomes(runs);
    const facts = await databaseFacts(databaseUrl);
    const section = sectionOf(runs, facts, bytes / 1024 ** 2);
    writeResultsSection(RESULTS_FILE, SECTION_TITLE, section);
    formatMarkdown(RESULTS_FILE);
    console.log(`\n${section}`);
  } finally {
    if (process.env.BENCH_KEEP !== '1') fs.rmSync(folder, { recursive: true, force: true });
  }
}

await run();
