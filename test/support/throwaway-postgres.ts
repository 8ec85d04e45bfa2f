// A PostgreSQL cluster of a suite's own, in a temporary folder on a free port, for tests that stop
// and restart the server under the app: the shared test server must never be stopped.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ToolCheck } from './environment.ts';
import { freePort } from './server-process.ts';

const run = promisify(execFile);

/** Where initdb, pg_ctl and postgres are (POSTGRES_BIN overrides). */
export const POSTGRES_BIN = process.env.POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';

/** initdb and pg_ctl refuse to run as root: as root they run as this user. */
const CLUSTER_USER = 'postgres';
const AS_ROOT = process.getuid?.() === 0;

export function checkPostgresBinaries(): ToolCheck {
  for (const tool of ['initdb', 'pg_ctl', 'postgres']) {
    if (!fs.existsSync(path.join(POSTGRES_BIN, tool))) {
      return {
        available: false,
        reason: `${tool} not found in ${POSTGRES_BIN} (install postgresql-15, or set POSTGRES_BIN)`,
      };
    }
  }
  if (AS_ROOT && !userIds(CLUSTER_USER)) {
    return { available: false, reason: `running as root, and there is no ${CLUSTER_USER} user to run PostgreSQL as` };
  }
  return { available: true, reason: '' };
}

function userIds(name: string): { uid: number; gid: number } | null {
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`${name}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  return uid && gid ? { uid: Number(uid), gid: Number(gid) } : null;
}

export interface ThrowawayPostgres {
  readonly port: number;
  /** Whether the server was started and not stopped since. */
  readonly running: boolean;
  /** The address of a database on this cluster, as the superuser `postgres` (trust auth). */
  url(database?: string): string;
  /** Starts the server and waits until it accepts connections. */
  start(): Promise<void>;
  /** `fast` disconnects every client and shuts down cleanly; `immediate` is a crash, as a kill would be. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  restart(): Promise<void>;
  /** Stops the server (immediately) if it runs and deletes its folder; safe to call twice. */
  remove(): Promise<void>;
  /** The server's own log, for failure messages. */
  log(): string;
}

/**
 * Creates a cluster (initdb) in a temporary folder, listening on 127.0.0.1 only, and starts it.
 * @example const cluster = await startThrowawayPostgres(); try { ... } finally { await cluster.remove(); }
 */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'dateline-throwaway-pg-'));
  const data = path.join(folder, 'data');
  const logFile = path.join(folder, 'server.log');
  const owner = AS_ROOT ? userIds(CLUSTER_USER) : null;
  if (owner) fs.chownSync(folder, owner.uid, owner.gid);
  const tool = (name: string, args: string[]) =>
    AS_ROOT
      ? run('runuser', ['-u', CLUSTER_USER, '--', path.join(POSTGRES_BIN, name), ...args], { cwd: folder })
      : run(path.join(POSTGRES_BIN, name), args, { cwd: folder });
  const port = await freePort();
  let running = false;
  let removed = false;

  const cluster: ThrowawayPostgres = {
    port,
    get running() {
      return running;
    },
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async start() {
      // -w: returns once the server accepts connections (or fails with its log).
      await tool('pg_ctl', ['start', '-w', '-t', '30', '-D', data, '-l', logFile]);
      running = true;
    },
    async stop(mode = 'fast') {
      await tool('pg_ctl', ['stop', '-w', '-t', '30', '-m', mode, '-D', data]);
      running = false;
    },
    async restart() {
      await cluster.stop('fast');
      await cluster.start();
    },
    async remove() {
      if (removed) return;
      removed = true;
      if (running) await cluster.stop('immediate').catch(() => undefined);
      fs.rmSync(folder, { recursive: true, force: true });
    },
    log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''),
  };

  try {
    await tool('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-instructions']);
    // Its own port and socket folder, reachable from this machine only; durability is not needed.
    fs.appendFileSync(
      path.join(data, 'postgresql.conf'),
      [
        `port = ${port}`,
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${folder}'`,
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        'shared_buffers = 32MB',
        'max_connections = 50',
        '',
      ].join('\n'),
    );
    await cluster.start();
  } catch (error) {
    const log = cluster.log();
    await cluster.remove();
    throw new Error(`The throwaway PostgreSQL cluster did not start: ${(error as Error).message}\n${log}`);
  }
  return cluster;
}
