// What is made from a held object, kept with it. Held rows and records are frozen and stay the
// same object until their document changes (src/listing/held-rows.ts), so markup or metadata made
// from one can be kept in a WeakMap, keyed by it, and goes with it. Anything else the value
// depends on (the catalogue, a heading level) is compared at each use.

export class KeptFor<K extends object, V> {
  private readonly kept = new WeakMap<K, { readonly dependsOn: readonly unknown[]; readonly value: V }>();

  /**
   * The value made for `key` and `dependsOn`, made again when one of those differs. An object
   * that is not frozen may still change: its value is made at every call and never kept.
   * @example rows.get(row, [catalog], () => encoded(renderRow(row, catalog)))
   */
  get(key: K, dependsOn: readonly unknown[], make: () => V): V {
    if (!Object.isFrozen(key)) return make();
    const entry = this.kept.get(key);
    if (entry && entry.dependsOn.length === dependsOn.length && entry.dependsOn.every((d, i) => d === dependsOn[i]))
      return entry.value;
    const value = make();
    this.kept.set(key, { dependsOn, value });
    return value;
  }
}
