// The search implementation for a database engine: chosen once, at the composition root
// (buildApp, the CLI, test factories), and passed in to everything that searches or indexes.
import type { Engine } from '../store/dialect.ts';
import { postgresSearch } from './postgres-fts.ts';
import { postgresIndexTerms } from './postgres-terms.ts';
import type { IndexTermSource, SearchProvider } from './provider.ts';
import { sqliteSearch } from './sqlite-fts.ts';
import { sqliteIndexTerms } from './sqlite-terms.ts';

export interface SearchComponents {
  search: SearchProvider;
  terms: IndexTermSource;
}

/** @example const { search, terms } = searchFor(store.capabilities.engine) */
export function searchFor(engine: Engine): SearchComponents {
  return engine === 'sqlite'
    ? { search: sqliteSearch, terms: sqliteIndexTerms }
    : { search: postgresSearch, terms: postgresIndexTerms };
}
