// One validated, frozen configuration, read from environment variables.
import path from 'node:path';
import { DEFAULT_SEARCH_TIMEOUT_MS } from './store/dialect.ts';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
/** `pretty`: one readable line per event, for a person at a terminal; `json`: one JSON object per line. */
export type LogFormat = 'pretty' | 'json';

export interface Config {
  readonly port: number;
  readonly host: string;
  /** `sqlite:<path>`, `sqlite::memory:` or `postgres://...`. */
  readonly databaseUrl: string;
  /** Absolute origin used in canonical links and feeds, without a trailing slash. */
  readonly baseUrl: string;
  readonly mediaDir: string;
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat;
  /** Points each client address may spend per minute on pages, feeds and the API (0: no limit). */
  readonly rateLimitPerMinute: number;
  /**
   * Whose X-Forwarded-For to believe for the client's address: false (nobody), true (any proxy),
   * or the proxies' addresses. Behind a reverse proxy every client would otherwise share its address.
   */
  readonly trustProxy: boolean | string[];
  /** The longest one search statement may run before it is stopped and answered 503. */
  readonly searchTimeoutMs: number;
  /**
   * Where the bitmap index is kept between runs, so that a restart takes seconds (null: nowhere).
   * Default: beside a SQLite file; on PostgreSQL, wherever INDEX_SNAPSHOT says.
   */
  readonly indexSnapshot: string | null;
}

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads the configuration once; every problem is reported together, with how to fix it.
 * @example const config = loadConfig(process.env); // PORT=8080 → config.port === 8080
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const problems: string[] = [];

  const port = parsePort(env.PORT, problems);
  const host = env.HOST?.trim() || '127.0.0.1';
  const databaseUrl = env.DATABASE_URL?.trim() || 'sqlite:./data/dateline.db';
  if (!/^(sqlite:.+|postgres(ql)?:\/\/.+)$/.test(databaseUrl)) {
    problems.push(
      `DATABASE_URL "${databaseUrl}" is not understood: use sqlite:./path/to/file.db, sqlite::memory: or postgres://user@host/db`,
    );
  }

  const rawBaseUrl = env.BASE_URL?.trim() || `http://localhost:${port ?? 3000}`;
  let baseUrl = rawBaseUrl;
  try {
    const url = new URL(rawBaseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
    baseUrl = url.origin + url.pathname.replace(/\/+$/, '');
  } catch {
    problems.push(`BASE_URL "${rawBaseUrl}" must be an absolute http(s) URL such as https://www.example.org`);
  }

  const mediaDir = path.resolve(env.MEDIA_DIR?.trim() || './media');

  const rawSnapshot = env.INDEX_SNAPSHOT?.trim();
  const sqliteFile = /^sqlite:(?!:memory:)(.+)$/.exec(databaseUrl)?.[1];
  const indexSnapshot =
    rawSnapshot === 'off'
      ? null
      : rawSnapshot
        ? path.resolve(rawSnapshot)
        : sqliteFile
          ? `${path.resolve(sqliteFile)}.index`
          : null;

  const rawLevel = (env.LOG_LEVEL?.trim() || 'info').toLowerCase();
  if (!LOG_LEVELS.includes(rawLevel as LogLevel)) {
    problems.push(`LOG_LEVEL "${env.LOG_LEVEL}" must be one of ${LOG_LEVELS.join(', ')}`);
  }

  // Readable lines for a person at a terminal; JSON for log collectors, files and pipes.
  const rawFormat = (env.LOG_FORMAT?.trim() || (process.stdout.isTTY ? 'pretty' : 'json')).toLowerCase();
  if (rawFormat !== 'pretty' && rawFormat !== 'json') {
    problems.push(`LOG_FORMAT "${env.LOG_FORMAT}" must be pretty or json`);
  }

  const rawLimit = env.RATE_LIMIT?.trim() || '600';
  const rateLimitPerMinute = Number(rawLimit);
  if (!/^\d{1,9}$/.test(rawLimit)) {
    problems.push(`RATE_LIMIT "${env.RATE_LIMIT}" must be a whole number of points per minute (0: no limit)`);
  }

  const rawTrust = env.TRUST_PROXY?.trim().toLowerCase() || 'false';
  const trustProxy =
    rawTrust === 'true' ? true : rawTrust === 'false' ? false : rawTrust.split(',').map((address) => address.trim());
  if (Array.isArray(trustProxy) && trustProxy.some((address) => !/^[0-9a-f.:/]+$/.test(address))) {
    problems.push(`TRUST_PROXY "${env.TRUST_PROXY}" must be true, false or a comma-separated list of proxy addresses`);
  }

  const rawTimeout = env.SEARCH_TIMEOUT_MS?.trim() || String(DEFAULT_SEARCH_TIMEOUT_MS);
  const searchTimeoutMs = Number(rawTimeout);
  if (!/^\d{1,7}$/.test(rawTimeout) || searchTimeoutMs < 10) {
    problems.push(`SEARCH_TIMEOUT_MS "${env.SEARCH_TIMEOUT_MS}" must be a whole number of milliseconds, at least 10`);
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({
    port: port ?? 3000,
    host,
    databaseUrl,
    baseUrl,
    mediaDir,
    logLevel: rawLevel as LogLevel,
    logFormat: rawFormat as LogFormat,
    rateLimitPerMinute,
    trustProxy,
    searchTimeoutMs,
    indexSnapshot,
    ...overrides,
  });
}

function parsePort(raw: string | undefined, problems: string[]): number | undefined {
  if (raw === undefined || raw.trim() === '') return 3000;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    problems.push(`PORT "${raw}" must be a whole number between 0 and 65535`);
    return undefined;
  }
  return port;
}
