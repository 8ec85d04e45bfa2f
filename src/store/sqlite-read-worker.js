// One thread of the search read pool (sqlite-read-pool.ts): a read-only connection to the
// database file that runs one statement at a time for the main thread. Plain JavaScript, so that
// the same file starts under every runner (the command line's bundle, tsx, the tests).
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const STATEMENT_CACHE_SIZE = 200;

const database = new Database(workerData.filename, { readonly: true, fileMustExist: true });
database.pragma('busy_timeout = 5000');
database.pragma(`cache_size = ${Number(workerData.cacheKib) > 0 ? -Number(workerData.cacheKib) : -16384}`);

/** @type {Map<string, import('better-sqlite3').Statement>} */
const statements = new Map();

/** Statements by SQL text and mode, least recently used dropped first. */
function prepare(sql, integers) {
  const key = `${integers ? 'i' : 'r'}:${sql}`;
  let statement = statements.get(key);
  if (statement) {
    statements.delete(key);
  } else {
    statement = database.prepare(sql);
    if (!statement.reader) throw Object.assign(new Error('The search pool only reads.'), { code: 'DL_READ_ONLY' });
    if (integers) statement.pluck();
    if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value);
  }
  statements.set(key, statement);
  return statement;
}

parentPort.postMessage({ ready: true });

parentPort.on('message', ({ id, sql, parameters, integers }) => {
  try {
    const statement = prepare(sql, integers);
    if (integers) {
      const values = Uint32Array.from(statement.all(...parameters));
      parentPort.postMessage({ id, integers: values }, [values.buffer]);
    } else {
      parentPort.postMessage({ id, rows: statement.all(...parameters) });
    }
  } catch (error) {
    parentPort.postMessage({
      id,
      error: { message: error instanceof Error ? error.message : String(error), code: error?.code },
    });
  }
});
