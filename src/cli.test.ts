import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type ProgressStream } from './cli.ts';
import { bundledPageFiles } from './setup.ts';
import { openStore } from './store/store.ts';

/**
 * Runs a command as the shell would, collecting what it prints; the progress stream is not a
 * terminal unless a test passes one, as in CI, so no bar is drawn.
 */
async function runCli(
  argv: string[],
  progressStream: ProgressStream = Object.assign(new PassThrough(), { isTTY: false }),
) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    argv,
    (line) => out.push(line),
    (line) => err.push(line),
    progressStream,
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('dateline CLI', () => {
  let directory: string;
  const previous = { ...process.env };

  beforeAll(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'dateline-cli-'));
    process.env.DATABASE_URL = `sqlite:${path.join(directory, 'cli.db')}`;
    // Vite sets BASE_URL to "/" inside the test runner; the CLI needs a real origin.
    process.env.BASE_URL = 'http://localhost:3000';
  });
  afterAll(() => {
    process.env = previous;
    fs.rmSync(directory, { recursive: true, force: true });
  });

  /** Not a terminal, as in CI: no progress bar may be drawn on it. */
  const pipe = Object.assign(new PassThrough(), { isTTY: false });
  const run = (...argv: string[]) => runCli(argv, pipe);

  it('every command answers --help with its own help, whatever the configuration', async () => {
    process.env.PORT = 'not a port';
    try {
      for (const command of [
        'serve',
        'migrate',
        'seed',
        'reindex',
        'import-page',
        'export',
        'import',
        'migrate-data',
        'backup',
      ]) {
        for (const flag of ['--help', '-h']) {
          const { code, out } = await run(command, flag);
          expect(code, `${command} ${flag}`).toBe(0);
          expect(out, command).toContain(`Usage: dateline ${command}`);
        }
      }
      const { code, out } = await run('--help');
      expect(code).toBe(0);
      expect(out).toContain('Run "dateline <command> --help"');
    } finally {
      delete process.env.PORT;
    }
  });

  it('an unknown option is named, with the command’s help; an unknown command with the list', async () => {
    const option = await run('serve', '--bootstrapp');
    expect(option.code).toBe(2);
    expect(option.err).toContain("Unknown option '--bootstrapp'");
    expect(option.err).toContain('Usage: dateline serve');
    const command = await run('serv');
    expect(command.code).toBe(2);
    expect(command.err).toContain('Unknown command "serv"');
    expect(command.err).toContain('Commands:');
    expect((await run('constructor')).code).toBe(2);
  });

  it('a start-up mistake is one message with its fix, never a stack trace', async () => {
    const missing = path.join(directory, 'no-such-folder', 'x.db');
    process.env.DATABASE_URL = `sqlite:${missing}`;
    try {
      const { code, err } = await run('migrate');
      expect(code).toBe(1);
      expect(err).toContain(`The folder of the database, ${path.dirname(missing)}, does not exist.`);
      expect(err).toContain('mkdir -p');
      expect(err).not.toMatch(/\n\s+at /);
      expect(fs.existsSync(path.dirname(missing))).toBe(false);
    } finally {
      process.env.DATABASE_URL = `sqlite:${path.join(directory, 'cli.db')}`;
    }
  });

  it('migrate prints each step, then nothing is left to do', async () => {
    // Every migration file, in date order: the list grows with each migration added.
    const migrations = fs
      .readdirSync(new URL('./store/migrations/', import.meta.url))
      .filter((name) => /^\d{4}-\d{2}-\d{2}-.+\.ts$/.test(name) && !name.endsWith('.test.ts'))
      .sort()
      .map((name) => `applied: ${name.replace(/\.ts$/, '')}`);
    expect(migrations.slice(0, 3)).toEqual([
      'applied: 2026-11-30-initial-schema',
      'applied: 2026-11-30-search-index',
      'applied: 2026-12-01-dates-sources-changes',
    ]);
    expect(await run('migrate')).toMatchObject({ code: 0, out: migrations.join('\n') });
    expect(await run('migrate')).toMatchObject({ code: 0, out: 'Already up to date.' });
  });

  it('seed loads the taxonomies, and again without duplicating', async () => {
    const first = await run('seed');
    expect(first.code).toBe(0);
    expect(first.out).toContain('25 fields of work, 68 countries');
    expect((await run('seed')).out).toBe(first.out);
  });

  it('seed --demo N adds N demo documents', async () => {
    const result = await run('seed', '--demo', '25');
    expect(result).toMatchObject({ code: 0 });
    expect(result.out).toContain('Demo content: 25 documents.');
  });

  it('import-page imports, then reports the page unchanged', async () => {
    const [file] = bundledPageFiles().filter((f) => f.includes('osce-plays'));
    const first = await run('import-page', file as string);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(
      /^Imported 1 of 1 page in \d+\.\d s \(\d+ pages\/s\): 1 created, 0 updated, 0 unchanged, 0 failed\.$/,
    );
    expect((await run('import-page', file as string)).out).toContain('0 created, 0 updated, 1 unchanged, 0 failed.');
    expect(pipe.read()).toBeNull();
  });

  it('reindex rebuilds the search index from the documents', async () => {
    const result = await run('reindex');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^Indexed 26 documents in \d+\.\d s\.$/);
  });

  it('import-page names the file and line of a malformed page', async () => {
    const bad = path.join(directory, 'bad.txt');
    fs.writeFileSync(bad, 'Press release\nTitle\n- Date:\n- someday\nBody\n');
    const result = await run('import-page', bad);
    expect(result.code).toBe(1);
    expect(result.err.split('\n')[0]).toBe(`dateline: import stopped at ${bad}:3: cannot read the date "someday"`);
    expect(result.out).toContain(`Failures:\n  ${bad}:3: cannot read the date "someday"`);
  });

  it.each([
    [['frobnicate'], 'Unknown command "frobnicate"'],
    [['seed', '--demo', 'many'], '--demo must be a whole number'],
    [['import-page'], 'import-page needs at least one PATH'],
    [['import-page', '--frobnicate', 'archive'], "Unknown option '--frobnicate'"],
    [['import-page', '-x', 'archive'], "Unknown option '-x'"],
    [['import-page', 'archive', '--report'], "Option '--report <value>' argument missing"],
    [['import-page', '--keep-going=yes', 'archive'], "Option '--keep-going' does not take an argument"],
    [['import-page', ''], 'import-page: a PATH is empty'],
    [['migrate', '--force'], "Unknown option '--force'"],
  ])('rejects %j with usage help', async (argv, message) => {
    const result = await run(...argv);
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
    expect(result.err).toContain('Usage: dateline');
  });
});

describe('dateline import-page on an archive', () => {
  let directory: string;
  let archive: string;
  const previous = { ...process.env };
  const seedText = fs.readFileSync(bundledPageFiles().find((f) => f.includes('osce-plays')) as string, 'utf8');
  const pageTitled = (title: string, source = 'OSCE Secretariat') =>
    seedText
      .replace('OSCE plays key role in fight against human trafficking, top official says', title)
      .replace('- OSCE Secretariat', `- ${source}`);

  beforeAll(async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'dateline-cli-archive-'));
    process.env.DATABASE_URL = `sqlite:${path.join(directory, 'cli.db')}`;
    process.env.BASE_URL = 'http://localhost:3000';
    expect(await main(['seed'], () => {})).toBe(0);
    archive = path.join(directory, 'archive');
    const files: Record<string, string> = {
      '2007/a.txt': pageTitled('CLI archive: a'),
      '2007/b.txt': pageTitled('CLI archive: b'),
      '2007/c-malformed.txt': pageTitled('CLI archive: malformed', 'Ministry of Nowhere'),
      '2008/d.txt': pageTitled('CLI archive: d'),
      '2008/notes.md': 'Not a page.',
    };
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(archive, name)), { recursive: true });
      fs.writeFileSync(path.join(archive, name), text);
    }
  });
  afterAll(() => {
    process.env = previous;
    fs.rmSync(directory, { recursive: true, force: true });
  });

  const malformed = () => path.join(archive, '2007/c-malformed.txt');

  const run = runCli;

  /** What the database holds: the titles of this suite's documents. */
  async function storedTitles(): Promise<string[]> {
    const store = await openStore(process.env.DATABASE_URL as string);
    try {
      const rows = await store.db
        .selectFrom('documents')
        .select('title')
        .where('title', 'like', 'CLI archive:%')
        .orderBy('title')
        .execute();
      return rows.map((row) => row.title);
    } finally {
      await store.close();
    }
  }

  it('--help prints the command help and exits 0, whatever the configuration', async () => {
    process.env.PORT = 'not-a-port';
    try {
      const result = await run(['import-page', '--help']);
      expect(result.code).toBe(0);
      expect(result.out).toContain('Usage: dateline import-page [--keep-going] [--report FILE] PATH...');
      expect(result.out).toContain('every file ending in .txt');
      expect(result.out).toMatch(/--keep-going +Go on past malformed/);
      expect(result.out).toMatch(/--report FILE +Also write the summary/);
      expect((await run(['import-page', '-h'])).out).toBe(result.out);
    } finally {
      delete process.env.PORT;
    }
  });

  it('stops at the first malformed page, keeping those before it; the message says so', async () => {
    const result = await run(['import-page', archive]);
    expect(result.code).toBe(1);
    expect(result.out.split('\n')[0]).toMatch(
      /^Imported 2 of 4 pages in .*: 2 created, 0 updated, 0 unchanged, 1 failed\.$/,
    );
    expect(result.out).toContain('Skipped 1 file in the folders: not pages (pages end in .txt).');
    expect(result.out).toContain('Not tried: 1 page after the failure.');
    expect(result.err).toBe(
      `dateline: import stopped at ${malformed()}:158: unknown source "Ministry of Nowhere"\n` +
        'The 2 pages imported before it are kept; 1 page not tried. Fix it and run again (pages already imported ' +
        'come out unchanged), or use --keep-going to import past malformed pages.',
    );
    expect(await storedTitles()).toEqual(['CLI archive: a', 'CLI archive: b']);
  });

  it('--keep-going imports past it, and --report writes the same summary as JSON', async () => {
    const report = path.join(directory, 'report.json');
    const result = await run(['import-page', '--keep-going', '--report', report, archive]);
    expect(result.code).toBe(1);
    expect(result.out).toContain('3 of 4 pages');
    expect(result.out).toContain('1 created, 0 updated, 2 unchanged, 1 failed.');
    expect(result.err).toBe('');
    expect(await storedTitles()).toEqual(['CLI archive: a', 'CLI archive: b', 'CLI archive: d']);
    expect(JSON.parse(fs.readFileSync(report, 'utf8'))).toMatchObject({
      command: 'import-page',
      paths: [archive],
      keepGoing: true,
      pages: 4,
      created: 1,
      updated: 0,
      unchanged: 2,
      failed: 1,
      skipped: 1,
      notTried: 0,
      stopped: false,
      failures: [{ file: malformed(), line: 158, reason: 'unknown source "Ministry of Nowhere"' }],
    });
  });

  it('a re-run after fixing the page creates it and leaves the others unchanged; exit 0', async () => {
    fs.writeFileSync(malformed(), pageTitled('CLI archive: malformed', 'OSCE Secretariat'));
    const report = path.join(directory, 'fixed.json');
    const result = await run(['import-page', archive, '--report', report]);
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toContain('1 created, 0 updated, 3 unchanged, 0 failed.');
    expect(JSON.parse(fs.readFileSync(report, 'utf8'))).toMatchObject({ created: 1, unchanged: 3, failures: [] });
    expect(await storedTitles()).toHaveLength(4);
  });

  it('says so when a folder holds no page', async () => {
    const empty = path.join(directory, 'empty');
    fs.mkdirSync(path.join(empty, 'scans'), { recursive: true });
    fs.writeFileSync(path.join(empty, 'scans', 'page-1.pdf'), '%PDF');
    const result = await run(['import-page', empty]);
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toContain('Imported 0 of 0 pages');
    expect(result.out).toContain('No page found: in folders, pages are files ending in .txt.');
  });

  // Regression: a missing file was reported at "line 0".
  it('says a missing path cannot be read and why, never "line 0", and imports nothing', async () => {
    const missing = path.join(directory, 'no-such-archive');
    const result = await run(['import-page', archive, missing]);
    expect(result.code).toBe(1);
    expect(result.out).toContain(`  ${missing}: cannot read the file: no such file or folder (ENOENT)`);
    expect(result.err).toContain(`dateline: import stopped at ${missing}: cannot read the file`);
    expect(result.err).toContain('No page was imported; 4 pages not tried.');
    expect(`${result.out}\n${result.err}`).not.toMatch(/:0:|line 0/);
  });

  it.each([
    ['a folder that does not exist', () => path.join(directory, 'nowhere', 'r.json'), 'the folder'],
    ['an existing folder', () => directory, 'is a folder: give a file name'],
    ['one of the paths to import', () => malformed(), 'is one of the paths to import'],
    ['a .txt file inside the archive', () => path.join(archive, 'report.txt'), 'the next run would read it as a page'],
  ])('--report refuses %s before importing anything', async (_, reportFile, message) => {
    const result = await run(['import-page', '--report', reportFile(), archive, malformed()]);
    expect(result.code).toBe(2);
    expect(result.err).toContain(`dateline: --report "${reportFile()}"`);
    expect(result.err).toContain(message);
    expect(result.err).toContain('Usage: dateline import-page');
  });

  it('draws a progress bar with the rate, done/total and time left on a terminal, and none on a pipe', async () => {
    const terminal = Object.assign(new PassThrough(), { isTTY: true, columns: 120 });
    let drawn = '';
    terminal.on('data', (chunk: Buffer) => {
      drawn += chunk.toString('utf8');
    });
    const result = await run(['import-page', archive], terminal);
    expect(result.code).toBe(0);
    expect(drawn).toMatch(/Importing pages .* 4\/4 pages \| [\d,]+ pages\/s \| .*left/);
    const pipe = Object.assign(new PassThrough(), { isTTY: false });
    await run(['import-page', archive], pipe);
    expect(pipe.read()).toBeNull();
  });
});
