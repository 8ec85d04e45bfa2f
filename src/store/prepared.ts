// Hot reads compiled once. Kysely builds and compiles a query again on every call: about 15 µs
// for a short select, as long as SQLite takes to run it. A prepared query is built once per
// handle and shape with placeholders where its values go, then run with each call's values. The
// SQL text stays the same, so the driver's statement cache skips SQLite's own prepare too, and
// the statement still goes through Kysely's executor (its log, hence `observeQueries`, sees it).
import type { Compilable, CompiledQuery } from 'kysely';
import type { Db } from './store.ts';

/** Stands for one value in a query being compiled; replaced by the call's value when run. */
class Placeholder {
  constructor(
    readonly key: string,
    readonly index: number,
  ) {}
}

type Scalar = string | number | bigint | null;
/** A prepared query's values: scalars, or lists of them (an `in (...)` of the list's length). */
export type PreparedValues = Readonly<Record<string, Scalar | readonly Scalar[]>>;

interface Compiled {
  readonly query: CompiledQuery;
  /** Per parameter of `query`: where its value comes from (a placeholder), or the constant itself. */
  readonly slots: readonly (Placeholder | { readonly constant: unknown })[];
}

/** What the compiled text depends on: the values' names and the lengths of the lists. */
function shapeOf(values: PreparedValues): string {
  let shape = '';
  for (const key in values) {
    const value = values[key];
    shape += Array.isArray(value) ? `${key}[${value.length}] ` : `${key} `;
  }
  return shape;
}

/** The same values with a placeholder in place of each scalar (typed as the value it stands for). */
function placeholdersFor<V extends PreparedValues>(values: V): V {
  const out: Record<string, unknown> = {};
  for (const key in values) {
    const value = values[key];
    out[key] = Array.isArray(value) ? value.map((_, index) => new Placeholder(key, index)) : new Placeholder(key, -1);
  }
  // The builder only passes these on to Kysely as values; they are never read as strings or numbers.
  return out as V;
}

export type PreparedQuery<V extends PreparedValues, R> = (db: Db, values: V) => Promise<R[]>;

/** Lists longer than this are compiled at each call, not kept: one compiled text per length. */
const MAX_PREPARED_LIST = 100;

const tooLong = (values: PreparedValues) => {
  for (const key in values) {
    const value = values[key];
    if (Array.isArray(value) && value.length > MAX_PREPARED_LIST) return true;
  }
  return false;
};

/**
 * A query compiled once per handle and shape. `build` must use the values only as query values
 * (never branch on them, except on a list's length, which is part of the shape).
 * @example const byPath = prepared((db, v: { path: string }) => db.selectFrom('documents').selectAll().where('permalink', '=', v.path));
 * await byPath(db, { path: '/about-us' });
 */
export function prepared<V extends PreparedValues, R>(
  build: (db: Db, values: V) => Compilable<R>,
): PreparedQuery<V, R> {
  const byDb = new WeakMap<Db, Map<string, Compiled>>();
  const compile = (db: Db, values: V): Compiled => {
    const query = build(db, placeholdersFor(values)).compile();
    const slots = query.parameters.map((parameter) =>
      parameter instanceof Placeholder ? parameter : { constant: parameter },
    );
    return { query, slots };
  };
  return async (db, values) => {
    if (tooLong(values)) return (await db.executeQuery(build(db, values))).rows;
    let shapes = byDb.get(db);
    if (!shapes) {
      shapes = new Map();
      byDb.set(db, shapes);
    }
    const shape = shapeOf(values);
    let compiled = shapes.get(shape);
    if (!compiled) {
      compiled = compile(db, values);
      shapes.set(shape, compiled);
    }
    const parameters = compiled.slots.map((slot) => {
      if (!(slot instanceof Placeholder)) return slot.constant;
      const value = values[slot.key];
      return slot.index < 0 ? value : (value as readonly Scalar[])[slot.index];
    });
    const result = await db.executeQuery<R>({ ...compiled.query, parameters } as CompiledQuery<R>);
    return result.rows;
  };
}
