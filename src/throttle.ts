// One budget per client address for the whole site: pages, feeds and the API draw on it, each
// request by what it costs to answer. Counting requests alone would let a client spend the same
// allowance on searches over a million documents as on cached pages; weighing them bounds what
// one client can make the server do (rate-limiter-flexible: consume(key, points)).
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from './errors.ts';

export interface RateLimit {
  /** Points a client address may spend per window (a plain page costs one). */
  max: number;
  timeWindowMs: number;
}

/** What reading the full-text index adds to a request's cost. */
export const SEARCH_COST = 4;
/** Rows a request may ask for before each further batch of them adds a point. */
const ROWS_PER_POINT = 50;
/** Free: what every page loads with it, and what probes and crawlers' rules need. */
const FREE_PATHS = /^\/(assets\/|favicon\.ico$|healthz$|readyz$|robots\.txt$)/;

/**
 * @example requestCost('/search', { q: 'media', page_size: '100' }) // 1 + 4 + 2 = 7
 */
export function requestCost(path: string, query: Readonly<Record<string, unknown>>): number {
  if (FREE_PATHS.test(path)) return 0;
  const first = (value: unknown) => (Array.isArray(value) ? value[0] : value);
  const q = first(query.q);
  const pageSize = Number(first(query.page_size));
  const searching = typeof q === 'string' && q.trim() !== '';
  const rows = Number.isFinite(pageSize) && pageSize > 0 ? Math.min(pageSize, 1000) : 0;
  return 1 + (searching ? SEARCH_COST : 0) + Math.floor(rows / ROWS_PER_POINT);
}

/** "minute", "10 seconds", "2 minutes": a window in words. */
export function describeWindow(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds % 60 !== 0) return seconds === 1 ? 'second' : `${seconds} seconds`;
  const minutes = seconds / 60;
  return minutes === 1 ? 'minute' : `${minutes} minutes`;
}

export class RateLimitedError extends AppError {
  readonly code = 'DL_ERR_RATE_LIMITED';
  constructor(
    limit: RateLimit,
    readonly retryAfterSeconds: number,
  ) {
    super(
      `Too many requests: at most ${limit.max} points per ${describeWindow(limit.timeWindowMs)} for each address (a page costs 1, a search ${1 + SEARCH_COST}). Try again in ${retryAfterSeconds} seconds.`,
    );
  }
}

export interface Charge {
  limit: number;
  remaining: number;
  resetSeconds: number;
}

export interface Throttle {
  /** Spends `cost` of the client's points; throws RateLimitedError when they do not suffice. */
  charge(client: string, cost: number): Promise<Charge>;
}

export function createThrottle(limit: RateLimit): Throttle {
  const limiter = new RateLimiterMemory({
    points: limit.max,
    duration: Math.max(1, Math.round(limit.timeWindowMs / 1000)),
  });
  const chargeOf = (result: RateLimiterRes): Charge => ({
    limit: limit.max,
    remaining: Math.max(0, result.remainingPoints),
    resetSeconds: Math.max(1, Math.ceil(result.msBeforeNext / 1000)),
  });
  return {
    async charge(client, cost) {
      try {
        return chargeOf(await limiter.consume(client, cost));
      } catch (refusal) {
        if (!(refusal instanceof RateLimiterRes)) throw refusal;
        throw new RateLimitedError(limit, chargeOf(refusal).resetSeconds);
      }
    },
  };
}
