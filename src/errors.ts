// The error catalogue: every failure a user can cause has a class and a stable code, and one
// table maps each code to HTTP. The site's handler (HTML pages) and the API's (problem+json)
// both read it through `httpErrorOf`, so the same failure answers the same status everywhere.

export type ErrorCode =
  | 'DL_ERR_NOT_FOUND'
  | 'DL_ERR_INVALID_PARAMETER'
  | 'DL_ERR_BAD_REQUEST'
  | 'DL_ERR_SLUG_TAKEN'
  | 'DL_ERR_STALE_REVISION'
  | 'DL_ERR_IMPORT_FORMAT'
  | 'DL_ERR_UNKNOWN_TERM'
  | 'DL_ERR_RATE_LIMITED'
  | 'DL_ERR_SEARCH_TIMEOUT'
  | 'DL_ERR_DATABASE_UNAVAILABLE'
  | 'DL_ERR_INTERNAL';

/** The one mapping of codes to HTTP statuses and the short titles error pages and problems show. */
export const ERROR_HTTP: { readonly [C in ErrorCode]: { readonly status: number; readonly title: string } } = {
  DL_ERR_NOT_FOUND: { status: 404, title: 'Page not found' },
  DL_ERR_INVALID_PARAMETER: { status: 400, title: 'Bad request' },
  DL_ERR_BAD_REQUEST: { status: 400, title: 'Bad request' },
  DL_ERR_SLUG_TAKEN: { status: 409, title: 'Slug already in use' },
  DL_ERR_STALE_REVISION: { status: 409, title: 'Document changed since you opened it' },
  DL_ERR_IMPORT_FORMAT: { status: 422, title: 'Unreadable import file' },
  DL_ERR_UNKNOWN_TERM: { status: 400, title: 'Unknown term' },
  DL_ERR_RATE_LIMITED: { status: 429, title: 'Too many requests' },
  DL_ERR_SEARCH_TIMEOUT: { status: 503, title: 'Search took too long' },
  DL_ERR_DATABASE_UNAVAILABLE: { status: 503, title: 'Temporarily unavailable' },
  DL_ERR_INTERNAL: { status: 500, title: 'Something went wrong' },
};

/**
 * A mistake in how Dateline is started (configuration, port, database file), reported as what
 * is wrong and how to fix it, never as a stack trace.
 */
export class StartupError extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
    this.name = 'StartupError';
  }
}

export abstract class AppError extends Error {
  abstract readonly code: ErrorCode;
  get statusCode(): number {
    return ERROR_HTTP[this.code].status;
  }
  /** A short, human title for error pages and problem+json `title`. */
  get title(): string {
    return ERROR_HTTP[this.code].title;
  }
}

export class NotFoundError extends AppError {
  readonly code = 'DL_ERR_NOT_FOUND';
}

/** A query-string or form value that is malformed; `parameter` names it for the reader. */
export class InvalidParameterError extends AppError {
  readonly code = 'DL_ERR_INVALID_PARAMETER';
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

export class SlugTakenError extends AppError {
  readonly code = 'DL_ERR_SLUG_TAKEN';
}

export class StaleRevisionError extends AppError {
  readonly code = 'DL_ERR_STALE_REVISION';
  constructor(
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`Revision ${expected} is stale: the document is at revision ${actual}`);
  }
}

/** A legacy page that cannot be read; names the file and line. */
export class ImportFormatError extends AppError {
  readonly code = 'DL_ERR_IMPORT_FORMAT';
  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
  }
}

/** A taxonomy label or slug that does not resolve (a field of work, a country, a structure). */
export class UnknownTermError extends AppError {
  readonly code = 'DL_ERR_UNKNOWN_TERM';
}

/**
 * A search statement that ran past its time budget (`slow`, stopped), or waited that long for a
 * free search thread (`busy`). The rest of the site keeps answering: searches run off the main
 * thread.
 */
export class SearchTimeoutError extends AppError {
  readonly code = 'DL_ERR_SEARCH_TIMEOUT';
  readonly retryAfterSeconds = 5;
  constructor(
    readonly budgetMs: number,
    readonly reason: 'slow' | 'busy',
  ) {
    const budget = budgetMs >= 1000 ? `${budgetMs / 1000} s` : `${budgetMs} ms`;
    super(
      reason === 'slow'
        ? `This search needed more than ${budget} and was stopped. Narrow it: more words, fewer prefixes (word*), or a filter.`
        : `The server is busy with other searches and could not start this one within ${budget}. Please try again in a few seconds.`,
    );
  }
}

/**
 * The database does not answer (stopped, restarting, unreachable). Pages answer 503 at once
 * rather than hang, and the next request after it is back is served again.
 */
export class DatabaseUnavailableError extends AppError {
  readonly code = 'DL_ERR_DATABASE_UNAVAILABLE';
  readonly retryAfterSeconds = 5;
  /** `cause`: the driver's error, for the log (readers see only the message). */
  constructor(options?: ErrorOptions) {
    super('The site cannot reach its database just now. Please try again in a few seconds.', options);
  }
}

/** What a handler answers for an error: from the catalogue, or from the framework's own 4xx. */
export interface HttpError {
  readonly status: number;
  readonly code: ErrorCode;
  readonly title: string;
  readonly message: string;
  readonly parameter?: string;
  /** Seconds after which trying again may succeed (a `Retry-After` header). */
  readonly retryAfterSeconds?: number;
  /** Not the client's fault: worth a log line. */
  readonly unexpected: boolean;
}

const INTERNAL_MESSAGE = 'The server could not answer this request. Please try again in a moment.';

/** Framework errors (Fastify's validation, rate limit, body parser) keep their 4xx status. */
function frameworkCode(status: number): ErrorCode {
  if (status === 404) return 'DL_ERR_NOT_FOUND';
  if (status === 429) return 'DL_ERR_RATE_LIMITED';
  return 'DL_ERR_BAD_REQUEST';
}

/**
 * @example const { status, title, message } = httpErrorOf(error);
 */
export function httpErrorOf(error: unknown): HttpError {
  if (error instanceof AppError) {
    return {
      status: error.statusCode,
      code: error.code,
      title: error.title,
      message: error.message,
      ...(error instanceof InvalidParameterError ? { parameter: error.parameter } : {}),
      ...(error instanceof SearchTimeoutError || error instanceof DatabaseUnavailableError
        ? { retryAfterSeconds: error.retryAfterSeconds }
        : {}),
      unexpected: false,
    };
  }
  const framework = error as { statusCode?: unknown; message?: unknown; validation?: unknown };
  if (typeof framework.statusCode === 'number' && framework.statusCode >= 400 && framework.statusCode < 500) {
    const code = Array.isArray(framework.validation) ? 'DL_ERR_INVALID_PARAMETER' : frameworkCode(framework.statusCode);
    const [first] = Array.isArray(framework.validation)
      ? (framework.validation as { instancePath?: string; params?: { missingProperty?: string } }[])
      : [];
    const parameter = first?.params?.missingProperty ?? first?.instancePath?.split('/')[1];
    return {
      status: framework.statusCode,
      code,
      title: ERROR_HTTP[code].title,
      message: String(framework.message ?? ERROR_HTTP[code].title),
      ...(parameter ? { parameter } : {}),
      unexpected: false,
    };
  }
  return {
    status: 500,
    code: 'DL_ERR_INTERNAL',
    title: ERROR_HTTP.DL_ERR_INTERNAL.title,
    message: INTERNAL_MESSAGE,
    unexpected: true,
  };
}
