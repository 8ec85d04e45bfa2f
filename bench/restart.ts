// `npm run bench:restart -- --sqlite FILE [--postgres URL]`: how long a server takes to be ready
// (/readyz 200) at start, without its index snapshot (every document's facts read from the
// database) and with it (the snapshot loaded, the change log since replayed). Each database is
// started three times: cold without a snapshot, which writes one; then twice from the snapshot,
// after a few documents were written while it was stopped. Writes bench/RESTART-RESULTS.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writerFor } from '../src/compose.ts';
import { openStore } from '../src/store/store.ts';
import { loadCatalog } from '../src/taxonomy/catalog.ts';
import { formatMarkdown, freePort, LOOPBACK, machineFacts, startChild, writeResultsSection } from './support.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = path.join(ROOT, 'bench', 'RESTART-RESULTS.md');
const AIM_SECONDS = 5;
/** How long the cold start may take to add the postings to its snapshot. */
const POSTINGS_WAIT_MS = 5 * 60_000;

const args = parseArgs({
  options: { sqlite: { type: 'string' }, postgres: { type: 'string' }, between: { type: 'string', default: '100' } },
  strict: true,
}).values;
if (!args.sqlite && !args.postgres) {
  console.error('Usage: npm run bench:restart -- --sqlite FILE [--postgres URL] [--between N]');
  process.exit(2);
}
const BETWEEN = Number(args.between);

interface Start {
  label: string;
  readyMs: number;
  loadedFrom: string;
  /** What the server logged of its index. */
  log: string;
}

/** Starts the server, waits for /readyz 200 and the log line that ends the index's loading; stops it. */
async function timedStart(
  label: string,
  databaseUrl: string,
  snapshot: string,
  waitForSnapshot: boolean,
): Promise<Start> {
  const port = await freePort();
  const started = performance.now();
  const child = startChild(
    label,
    process.execPath,
    [path.join(ROOT, 'bin', 'dateline.js'), 'serve'],
    {
      ...process.env,
      DATABASE_URL: databaseUrl,
      INDEX_SNAPSHOT: snapshot,
      PORT: String(port),
      HOST: LOOPBACK,
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      BASE_URL: '',
    },
    ROOT,
  );
  let lines = '';
  child.process.stdout?.on('data', (chunk: Buffer) => {
    lines += chunk.toString('utf8');
  });
  try {
    let readyMs = 0;
    let loadedFrom = '';
    for (;;) {
      if (child.process.exitCode !== null) throw new Error(`${label}: the server stopped: ${child.output()}`);
      const answer = await fetch(`http://${LOOPBACK}:${port}/readyz`).then(
        async (response) => ({ status: response.status, body: (await response.json()) as { loadedFrom?: string } }),
        () => null,
      );
      if (answer?.status === 200) {
        readyMs = performance.now() - started;
        loadedFrom = answer.body.loadedFrom ?? '';
        break;
      }
      if (performance.now() - started > 30 * 60_000) throw new Error(`${label}: not ready after 30 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    // The cold start writes its snapshot once the documents' facts are loaded, and again with the
    // frequent words' postings: the restarts are measured from the second when it comes within
    // POSTINGS_WAIT_MS (on PostgreSQL they can take an hour), else from the first.
    const snapshots = () => lines.split('index snapshot written').length - 1;
    const waitUntil = performance.now() + POSTINGS_WAIT_MS;
    while (waitForSnapshot && (snapshots() < 1 || (snapshots() < 2 && performance.now() < waitUntil))) {
      if (child.process.exitCode !== null) throw new Error(`${label}: the server stopped: ${child.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const indexLines = lines
      .split('\n')
      .filter((line) => /index|postings/.test(line))
      .map((line) => {
        try {
          const { msg, ms, replayed, bytes, encodeMs } = JSON.parse(line) as Record<string, unknown>;
          return [
            msg,
            ms !== undefined ? `${ms} ms` : '',
            replayed !== undefined ? `${replayed} changes replayed` : '',
            bytes !== undefined ? `${(Number(bytes) / 1024 ** 2).toFixed(1)} MB, encoded in ${encodeMs} ms` : '',
          ]
            .filter(Boolean)
            .join(', ');
        } catch {
          return line;
        }
      });
    return { label, readyMs, loadedFrom, log: indexLines.join('; ') };
  } finally {
    await child.stop(120_000);
  }
}

/** Writes `count` documents through the application's writer, as a newsroom would while a node restarts. */
async function writeSome(databaseUrl: string, count: number): Promise<void> {
  const store = await openStore(databaseUrl);
  try {
    const catalog = await loadCatalog(store.db);
    const writer = writerFor(store);
    const source = catalog.structureBySlug('secretariat')?.id as number;
    const stamp = Date.now();
    await store.transaction(async (tx) => {
      for (let i = 0; i < count; i += 1) {
        await writer.create(tx, {
          kind: 'news',
          slug: `written-between-restarts-${stamp}-${i}`,
          title: `Written between restarts ${i}`,
          bodyHtml: '<p>Written while the server was stopped.</p>',
          datedAt: new Date().toISOString(),
          status: 'published',
          sourceIds: [source],
        });
      }
    });
  } finally {
    await store.close();
  }
}

async function documentsIn(databaseUrl: string): Promise<number> {
  const store = await openStore(databaseUrl);
  try {
    const row = await store.db
      .selectFrom('documents')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  } finally {
    await store.close();
  }
}

const targets = [
  ...(args.sqlite ? [{ engine: 'SQLite', url: `sqlite:${path.resolve(args.sqlite)}` }] : []),
  ...(args.postgres ? [{ engine: 'PostgreSQL', url: args.postgres }] : []),
];
const rows: string[] = [];
const verdicts: string[] = [];
for (const target of targets) {
  const snapshot = path.join(os.tmpdir(), `dateline-restart-${process.pid}-${target.engine}.index`);
  fs.rmSync(snapshot, { force: true });
  const documents = await documentsIn(target.url);
  console.log(`${target.engine}: ${documents.toLocaleString('en-US')} documents`);
  const cold = await timedStart(`${target.engine}, no snapshot`, target.url, snapshot, true);
  console.log(cold);
  const snapshotBytes = fs.statSync(snapshot).size;
  const warm: Start[] = [];
  for (const round of [1, 2]) {
    await writeSome(target.url, BETWEEN);
    const start = await timedStart(`${target.engine}, snapshot (${round})`, target.url, snapshot, false);
    console.log(start);
    warm.push(start);
  }
  fs.rmSync(snapshot, { force: true });
  for (const start of [cold, ...warm]) {
    rows.push(
      `| ${start.label} | ${documents.toLocaleString('en-US')} | ${(start.readyMs / 1000).toFixed(2)} | ${start.loadedFrom} | ${start.log} |`,
    );
  }
  const slowest = Math.max(...warm.map((start) => start.readyMs)) / 1000;
  verdicts.push(
    `| ${target.engine}: /readyz within ${AIM_SECONDS} s of start, from the snapshot | ${slowest.toFixed(2)} s (snapshot ${(snapshotBytes / 1024 ** 2).toFixed(0)} MB; ${(cold.readyMs / 1000).toFixed(1)} s without) | ${slowest <= AIM_SECONDS && warm.every((start) => start.loadedFrom === 'snapshot') ? '**PASS**' : '**MISS**'} |`,
  );
}

const machine = machineFacts();
if (!fs.existsSync(RESULTS)) {
  fs.writeFileSync(
    RESULTS,
    `# Restart benchmark

Produced by \`npm run bench:restart\` (bench/restart.ts); each engine's section is replaced when that
engine is measured again.

Each database: the server (\`node bin/dateline.js serve\`) started without an index snapshot (it
reads every document's facts and writes a snapshot, then reads the frequent words' postings and
writes it again), stopped; ${BETWEEN} documents written through the application's writer while it
was stopped; started again from the snapshot (the change log since replayed); twice. Time from
spawning the process to the first \`/readyz\` 200, polled every 25 ms; the file cache is warm.
`,
  );
}
for (const [index, target] of targets.entries()) {
  writeResultsSection(
    RESULTS,
    `## ${target.engine}`,
    `## ${target.engine}

Measured on ${new Date().toISOString().slice(0, 19)}Z. CPU: ${machine.model}, \`nproc\` = ${machine.nproc}, ${machine.memoryGb} GB RAM; Node ${machine.node}.

| Aim | Measured | Result |
| --- | --- | --- |
${verdicts[index]}

| Start | Documents | Ready after (s) | Index from | What the server logged of its index |
| --- | ---: | ---: | --- | --- |
${rows.slice(index * 3, index * 3 + 3).join('\n')}
`,
  );
}
formatMarkdown(RESULTS);
console.log(`wrote ${path.relative(ROOT, RESULTS)}`);
