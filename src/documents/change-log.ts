// The change log: one row per change to a document, appended in the changing transaction, read
// in order by everything that must follow changes (the bitmap index, the count cache, the
// catalogue, other server processes). A follower keeps its position, so deletes, unpublishing
// and other processes' writes are all seen, and nothing is missed after a restart.
import { announceChange, lockChangeLog } from '../store/dialect.ts';
import type { ChangeAction, DocumentChange } from '../store/schema.ts';
import type { Db, Store, Tx } from '../store/store.ts';

export interface ChangeEntry {
  documentId: number | null;
  action: ChangeAction;
  revision?: number | null;
  /** ISO 8601 from the writer's clock. */
  at: string;
}

/** Appends to the log; call inside the transaction that makes the change. */
export async function recordChange(tx: Tx, entry: ChangeEntry): Promise<void> {
  await lockChangeLog(tx);
  await tx
    .insertInto('document_changes')
    .values({ document_id: entry.documentId, action: entry.action, revision: entry.revision ?? null, at: entry.at })
    .execute();
  await announceChange(tx);
}

/** The position of the newest entry (0: an empty log). */
export async function latestChangeSeq(db: Db): Promise<number> {
  const row = await db
    .selectFrom('document_changes')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst();
  return Number(row?.seq ?? 0);
}

/** Entries after `seq`, oldest first. */
export async function readChanges(db: Db, afterSeq: number, limit = 1_000): Promise<DocumentChange[]> {
  const rows = await db
    .selectFrom('document_changes')
    .selectAll()
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ ...row, seq: Number(row.seq) }));
}

/** Something that follows the log: it is handed each batch of new entries, in order. */
export type ChangeSubscriber = (changes: readonly DocumentChange[]) => void | Promise<void>;

export interface ChangeFollowerOptions {
  /** How often to look for other processes' writes (default 250 ms; 0: only when asked). */
  pollMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * Reads the log from a position and hands new entries to its subscribers. Local commits are
 * seen before the next read of any listing (`catchUp` is cheap when nothing committed here and
 * the poll is recent); other processes' writes within one poll interval.
 * @example const follower = new ChangeFollower(store); follower.subscribe(cache.onChanges); follower.start();
 */
export class ChangeFollower {
  private position = 0;
  private seenCommits = -1;
  private readonly subscribers = new Set<ChangeSubscriber>();
  private timer: NodeJS.Timeout | null = null;
  private stopListening: (() => void) | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly store: Pick<Store, 'db' | 'localCommits'> & Partial<Pick<Store, 'onRemoteChange'>>,
    private readonly options: ChangeFollowerOptions = {},
  ) {}

  /** The last entry handed to the subscribers. */
  get seq(): number {
    return this.position;
  }

  /** Starts after the newest entry: for a follower whose state was just loaded from the database. */
  async startFromLatest(): Promise<void> {
    this.position = await latestChangeSeq(this.store.db);
    this.seenCommits = this.store.localCommits();
  }

  /** Starts after `seq` (a position read before loading state, so that nothing is missed). */
  startAfter(seq: number): void {
    this.position = seq;
  }

  subscribe(subscriber: ChangeSubscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  /**
   * Polls the log in the background until `stop`, and reads at once when the engine announces
   * another process's commit (PostgreSQL's NOTIFY), so that it is seen in milliseconds.
   */
  start(): void {
    const pollMs = this.options.pollMs ?? 250;
    if (pollMs <= 0 || this.timer) return;
    const read = () => {
      this.catchUp().catch((error) => this.options.onError?.(error));
    };
    this.timer = setInterval(read, pollMs);
    this.timer.unref();
    this.stopListening = this.store.onRemoteChange?.(read) ?? null;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.stopListening?.();
    this.stopListening = null;
  }

  /**
   * Runs `look` between two reads, with the position the subscribers have reached: what they
   * hold reflects exactly the entries up to it while `look` runs (it must not await before it is done
   * looking).
   */
  async atRest<T>(look: (seq: number) => T): Promise<T> {
    while (this.running) await this.running;
    return look(this.position);
  }

  /** Reads at once if this process committed since the last read; else nothing (the poll reads). */
  async catchUpWithLocalWrites(): Promise<void> {
    if (this.store.localCommits() !== this.seenCommits) await this.catchUp();
  }

  /**
   * Reads and dispatches every entry committed before the call. One read at a time: a caller
   * arriving during a read waits for it, then reads again (that read may have started before the
   * caller's own commit).
   */
  async catchUp(): Promise<void> {
    while (this.running) await this.running;
    this.running = this.readAll().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async readAll(): Promise<void> {
    for (;;) {
      const commits = this.store.localCommits();
      const changes = await readChanges(this.store.db, this.position);
      if (changes.length > 0) {
        for (const subscriber of this.subscribers) await subscriber(changes);
        this.position = (changes.at(-1) as DocumentChange).seq;
      }
      // Only once the subscribers are done: a listing that arrives while they apply this process's
      // own commit (a read woken by NOTIFY, say) must wait for them, not pass them by.
      this.seenCommits = commits;
      if (changes.length === 0) return;
    }
  }
}
