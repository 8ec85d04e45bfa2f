// Conditional GET (RFC 9110 §13.1.2): If-None-Match holds "*" or a list of entity tags, compared
// weakly. @fastify/etag only compares the header as one exact string, so `*` and lists were
// answered 200; this decides 304 for it.

/** The entity tag without its weakness marker: weak comparison ignores it. */
const opaque = (tag: string) => tag.trim().replace(/^W\//, '');

/**
 * Whether a request's If-None-Match matches the response's ETag.
 * @example ifNoneMatchMatches('"a", W/"b"', '"b"') // true
 */
export function ifNoneMatchMatches(header: string | undefined, etag: string | undefined): boolean {
  if (!header || !etag) return false;
  if (header.trim() === '*') return true;
  const current = opaque(etag);
  // Entity tags are quoted and may not contain commas or quotes inside, so splitting on commas is exact.
  return header.split(',').some((tag) => opaque(tag) === current);
}
