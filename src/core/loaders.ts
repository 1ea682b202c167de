// Helpers that turn one batched query into DataLoader answers in key order.
import DataLoader from 'dataloader';

/** One row (or null) per key, matched on `keyOf(row)`. */
export function rowLoader<K, R>(load: (keys: readonly K[]) => Promise<R[]>, keyOf: (row: R) => K): DataLoader<K, R | null> {
  return new DataLoader<K, R | null>(async (keys) => {
    const rows = await load(keys);
    const byKey = new Map<K, R>();
    for (const row of rows) byKey.set(keyOf(row), row);
    return keys.map((k) => byKey.get(k) ?? null);
  });
}

/** A list of rows (possibly empty) per key. */
export function listLoader<K, R>(load: (keys: readonly K[]) => Promise<R[]>, keyOf: (row: R) => K): DataLoader<K, R[]> {
  return new DataLoader<K, R[]>(async (keys) => {
    const rows = await load(keys);
    const byKey = new Map<K, R[]>();
    for (const row of rows) {
      const k = keyOf(row);
      const list = byKey.get(k);
      if (list) list.push(row);
      else byKey.set(k, [row]);
    }
    return keys.map((k) => byKey.get(k) ?? []);
  });
}
