// Small pieces the benchmark needs: free loopback ports, child processes that always stop, waiting for HTTP.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
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
  /** The load generator: wrk (a native program) when installed, else autocannon (in this process). */
  generator: 'wrk' | 'autocannon';
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

const hasWrk = () => spawnSync('wrk', ['--version'], { encoding: 'utf8' }).error === undefined;

/**
 * Debian's wrk, installed when missing (as root, or with sudo): it loads a server far harder than
 * autocannon in Node can, which saturates a core near 10,000 req/s and so understates nginx.
 * Without it (no package manager, no rights) the benchmark falls back to autocannon and says so.
 */
function ensureWrk(): boolean {
  if (hasWrk()) return true;
  const asRoot = process.getuid?.() === 0;
  const install = (args: string[]) =>
    spawnSync(asRoot ? 'apt-get' : 'sudo', asRoot ? args : ['-n', 'apt-get', ...args], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      timeout: 300_000,
    });
  console.log("[bench] wrk is not installed: installing Debian's wrk package");
  install(['update', '-qq']);
  install(['install', '-y', '-qq', 'wrk']);
  return hasWrk();
}

let wrk: boolean | undefined;
/** Asked the first time a load is measured, not when a benchmark merely imports this file. */
const wrkInstalled = () => {
  wrk ??= ensureWrk();
  return wrk;
};

/** What a load generator reports, and the CPU seconds it used itself. */
type RawLoad = Pick<
  LoadFigures,
  'requestsPerSecond' | 'p50' | 'p99' | 'max' | 'requests' | 'errors' | 'timeouts' | 'non2xx'
> & { clientSeconds: number };

/** "850.00us", "1.23ms", "2.01s" → milliseconds. */
function wrkMs(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!match) throw new Error(`wrk reported a time it cannot read: "${text}"`);
  const value = Number(match[1]);
  return match[2] === 'us'
    ? value / 1000
    : match[2] === 'ms'
      ? value
      : match[2] === 's'
        ? value * 1000
        : value * 60_000;
}

/**
 * wrk, one thread (the other core is the server's), run under a shell that then prints its own
 * /proc stat: a reaped child's CPU is added to its parent's cutime and cstime.
 */
function runWrk(url: string, connections: number, durationS: number): RawLoad {
  const script = 'wrk "$@"; echo; cat /proc/$$/stat';
  const wrkArgs = ['-t1', `-c${connections}`, `-d${durationS}s`, '--timeout', '10s', '--latency', url];
  const result = spawnSync('sh', ['-c', script, 'sh', ...wrkArgs], {
    encoding: 'utf8',
    timeout: (durationS + 30) * 1000,
  });
  const out = result.stdout ?? '';
  const find = (pattern: RegExp, what: string) => {
    const match = pattern.exec(out);
    if (!match) throw new Error(`wrk output has no ${what}:\n${out}\n${result.stderr}`);
    return match;
  };
  const statLine = out.trim().split('\n').at(-1) ?? '';
  const fields = statLine.slice(statLine.lastIndexOf(')') + 2).split(' ');
  // After the command name: field 3 is the state; cutime and cstime are fields 16 and 17.
  const childTicks = Number(fields[13]) + Number(fields[14]);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    requestsPerSecond: Number(find(/Requests\/sec:\s+([\d.]+)/, 'requests per second')[1]),
    p50: wrkMs(find(/^\s+50%\s+(\S+)/m, 'median latency')[1] as string),
    p99: wrkMs(find(/^\s+99%\s+(\S+)/m, '99th percentile')[1] as string),
    max: wrkMs(find(/^\s+Latency\s+\S+\s+\S+\s+(\S+)/m, 'maximum latency')[1] as string),
    requests: Number(find(/(\d+) requests in/, 'request count')[1]),
    errors: socket ? Number(socket[1]) + Number(socket[2]) + Number(socket[3]) : 0,
    timeouts: socket ? Number(socket[4]) : 0,
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
    clientSeconds: childTicks / CLOCK_TICKS,
  };
}

async function runAutocannon(url: string, connections: number, durationS: number): Promise<RawLoad> {
  const before = process.cpuUsage();
  const result = await autocannon({ url, connections, duration: durationS, timeout: 10 });
  const used = process.cpuUsage(before);
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    requests: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    clientSeconds: (used.user + used.system) / 1e6,
  };
}

/**
 * Load on one URL of 127.0.0.1 (10-s request timeout) with wrk, or autocannon without it, and the
 * CPU the server, the load generator and the rest of the machine used meanwhile.
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
  const systemBefore = systemBusySeconds();
  const wallBefore = process.hrtime.bigint();
  const generator = wrkInstalled() ? 'wrk' : 'autocannon';
  const raw =
    generator === 'wrk'
      ? runWrk(url, options.connections, options.durationS)
      : await runAutocannon(url, options.connections, options.durationS);
  const wall = Number(process.hrtime.bigint() - wallBefore) / 1e9;
  const serverAfter = serverPid === undefined ? undefined : treeCpuSeconds(serverPid);
  const systemAfter = systemBusySeconds();
  const serverCores =
    serverBefore === undefined || serverAfter === undefined ? undefined : (serverAfter - serverBefore) / wall;
  const clientCores = raw.clientSeconds / wall;
  const systemCores =
    systemBefore === undefined || systemAfter === undefined ? undefined : (systemAfter - systemBefore) / wall;
  const { clientSeconds: _, ...figures } = raw;
  return {
    label,
    generator,
    path: target.pathname + target.search,
    ...figures,
    serverCores,
    clientCores,
    otherCores:
      systemCores === undefined || serverCores === undefined
        ? undefined
        : Math.max(0, systemCores - serverCores - clientCores),
  };
}

/** Replaces a section of a results file (from its "## " heading to the next) or appends it. */
export function writeResultsSection(file: string, title: string, section: string): void {
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmark results\n';
  const start = current.indexOf(`\n${title}\n`);
  if (start < 0) {
    fs.writeFileSync(file, `${current.trimEnd()}\n\n${section}`);
    return;
  }
  const next = current.indexOf('\n## ', start + 1);
  const after = next < 0 ? '' : `\n${current.slice(next + 1)}`;
  fs.writeFileSync(file, `${current.slice(0, start + 1)}${section}${after}`);
}

/** The project checks Markdown with Biome too: align the tables as `biome check` expects. */
export function formatMarkdown(file: string): void {
  const root = path.dirname(path.dirname(file));
  const biome = path.join(root, 'node_modules', '.bin', 'biome');
  const result = spawnSync(biome, ['format', '--write', file], { cwd: root, encoding: 'utf8', timeout: 30_000 });
  if (result.status !== 0) console.error(`biome format failed on ${file}: ${(result.stderr || result.stdout).trim()}`);
}
