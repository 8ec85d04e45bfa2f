// `npm run bench:cli`: how long a command of `dateline` takes, start to exit, as a user runs it
// (`node bin/dateline.js ...`): from the compiled bundle, the first run after a source change
// (which rebuilds it), and through tsx compiling every module (what every run cost before the
// bundle). Median of several runs each; figures to the "Command line" section of bench/RESULTS.md.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatMarkdown, machineFacts, writeResultsSection } from './support.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const RESULTS_FILE = path.join(ROOT, 'bench', 'RESULTS.md');
const SECTION_TITLE = '## Command line';
const RUNS = 7;

const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'dateline-bench-cli-'));
const env = { ...process.env, DATABASE_URL: `sqlite:${path.join(directory, 'cli.db')}`, LOG_LEVEL: 'warn' };

/** Wall time of one command, in milliseconds; fails loudly if the command does. */
function timed(args: readonly string[]): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: ROOT, env, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr || result.stdout}`);
  return ms;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const runs = (args: readonly string[]) => median(Array.from({ length: RUNS }, () => timed(args)));

const bin = path.join(ROOT, 'bin', 'dateline.js');
const tsx = ['--import', 'tsx', '--input-type=module', '-e'];
const viaTsx = (command: string) => [
  ...tsx,
  `const { main } = await import(${JSON.stringify(path.join(ROOT, 'src', 'cli.ts'))}); process.exitCode = await main(${JSON.stringify(command.split(' '))});`,
];

timed([bin, 'migrate']);
const rows: [string, number][] = [
  ['`dateline --help`, bundle', runs([bin, '--help'])],
  ['`dateline migrate` (nothing to do), bundle', runs([bin, 'migrate'])],
  ['`dateline import-page --help`, bundle', runs([bin, 'import-page', '--help'])],
];
// A source file touched: the next run rebuilds the bundle.
const touched = path.join(ROOT, 'src', 'cli.ts');
const rebuilds: number[] = [];
for (let i = 0; i < 3; i += 1) {
  const now = new Date();
  fs.utimesSync(touched, now, now);
  rebuilds.push(timed([bin, '--help']));
}
rows.push(['`dateline --help`, first run after a source change (rebuilds the bundle)', median(rebuilds)]);
rows.push(['`dateline --help` through tsx (every module compiled at start)', runs(viaTsx('--help'))]);
rows.push(['`dateline migrate` through tsx', runs(viaTsx('migrate'))]);
fs.rmSync(directory, { recursive: true, force: true });

const machine = machineFacts();
const section = `${SECTION_TITLE}

Produced by \`npm run bench:cli\` (bench/cli.ts) on ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}, ${machine.nproc} × ${machine.model}, Node ${machine.node}; this section is replaced on every run of it. Wall time from start to exit of \`node bin/dateline.js …\`, median of ${RUNS} runs (3 for the rebuild).

| command | ms |
| --- | ---: |
${rows.map(([label, ms]) => `| ${label} | ${Math.round(ms)} |`).join('\n')}
`;
writeResultsSection(RESULTS_FILE, SECTION_TITLE, section);
formatMarkdown(RESULTS_FILE);
for (const [label, ms] of rows) console.log(`${label}: ${Math.round(ms)} ms`);
