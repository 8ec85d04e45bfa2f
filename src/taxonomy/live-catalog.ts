// The catalogue as it is now: loaded once, loaded again whenever the change log says the
// taxonomies changed (here or in another process).
import { ChangeFollower } from '../documents/change-log.ts';
import type { Store } from '../store/store.ts';
import { type Catalog, loadCatalog } from './catalog.ts';

export interface LiveCatalog {
  current(): Catalog;
  /** Catches up with this process's own writes (a reseed) at once. */
  refresh(): Promise<void>;
  close(): void;
}

export async function followCatalog(
  store: Pick<Store, 'db' | 'localCommits'>,
  options: { pollMs?: number; onError?: (error: unknown) => void } = {},
): Promise<LiveCatalog> {
  const follower = new ChangeFollower(store, options);
  await follower.startFromLatest();
  let catalog = await loadCatalog(store.db);
  follower.subscribe(async (changes) => {
    if (changes.some((change) => change.action === 'taxonomies')) catalog = await loadCatalog(store.db);
  });
  follower.start();
  return {
    current: () => catalog,
    refresh: () => follower.catchUpWithLocalWrites(),
    close: () => follower.stop(),
  };
}
