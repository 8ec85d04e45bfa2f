// Text search off the main thread, under a time budget. better-sqlite3 runs each statement
// synchronously and offers no progress handler, so a long search on the main connection would
// stop every other request of the process. Here each search statement runs in a worker thread on
// its own read-only connection (WAL lets it read while the main connection writes); past the
// budget its caller gets SearchTimeoutError at once and the thread is retired. A statement in
// SQLite cannot be interrupted from outside, so a retired thread finishes it and exits; the pool
// holds at most `threads` working and `threads` retiring threads, so stopped searches can never
// take more than that many cores. Decision record 0015.
import { Worker } from 'node:worker_threads';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import { SearchTimeoutError } from '../errors.ts';
import { projectPath } from '../paths.ts';

const WORKER_FILE = projectPath('src', 'store', 'sqlite-read-worker.js');

export interface ReadPoolOptions {
  filename: string;
  /** Statements running at once (each in its own thread). */
  threads: number;
  /** How long a statement may take, waiting for a thread included. */
  budgetMs: number;
  /** SQLite page cache of each thread's connection. */
  cacheKib?: number;
}

type Reply = { id: number; rows?: unknown[]; integers?: Uint32Array; error?: { message: string; code?: string } };

interface Task {
  readonly id: number;
  readonly sql: string;
  readonly parameters: readonly unknown[];
  readonly integers: boolean;
  readonly resolve: (reply: Reply) => void;
  readonly reject: (error: Error) => void;
  timer: NodeJS.Timeout;
  thread: Thread | null;
}

interface Thread {
  readonly worker: Worker;
  task: Task | null;
  /** Resolves once the thread has opened its connection (or stopped trying). */
  readonly ready: Promise<void>;
}

/** An error raised by SQLite in a worker, with SQLite's code as better-sqlite3 gives it. */
export class PooledStatementError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'PooledStatementError';
  }
}

export class SqliteReadPool {
  private readonly working = new Set<Thread>();
  private retiring = 0;
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: ReadPoolOptions) {}

  /** The rows of one read-only statement. */
  async rows(sql: string, parameters: readonly unknown[]): Promise<unknown[]> {
    return (await this.submit(sql, parameters, false)).rows ?? [];
  }

  /** The values of a one-column integer statement, moved (not copied) from the worker. */
  async integers(sql: string, parameters: readonly unknown[]): Promise<Uint32Array> {
    return (await this.submit(sql, parameters, true)).integers ?? new Uint32Array(0);
  }

  /** Starts the threads now, so that the first searches do not wait for them; resolves when they can read. */
  async warm(): Promise<void> {
    while (!this.closed && this.working.size < this.options.threads) this.spawn();
    await Promise.all([...this.working].map((thread) => thread.ready));
  }

  /** Threads now running a statement, or retired and still finishing one. */
  busyThreads(): number {
    return [...this.working].filter((thread) => thread.task).length + this.retiring;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) this.fail(task, new Error('The store is closed.'));
    await Promise.all([...this.working].map((thread) => thread.worker.terminate()));
    this.working.clear();
  }

  private submit(sql: string, parameters: readonly unknown[], integers: boolean): Promise<Reply> {
    if (this.closed) return Promise.reject(new Error('The store is closed.'));
    return new Promise<Reply>((resolve, reject) => {
      const task: Task = {
        id: this.nextId++,
        sql,
        parameters,
        integers,
        resolve,
        reject,
        thread: null,
        timer: setTimeout(() => this.expire(task), this.options.budgetMs),
      };
      this.queue.push(task);
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const thread = this.idleThread();
      if (!thread) return;
      const task = this.queue.shift() as Task;
      task.thread = thread;
      thread.task = task;
      thread.worker.postMessage({ id: task.id, sql: task.sql, parameters: task.parameters, integers: task.integers });
    }
  }

  private idleThread(): Thread | null {
    for (const thread of this.working) if (!thread.task) return thread;
    // A retired thread still holds a core until its statement ends: at most `threads` of them.
    const { threads } = this.options;
    if (this.working.size >= threads || this.working.size + this.retiring >= 2 * threads) return null;
    return this.spawn();
  }

  private spawn(): Thread {
    const worker = new Worker(WORKER_FILE, {
      workerData: { filename: this.options.filename, cacheKib: this.options.cacheKib ?? 16_384 },
    });
    // Idle threads never keep the process alive.
    worker.unref();
    let markReady = () => {};
    const ready = new Promise<void>((resolve) => {
      markReady = resolve;
    });
    const thread: Thread = { worker, task: null, ready };
    worker.on('message', (reply: Reply | { ready: true }) => {
      if ('ready' in reply) return markReady();
      const task = thread.task;
      if (!task || task.id !== reply.id) return;
      thread.task = null;
      clearTimeout(task.timer);
      if (reply.error) task.reject(new PooledStatementError(reply.error.message, reply.error.code));
      else task.resolve(reply);
      this.dispatch();
    });
    const lost = (error: Error) => {
      markReady();
      if (!this.working.delete(thread)) return;
      if (thread.task) this.fail(thread.task, error);
      thread.task = null;
      this.dispatch();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`A search thread stopped (exit code ${code}).`)));
    this.working.add(thread);
    return thread;
  }

  /** Past the budget: answer the caller now; a running statement's thread is retired. */
  private expire(task: Task): void {
    const queued = this.queue.indexOf(task);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      task.reject(new SearchTimeoutError(this.options.budgetMs, 'busy'));
      return;
    }
    const thread = task.thread;
    if (!thread || thread.task !== task) return;
    task.reject(new SearchTimeoutError(this.options.budgetMs, 'slow'));
    thread.task = null;
    this.working.delete(thread);
    this.retiring += 1;
    void thread.worker.terminate().finally(() => {
      this.retiring -= 1;
      this.dispatch();
    });
    this.dispatch();
  }

  private fail(task: Task, error: Error): void {
    clearTimeout(task.timer);
    task.reject(error);
  }
}

class ReadPoolConnection implements DatabaseConnection {
  constructor(private readonly pool: SqliteReadPool) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    return { rows: (await this.pool.rows(compiledQuery.sql, compiledQuery.parameters)) as R[] };
  }

  // biome-ignore lint/correctness/useYield: streaming is refused before it starts.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('The search handle does not stream.');
  }
}

const readOnly = async (): Promise<never> => {
  throw new Error('The search handle only reads: write through the store.');
};

class ReadPoolDriver implements Driver {
  private readonly connection: ReadPoolConnection;

  constructor(private readonly pool: SqliteReadPool) {
    this.connection = new ReadPoolConnection(pool);
  }

  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.connection;
  }
  beginTransaction = readOnly;
  commitTransaction = readOnly;
  rollbackTransaction = readOnly;
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {
    await this.pool.close();
  }
}

/** A Kysely dialect whose every statement runs in the pool (SQLite's SQL, read only). */
export function readPoolDialect(pool: SqliteReadPool): Dialect {
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new ReadPoolDriver(pool),
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createIntrospector: (db) => new SqliteIntrospector(db),
  };
}
