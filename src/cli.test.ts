import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from './cli.ts';
import { bundledPageFiles } from './setup.ts';

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

  async function run(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(
      argv,
      (line) => out.push(line),
      (line) => err.push(line),
    );
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('migrate prints each step, then nothing is left to do', async () => {
    expect(await run('migrate')).toMatchObject({
      code: 0,
      out: 'applied: 2026-11-30-initial-schema\napplied: 2026-11-30-search-index\napplied: 2026-12-01-dates-sources-changes',
    });
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
    expect(first.out).toMatch(/^created: .* "OSCE plays key role/);
    expect((await run('import-page', file as string)).out).toMatch(/^unchanged: /);
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
    expect(result.err).toBe(`dateline: ${bad}:3: cannot read the date "someday"`);
  });

  it.each([
    [['frobnicate'], 'Unknown command "frobnicate"'],
    [['seed', '--demo', 'many'], '--demo must be a whole number'],
    [['import-page'], 'import-page needs at least one FILE'],
    [['migrate', '--force'], "Unknown option '--force'"],
  ])('rejects %j with usage help', async (argv, message) => {
    const result = await run(...argv);
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
    expect(result.err).toContain('Usage: dateline');
  });
});
