// Bringing the bitmap index up after start, in the background (listings answer from SQL until
// then): from its snapshot when there is a usable one, the change log since replayed; else from the
// database (every document's facts, then the frequent words' postings), and a snapshot is written
// for the next start. While it serves, the snapshot is renewed now and then and at shutdown.
import { latestChangeSeq } from '../documents/change-log.ts';
import type { IndexTermSource, SearchProvider } from '../search/provider.ts';
import type { Store } from '../store/store.ts';
import { DocumentBitmapIndex } from './bitmap-index.ts';
import type { StructureSubtrees } from './engine.ts';
import { restoreIndex, SnapshotUnusable, saveIndexSnapshot } from './index-snapshot.ts';
import type { ListingService } from './service.ts';
import { FREQUENT_TERM_MIN_DOCUMENTS } from './term-postings.ts';

/** How often a serving process renews its snapshot, when the index changed since the last. */
export const SNAPSHOT_EVERY_MS = 10 * 60_000;

export interface IndexReadiness {
  index: 'loading' | 'ready' | 'failed' | 'off';
  frequentTerms: 'loading' | 'failed' | number;
  /** Where the index came from: read from the database, or its snapshot and the log since. */
  loadedFrom?: 'database' | 'snapshot';
}

export interface IndexLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface IndexLoadingOptions {
  store: Pick<Store, 'db' | 'searchDb'>;
  search: SearchProvider;
  terms: IndexTermSource;
  subtrees: () => StructureSubtrees;
  listings: ListingService;
  readiness: IndexReadiness;
  log: IndexLogger;
  /** Postings for words in at least this many documents (default 50,000). */
  frequentTermMinDocuments?: number;
  /** Where the snapshot is kept (null: none). */
  snapshotFile: string | null;
}

export interface IndexLoading {
  /** Resolves when the index serves (or failed to load). */
  loaded: Promise<void>;
  /** Stops renewing the snapshot, and writes a last one if the index changed since. */
  close(): Promise<void>;
}

/** @example const loading = startIndexLoading({ ...parts, snapshotFile: config.indexSnapshot }); await loading.loaded; */
export function startIndexLoading(options: IndexLoadingOptions): IndexLoading {
  const { store, readiness, log, snapshotFile } = options;
  const minDocuments = options.frequentTermMinDocuments ?? FREQUENT_TERM_MIN_DOCUMENTS;
  let savedSeq = -1;
  let timer: NodeJS.Timeout | null = null;
  let saving: Promise<unknown> = Promise.resolve();

  /** Writes a snapshot when the index moved since the last one (or always, when `changed`). */
  const save = (why: string, changed = false) => {
    if (!snapshotFile) return saving;
    saving = saving
      .then(async () => {
        const started = performance.now();
        const unlessAt = changed ? null : savedSeq;
        const saved = await saveIndexSnapshot(options.listings, store.db, snapshotFile, unlessAt);
        if (!saved) return;
        savedSeq = saved.seq;
        log.info(
          {
            why,
            seq: saved.seq,
            bytes: saved.bytes,
            encodeMs: Math.round(saved.encodeMs),
            ms: Math.round(performance.now() - started),
          },
          'index snapshot written',
        );
      })
      .catch((error: unknown) => log.warn({ err: error, file: snapshotFile }, 'index snapshot not written'));
    return saving;
  };

  const load = async () => {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const index = new DocumentBitmapIndex({
      db: store.db,
      searchDb: store.searchDb,
      search: options.search,
      terms: options.terms,
      subtrees: options.subtrees,
    });
    if (snapshotFile) {
      try {
        const { seq, replayed } = await restoreIndex(index, store.db, snapshotFile);
        options.listings.useIndex(index, seq);
        savedSeq = replayed === 0 ? seq : -1;
        Object.assign(readiness, { index: 'ready', loadedFrom: 'snapshot', frequentTerms: index.frequentTermCount });
        log.info({ ms: elapsed(), seq, replayed, file: snapshotFile }, 'bitmap index loaded from its snapshot');
        // A snapshot taken without postings, or for other words, is made whole in the background.
        if (index.frequentTermsFrom !== minDocuments && (await loadPostings(index, elapsed))) {
          await save('postings loaded', true);
        }
        return;
      } catch (error) {
        if (!(error instanceof SnapshotUnusable)) throw error;
        log.info({ file: snapshotFile, reason: error.message }, `index snapshot not used: ${error.message}`);
      }
    }
    // The log's position before loading: every change from there on is applied after the load.
    const before = await latestChangeSeq(store.db);
    await index.load();
    options.listings.useIndex(index, before);
    Object.assign(readiness, { index: 'ready', loadedFrom: 'database' });
    log.info({ ms: elapsed() }, 'bitmap index loaded');
    // At once: the postings can take minutes more (PostgreSQL reads each word's ids from its
    // text index), and a restart meanwhile should not read every document again.
    await save('loaded from the database');
    if (await loadPostings(index, elapsed)) await save('postings loaded', true);
  };

  /** Whether they loaded. */
  const loadPostings = async (index: DocumentBitmapIndex, elapsed: () => number): Promise<boolean> => {
    try {
      readiness.frequentTerms = await index.loadTermPostings(minDocuments);
      log.info({ ms: elapsed(), terms: readiness.frequentTerms }, 'postings of frequent words loaded');
      return true;
    } catch (error) {
      readiness.frequentTerms = 'failed';
      log.error({ err: error }, 'postings of frequent words failed to load; searches read the full-text index');
      return false;
    }
  };

  const loaded = load().then(
    () => {
      if (!snapshotFile) return;
      timer = setInterval(() => void save('periodic'), SNAPSHOT_EVERY_MS);
      timer.unref();
    },
    (error: unknown) => {
      readiness.index = 'failed';
      log.error({ err: error }, 'bitmap index failed to load; listings stay on SQL');
    },
  );
  return {
    loaded,
    async close() {
      if (timer) clearInterval(timer);
      // Not while it loads: a process stopped then keeps the snapshot it had.
      if (readiness.index === 'ready') await save('shutdown');
    },
  };
}
