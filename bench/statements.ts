// What each SQL statement of a page costs in SQLite itself: preparing it, and running it prepared.
// The site's read functions run against a Kysely handle of our own that records SQL and parameters;
// each recorded statement is then timed with better-sqlite3 directly.
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../src/store/schema.ts';

export interface StatementFigures {
  label: string;
  sql: string;
  plan: string;
  rows: number;
  /** Microseconds per `db.prepare(sql)`, which Kysely's SQLite driver calls on every execution. */
  prepareUs: number;
  /** Microseconds per execution of the already prepared statement. */
  executeUs: number;
}

export async function measureStatements(
  file: string,
  pages: Array<{ label: string; run: (db: Kysely<Database>) => Promise<unknown> }>,
  iterations = 2000,
): Promise<StatementFigures[]> {
  const database = new BetterSqlite3(file, { readonly: true });
  let captured: Array<{ sql: string; parameters: readonly unknown[] }> = [];
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database }),
    log: (event) => {
      if (event.level === 'query') captured.push({ sql: event.query.sql, parameters: event.query.parameters });
    },
  });
  const figures: StatementFigures[] = [];
  try {
    for (const page of pages) {
      captured = [];
      await page.run(db);
      for (const [index, { sql, parameters }] of captured.entries()) {
        const plan = database
          .prepare(`explain query plan ${sql}`)
          .all(...parameters)
          .map((row) => (row as { detail: string }).detail)
          .join('; ');
        const statement = database.prepare(sql);
        const rows = statement.all(...parameters).length;
        let start = process.hrtime.bigint();
        for (let i = 0; i < iterations; i += 1) statement.all(...parameters);
        const executeUs = Number(process.hrtime.bigint() - start) / 1e3 / iterations;
        start = process.hrtime.bigint();
        for (let i = 0; i < iterations; i += 1) database.prepare(sql);
        const prepareUs = Number(process.hrtime.bigint() - start) / 1e3 / iterations;
        figures.push({ label: `${page.label} #${index + 1}`, sql, plan, rows, prepareUs, executeUs });
      }
    }
  } finally {
    await db.destroy();
  }
  return figures;
}
