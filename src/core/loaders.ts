// Helpers that turn one batched query into DataLoader answers in key order.
import DataLoader from 'dataloader';
import type { PageRequest } from './graphql/connection.js';

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

/**
 * One loader per distinct argument set (page size, filters), each batching over parent keys.
 * `keyOf` names an argument set; the default prints it whole, once per parent of a page.
 */
export function loaderFamily<A, K, V>(make: (args: A) => DataLoader<K, V>, keyOf: (args: A) => string = JSON.stringify): (args: A) => DataLoader<K, V> {
  const family = new Map<string, DataLoader<K, V>>();
  return (args: A) => {
    const key = keyOf(args);
    let loader = family.get(key);
    if (!loader) {
      loader = make(args);
      family.set(key, loader);
    }
    return loader;
  };
}

/** A page request as part of a loader family's key. */
export const pageKey = (page: PageRequest): string => `${page.direction}:${page.size}:${page.cursor ? JSON.stringify(page.cursor) : ''}`;
