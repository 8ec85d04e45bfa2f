// What a newcomer's first start can get wrong: each mistake stops the start with what is wrong and
// how to fix it, and touches nothing on disk.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { StartupError } from '../src/errors.ts';
import { startServer } from '../src/server.ts';
import { setUpDatabase } from '../src/setup.ts';
import { openStore, type Store } from '../src/store/store.ts';
import { POSTGRES_ADMIN_URL } from './support/environment.ts';
import { skipPostgres } from './support/postgres.ts';

let directory: string;
beforeAll(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'dateline-first-run-'));
});
afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

async function startupErrorOf(work: () => Promise<unknown>): Promise<StartupError> {
  const error = await work().then(
    () => null,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(StartupError);
  return error as StartupError;
}

describe('the database named by DATABASE_URL', () => {
  it('a mistyped folder is reported, not created', async () => {
    const missing = path.join(directory, 'no-such-folder', 'dateline.db');
    const error = await startupErrorOf(() => openStore(`sqlite:${missing}`));
    expect(error.message).toContain(path.dirname(missing));
    expect(error.fix).toContain('mkdir -p');
    expect(fs.existsSync(path.dirname(missing))).toBe(false);
  });

  it('a folder given as the file is reported', async () => {
    const error = await startupErrorOf(() => openStore(`sqlite:${directory}`));
    expect(error.message).toMatch(/is not a file/);
  });

  it('a file that is not a SQLite database is reported and left as it was', async () => {
    const file = path.join(directory, 'notes.txt');
    const text = 'These are notes, not a database.\n'.repeat(200);
    fs.writeFileSync(file, text);
    const error = await startupErrorOf(() => openStore(`sqlite:${file}`));
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/cannot be opened/);
    expect(fs.readFileSync(file, 'utf8')).toBe(text);
  });
});

describe.skipIf(skipPostgres)('a PostgreSQL database named by DATABASE_URL', () => {
  const server = new URL(POSTGRES_ADMIN_URL);
  const on = (user: string, database: string, port = server.port || '5432') =>
    `postgres://${user}@${server.hostname}:${port}/${database}`;

  it('a server that does not answer is named, with what to check', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const error = await startupErrorOf(() => openStore(on('postgres', 'dateline', String(port))));
    expect(error.message).toContain(`${server.hostname}:${port} does not answer`);
    expect(error.fix).toMatch(/Start PostgreSQL/);
  });

  it('a missing database is named, with the command that creates it', async () => {
    const error = await startupErrorOf(() => openStore(on('postgres', 'dateline_no_such_database')));
    expect(error.message).toContain('The database dateline_no_such_database does not exist');
    expect(error.fix).toContain('createdb');
  });

  it('a user the server refuses is named', async () => {
    const error = await startupErrorOf(() => openStore(on('dateline_no_such_role', 'postgres')));
    expect(error.message).toContain('refused user dateline_no_such_role');
    expect(error.fix).toMatch(/user and password/);
  });
});

describe('listening', () => {
  /** A set-up database of its own: a server that fails to start closes the one it was given. */
  async function freshStore(): Promise<Store> {
    const store = await openStore('sqlite::memory:');
    await setUpDatabase(store, { demo: 0 });
    return store;
  }

  it('a busy port is reported with the PORT to set instead, and the server is not left half started', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const config = loadConfig({ LOG_LEVEL: 'silent', PORT: String(port), DATABASE_URL: 'sqlite::memory:' });
      const error = await startupErrorOf(async () => startServer(config, { store: await freshStore() }));
      expect(error.message).toContain(`Port ${port}`);
      expect(error.fix).toContain(`PORT=${port + 1}`);
    } finally {
      blocker.close();
    }
  });

  it('a HOST that is not an address of this machine is reported', async () => {
    const config = loadConfig({ LOG_LEVEL: 'silent', PORT: '0', HOST: '192.0.2.1', DATABASE_URL: 'sqlite::memory:' });
    const error = await startupErrorOf(async () => startServer(config, { store: await freshStore() }));
    expect(error.message).toContain('HOST=192.0.2.1');
  });
});

describe('npm start on an in-memory database', () => {
  it('sets up, serves and answers on one database: DATABASE_URL=sqlite::memory: works', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
    const child = spawn(process.execPath, [path.resolve('bin/dateline.js'), 'serve', '--bootstrap'], {
      env: { ...process.env, DATABASE_URL: 'sqlite::memory:', PORT: String(port), LOG_FORMAT: 'json', BASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    try {
      const deadline = Date.now() + 90_000;
      while (!output.includes('Dateline is listening') && Date.now() < deadline && child.exitCode === null) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const lines = output.trim().split('\n');
      // One JSON stream, not a mix: every line is a log record.
      for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
      const listening = lines.filter((line) => line.includes('listening'));
      expect(listening).toHaveLength(1);
      const page = await fetch(`http://127.0.0.1:${port}/press-releases`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('demo');
    } finally {
      child.kill('SIGTERM');
    }
  }, 120_000);
});
