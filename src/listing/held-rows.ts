// Rows of documents kept in memory: the summaries of listed documents, and the records of the
// documents whose pages were read most recently. Reading them was the largest single cost of the
// home page, of a document's related documents and of a document's own page: a statement or two,
// 20 to 60 µs under load, for rows that change only when their documents do. This is data, not a
// page cache: which documents a list shows (visibility, order) is still decided by the listing
// engine, a document's visibility is checked at every request, every page is rendered anew, and
// a row is dropped as soon as the change log names its document, as the bitmap index is updated
// (decisions 0006, 0008 and 0016).
import { ChangeFollower, type ChangeFollowerOptions } from '../documents/change-log.ts';
import {
  type DocumentRecord,
  type DocumentSummary,
  type DocumentTerms,
  findVisibleDocumentWithTerms,
  summariesOf,
} from '../documents/reader.ts';
import { isVisibleAt } from '../documents/visibility.ts';
import type { DocumentChange } from '../store/schema.ts';

/** What a change follower reads the log from. */
type FollowedStore = ConstructorParameters<typeof ChangeFollower>[0];

/** A document's page's data: the document and its terms. */
export interface HeldDocument {
  readonly doc: DocumentRecord;
  readonly terms: DocumentTerms;
}

/** About a kilobyte each: ten megabytes at most. */
const MAX_ROWS = 10_000;
/** The held documents' text, in characters (bodies, titles, summaries): 32 MB at most as UTF-16. */
const MAX_DOCUMENT_CHARACTERS = 16 * 1024 * 1024;

export interface HeldRowsOptions extends ChangeFollowerOptions {
  maxRows?: number;
  maxDocumentCharacters?: number;
}

const charactersOf = ({ doc }: HeldDocument) => doc.body_html.length + doc.title.length + doc.summary.length;

export class HeldRows {
  /** Summaries by document id, least recently used first. */
  private readonly rows = new Map<number, DocumentSummary>();
  /** Documents' records by the address their page was read at, least recently used first. */
  private readonly documents = new Map<string, HeldDocument>();
  /** The address each held record is kept under, to forget it by its document's id. */
  private readonly documentPaths = new Map<number, string>();
  private documentCharacters = 0;
  /** Counts the forgettings: rows read before one are not kept after it. */
  private generation = 0;
  private readonly follower: ChangeFollower;
  private readonly maxRows: number;
  private readonly maxDocumentCharacters: number;

  private constructor(
    private readonly store: FollowedStore,
    options: HeldRowsOptions,
  ) {
    this.maxRows = options.maxRows ?? MAX_ROWS;
    this.maxDocumentCharacters = options.maxDocumentCharacters ?? MAX_DOCUMENT_CHARACTERS;
    this.follower = new ChangeFollower(store, options);
    this.follower.subscribe((changes) => this.forget(changes));
  }

  /** Follows the change log from its end (nothing is held yet) and polls it until `close`. */
  static async start(store: FollowedStore, options: HeldRowsOptions = {}): Promise<HeldRows> {
    const rows = new HeldRows(store, options);
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
      // Re-inserted, so that the Map's order stays least recently used first, once dropping
      // rows is near: two hash operations a row, on every list, for an order nothing reads before.
      if (this.rows.size > this.maxRows / 2) {
        this.rows.delete(id);
        this.rows.set(id, row);
      }
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

  /** The document visible at `now` (ISO 8601) at an address, with its terms, as `findVisibleDocumentWithTerms`. */
  async document(path: string, now: string): Promise<HeldDocument | undefined> {
    await this.follower.catchUpWithLocalWrites();
    const held = this.documents.get(path);
    // Visibility is the document's own and only its change can take it away, but the clock can
    // go back (tests travel in time): it is checked at every read.
    if (held && isVisibleAt(held.doc, now)) {
      this.documents.delete(path);
      this.documents.set(path, held);
      return held;
    }
    const generation = this.generation;
    const found = await findVisibleDocumentWithTerms(this.store.db, path, now);
    if (!found) return undefined;
    Object.freeze(found.doc.sourceIds);
    Object.freeze(found.terms.fieldIds);
    Object.freeze(found.terms.countryIds);
    const record: HeldDocument = Object.freeze({ doc: Object.freeze(found.doc), terms: Object.freeze(found.terms) });
    if (generation === this.generation) {
      this.dropDocument(path);
      this.keepDocument(path, record);
    }
    return record;
  }

  /** How many summaries are held now. */
  get size(): number {
    return this.rows.size;
  }

  /** How many documents' records are held now. */
  get documentCount(): number {
    return this.documents.size;
  }

  private keepDocument(path: string, record: HeldDocument): void {
    this.documents.set(path, record);
    this.documentPaths.set(record.doc.id, path);
    this.documentCharacters += charactersOf(record);
    // The one just read stays, however long: the bound is for those read before it.
    while (this.documentCharacters > this.maxDocumentCharacters && this.documents.size > 1) {
      this.dropDocument(this.documents.keys().next().value as string);
    }
  }

  private dropDocument(path: string): void {
    const record = this.documents.get(path);
    if (!record) return;
    this.documents.delete(path);
    this.documentPaths.delete(record.doc.id);
    this.documentCharacters -= charactersOf(record);
  }

  private forget(changes: readonly DocumentChange[]): void {
    this.generation += 1;
    // A taxonomy change can take sources away from any document (their rows cascade).
    if (changes.some((change) => change.document_id === null)) {
      this.rows.clear();
      this.documents.clear();
      this.documentPaths.clear();
      this.documentCharacters = 0;
      return;
    }
    for (const change of changes) {
      const id = change.document_id as number;
      this.rows.delete(id);
      const path = this.documentPaths.get(id);
      if (path !== undefined) this.dropDocument(path);
    }
  }
}
