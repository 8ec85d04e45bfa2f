// The error catalogue: every failure a user can cause has a class and a stable code.

export type ErrorCode =
  | 'DL_ERR_NOT_FOUND'
  | 'DL_ERR_INVALID_PARAMETER'
  | 'DL_ERR_SLUG_TAKEN'
  | 'DL_ERR_STALE_REVISION'
  | 'DL_ERR_IMPORT_FORMAT'
  | 'DL_ERR_UNKNOWN_TERM';

export abstract class AppError extends Error {
  abstract readonly code: ErrorCode;
  abstract readonly statusCode: number;
  /** A short, human title for error pages and problem+json `title`. */
  abstract readonly title: string;
}

export class NotFoundError extends AppError {
  readonly code = 'DL_ERR_NOT_FOUND';
  readonly statusCode = 404;
  readonly title = 'Page not found';
}

/** A query-string or form value that is malformed; `parameter` names it for the reader. */
export class InvalidParameterError extends AppError {
  readonly code = 'DL_ERR_INVALID_PARAMETER';
  readonly statusCode = 400;
  readonly title = 'Bad request';
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

export class SlugTakenError extends AppError {
  readonly code = 'DL_ERR_SLUG_TAKEN';
  readonly statusCode = 409;
  readonly title = 'Slug already in use';
}

export class StaleRevisionError extends AppError {
  readonly code = 'DL_ERR_STALE_REVISION';
  readonly statusCode = 409;
  readonly title = 'Document changed since you opened it';
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
  readonly statusCode = 422;
  readonly title = 'Unreadable import file';
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
  readonly statusCode = 400;
  readonly title = 'Unknown term';
}
