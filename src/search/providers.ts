// The search implementation for a database engine: chosen once, at the composition root
// (buildApp, the CLI, test factories), and passed in to everything that searches or indexes.
import type { Engine } from '../store/dialect.ts';
import type { IndexTermSource, SearchProvider } from './provider.ts';
import { sqliteSearch } from './sqlite-fts.ts';
import { sqliteIndexTerms } from './sqlite-terms.ts';

export interface SearchComponents {
  search: SearchProvider;
  terms: IndexTermSource;
}

/** @example const { search, terms } = searchFor(store.capabilities.engine) */
export function searchFor(engine: Engine): SearchComponents {
  if (engine === 'sqlite') return { search: sqliteSearch, terms: sqliteIndexTerms };
  throw new Error(`Full-text search is not available on ${engine} yet`);
}
