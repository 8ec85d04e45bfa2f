// Composition helpers shared by buildApp, the CLI, setup and test factories: the one place
// besides app.ts that picks implementations by the store's engine.
import { type Clock, systemClock } from './clock.ts';
import { type DocumentWriter, documentWriter } from './documents/writer.ts';
import { searchFor } from './search/providers.ts';
import type { Store } from './store/store.ts';

/** A document writer on this store, with its engine's search index and the given clock. */
export function writerFor(store: Store, clock: Clock = systemClock): DocumentWriter {
  return documentWriter({
    search: searchFor(store.capabilities.engine).search,
    clock,
    isUniqueViolation: store.isUniqueViolation,
  });
}
