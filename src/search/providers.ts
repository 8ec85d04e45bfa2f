// Picks the search implementation for the engine behind a database handle.
import { engineOfDb } from '../store/dialect.ts';
import type { Db, Tx } from '../store/store.ts';
import type { SearchProvider } from './provider.ts';
import { sqliteSearch } from './sqlite-fts.ts';

/** @example await searchProviderFor(tx).index(tx, id, text) */
export function searchProviderFor(db: Db | Tx): SearchProvider {
  const engine = engineOfDb(db);
  if (engine === 'sqlite') return sqliteSearch;
  throw new Error(`Full-text search is not available on ${engine} yet`);
}
