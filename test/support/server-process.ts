// A Dateline server in a process of its own, as it is deployed: `bin/dateline.js serve` on a free
// loopback port, its output kept for the test's messages.
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

/** A port free on 127.0.0.1 right now (the kernel picks it). */
export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export interface ServerProcess {
  child: ChildProcess;
  origin: string;
  /** Everything it wrote so far, both streams. */
  output: () => string;
}

/** Starts a server on `databaseUrl` and resolves once its /readyz answers 200. */
export async function startServerProcess(
  databaseUrl: string,
  { readyWithinMs = 60_000 }: { readyWithinMs?: number } = {},
): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.resolve('bin/dateline.js'), 'serve'], {
    // BASE_URL: vitest sets it to "/", which is not an origin.
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      LOG_FORMAT: 'json',
      RATE_LIMIT: '0',
      BASE_URL: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString('utf8');
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyWithinMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server stopped: ${output}`);
    const ready = await fetch(`${origin}/readyz`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ready) return { child, origin, output: () => output };
    if (Date.now() > deadline) throw new Error(`the server did not get ready: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
