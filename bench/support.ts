// Small pieces the benchmark needs: free loopback ports, child processes that always stop, waiting for HTTP.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import autocannon from 'autocannon';

export const LOOPBACK = '127.0.0.1';

/** A port that is free on 127.0.0.1 right now (the kernel picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  /** The last lines the process wrote, for error messages. */
  output(): string;
  /** Stops the process (SIGTERM, then SIGKILL after `graceMs`); resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<Child>();

/** Last resort: kill whatever is still running when the benchmark exits. */
function killAllSync(): void {
  for (const child of running) {
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
  }
}
process.once('exit', killAllSync);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAllSync();
    process.exit(130);
  });
}

export function startChild(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Child {
  const proc = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const child: Child = {
    name,
    process: proc,
    output: () => tail.trim(),
    async stop(graceMs = 3000) {
      running.delete(child);
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  running.add(child);
  return child;
}

/** Polls `url` until it answers 200, the child exits, or `timeoutMs` passes. */
export async function waitForHttp(url: string, child: Child, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null || child.process.signalCode !== null) {
      throw new Error(`${child.name} exited before answering ${url}:\n${child.output()}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${child.name} did not answer ${url} within ${timeoutMs} ms:\n${child.output()}`);
}

export async function fetchText(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const body = await response.text();
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return body;
}

/** Runs `work` `iterations` times after a warm-up; milliseconds per call. */
export async function timePerCall(iterations: number, work: () => unknown): Promise<number> {
  const warmUp = Math.max(200, Math.floor(iterations / 5));
  for (let i = 0; i < warmUp; i += 1) await work();
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i += 1) await work();
  return Number(process.hrtime.bigint() - start) / 1e6 / iterations;
}

/** Same, for synchronous work: no `await` per iteration, so nothing but the work is timed. */
export function timePerCallSync(iterations: number, work: () => unknown): number {
  const warmUp = Math.max(200, Math.floor(iterations / 5));
  let sink = 0;
  for (let i = 0; i < warmUp; i += 1) sink += work() ? 1 : 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i += 1) sink += work() ? 1 : 0;
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (sink < 0) console.log(sink);
  return elapsed / iterations;
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/** CPU seconds (user + system) used so far by a process and all its descendants, from /proc (Linux). */
export function treeCpuSeconds(rootPid: number): number | undefined {
  if (!fs.existsSync('/proc/self/stat')) return undefined;
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name, which is in parentheses and may contain spaces.
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(entry), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // the process ended meanwhile
    }
  }
  let ticks = 0;
  const pending = [rootPid];
  while (pending.length > 0) {
    const pid = pending.pop() as number;
    ticks += stats.get(pid)?.ticks ?? 0;
    for (const [child, stat] of stats) if (stat.ppid === pid) pending.push(child);
  }
  return ticks / CLOCK_TICKS;
}

/** CPU seconds all processors have spent busy since boot (everything but idle and iowait), from /proc/stat. */
export function systemBusySeconds(): number | undefined {
  if (!fs.existsSync('/proc/stat')) return undefined;
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest time is already in user)
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / CLOCK_TICKS;
}

/**
 * Waits (at most `maxSeconds`) for a second in which the whole machine used less than `threshold` cores:
 * other work on a shared machine skews every figure. Returns the busy cores of the last second sampled.
 */
export async function waitForQuiet(maxSeconds: number, threshold = 0.25): Promise<number | undefined> {
  const deadline = Date.now() + maxSeconds * 1000;
  let busy: number | undefined;
  do {
    const before = systemBusySeconds();
    const start = process.hrtime.bigint();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const after = systemBusySeconds();
    if (before === undefined || after === undefined) return undefined;
    busy = (after - before) / (Number(process.hrtime.bigint() - start) / 1e9);
    if (busy < threshold) return busy;
  } while (Date.now() < deadline);
  return busy;
}

/** The machine a run measured: CPU, cores, memory, kernel, Node. */
export function machineFacts() {
  const cpuinfo = fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  const nproc = spawnSync('nproc', { encoding: 'utf8' }).stdout?.trim() || String(os.availableParallelism());
  return {
    nproc,
    model,
    node: process.version,
    memoryGb: Number((os.totalmem() / 1024 ** 3).toFixed(1)),
    kernel: `${os.type()} ${os.release()}`,
  };
}

export interface LoadFigures {
  label: string;
  path: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  requests: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** CPU used during the measured run, in cores (1 = one core busy all the time). */
  serverCores: number | undefined;
  clientCores: number;
  /** CPU used by everything else on the machine meanwhile: should be near 0 for trustworthy figures. */
  otherCores: number | undefined;
}

/**
 * autocannon on one URL of 127.0.0.1 (10-s request timeout), with the CPU the server, autocannon
 * itself and the rest of the machine used meanwhile.
 */
export async function measureLoad(
  label: string,
  url: string,
  options: { serverPid: number | undefined; connections: number; durationS: number },
): Promise<LoadFigures> {
  const target = new URL(url);
  if (target.hostname !== LOOPBACK) throw new Error(`refusing to load anything but ${LOOPBACK}: ${url}`);
  const { serverPid } = options;
  const serverBefore = serverPid === undefined ? undefined : treeCpuSeconds(serverPid);
  const clientBefore = process.cpuUsage();
  const systemBefore = systemBusySeconds();
  const wallBefore = process.hrtime.bigint();
  const result = await autocannon({ url, connections: options.connections, duration: options.durationS, timeout: 10 });
  const wall = Number(process.hrtime.bigint() - wallBefore) / 1e9;
  const client = process.cpuUsage(clientBefore);
  const serverAfter = serverPid === undefined ? undefined : treeCpuSeconds(serverPid);
  const systemAfter = systemBusySeconds();
  const serverCores =
    serverBefore === undefined || serverAfter === undefined ? undefined : (serverAfter - serverBefore) / wall;
  const clientCores = (client.user + client.system) / 1e6 / wall;
  const systemCores =
    systemBefore === undefined || systemAfter === undefined ? undefined : (systemAfter - systemBefore) / wall;
  return {
    label,
    path: target.pathname + target.search,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    requests: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    serverCores,
    clientCores,
    otherCores:
      systemCores === undefined || serverCores === undefined
        ? undefined
        : Math.max(0, systemCores - serverCores - clientCores),
  };
}
