// One page of a list without sorting the whole list. A listing's page in date order is the slice
// of ranks [offset, offset + limit) among its matches' places in the date order: partitioning
// around the slice's two ends (quickselect, linear on average) and sorting the slice alone costs
// a fraction of sorting thousands of places for the twenty shown.

/**
 * Reorders `values` so that `values[from..to)` hold, in ascending order, the values that a full
 * ascending sort would put there. The values must be distinct.
 * @example const a = Uint32Array.of(9, 1, 7, 3, 5); selectRange(a, 1, 3); a.subarray(1, 3) // [3, 5]
 */
export function selectRange(values: Uint32Array, from: number, to: number): void {
  const start = Math.max(0, from);
  const end = Math.min(values.length, to);
  if (end - start <= 0) return;
  partitionAround(values, start, 0, values.length - 1);
  partitionAround(values, end - 1, start, values.length - 1);
  values.subarray(start, end).sort();
}

/** Hoare's quickselect: afterwards `values[k]` is in its sorted place, smaller values before it, larger after. */
function partitionAround(values: Uint32Array, k: number, low: number, high: number): void {
  let left = low;
  let right = high;
  while (right > left) {
    // The median of three as the pivot: sorted or reversed input stays linear.
    const middle = (left + right) >>> 1;
    const a = values[left] as number;
    const b = values[middle] as number;
    const c = values[right] as number;
    const pivot = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    let i = left;
    let j = right;
    while (i <= j) {
      while ((values[i] as number) < pivot) i += 1;
      while ((values[j] as number) > pivot) j -= 1;
      if (i <= j) {
        const swap = values[i] as number;
        values[i] = values[j] as number;
        values[j] = swap;
        i += 1;
        j -= 1;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}
