// The rows of listed documents (their summaries), kept in memory for the documents listed most
// recently. Reading them was the largest single cost of the home page and of a document's related
// documents: a statement per list, 20 to 40 µs under load, for rows that change only when their
// documents do. This is data, not a page cache: which documents a list shows (visibility, order)
// is still decided by the listing engine at every request, and a row is dropped as soon as the
// change log names its document, as the bitmap index is updated (decisions 0006 and 0008).
import { ChangeFollower, type ChangeFollowerOptions } from '../documents/change-log.ts';
import { type DocumentSummary, summariesOf } from '../documents/reader.ts';
import type { DocumentChange } from '../store/schema.ts';

/** What a change follower reads the log from. */
type FollowedStore = ConstructorParameters<typeof ChangeFollower>[0];

/** About a kilobyte each: ten megabytes at most. */
const MAX_ROWS = 10_000;

export interface SummaryRowsOptions extends ChangeFollowerOptions {
  maxRows?: number;
}

export class SummaryRows {
  /** In least recently used order, oldest first. */
  private readonly rows = new Map<number, DocumentSummary>();
  /** Counts the forgettings: rows read before one are not kept after it. */
  private generation = 0;
  private readonly follower: ChangeFollower;
  private readonly maxRows: number;

  private constructor(
    private readonly store: FollowedStore,
    options: SummaryRowsOptions,
  ) {
    this.maxRows = options.maxRows ?? MAX_ROWS;
    this.follower = new ChangeFollower(store, options);
    this.follower.subscribe((changes) => this.forget(changes));
  }

  /** Follows the change log from its end (nothing is held yet) and polls it until `close`. */
  static async start(store: FollowedStore, options: SummaryRowsOptions = {}): Promise<SummaryRows> {
    const rows = new SummaryRows(store, options);
    await rows.follower.startFromLatest();
    rows.follower.start();
    return rows;
  }

  close(): void {
    this.follower.stop();
  }

  /** Summaries of the given documents, in no particular order (visibility is the caller's), as `summariesOf`. */
  async of(ids: readonly number[]): Promise<DocumentSummary[]> {
    // This process's own writes are seen before its next read, as by the index.
    await this.follower.catchUpWithLocalWrites();
    const found: DocumentSummary[] = [];
    const missing: number[] = [];
    for (const id of ids) {
      const row = this.rows.get(id);
      if (!row) {
        missing.push(id);
        continue;
      }
      // Re-inserted: the Map's order stays least recently used first.
      this.rows.delete(id);
      this.rows.set(id, row);
      found.push(row);
    }
    if (missing.length === 0) return found;
    const generation = this.generation;
    const read = await summariesOf(this.store.db, missing);
    for (const row of read) {
      Object.freeze(row.sourceIds);
      found.push(Object.freeze(row));
    }
    // A change logged while the statement ran may postdate these rows: they are used once, not kept.
    if (generation === this.generation) {
      for (const row of read) this.rows.set(row.id, row);
      while (this.rows.size > this.maxRows) this.rows.delete(this.rows.keys().next().value as number);
    }
    return found;
  }

  /** How many rows are held now. */
  get size(): number {
    return this.rows.size;
  }

  private forget(changes: readonly DocumentChange[]): void {
    this.generation += 1;
    // A taxonomy change can take sources away from any document (their rows cascade).
    if (changes.some((change) => change.document_id === null)) {
      this.rows.clear();
      return;
    }
    for (const change of changes) this.rows.delete(change.document_id as number);
  }
}
