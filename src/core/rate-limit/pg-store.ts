// The counters in PostgreSQL (or PGlite): one upsert per budget sync, one per sign-in attempt.
// Atomic per row (INSERT … ON CONFLICT DO UPDATE locks the row), so concurrent processes add up.
import { sql } from 'drizzle-orm';
import { rowsOf, type Database } from '../db.js';
import type { AttemptCount, CounterStore, SpendDelta } from './store.js';

// Text arrays as one bound parameter each: one statement text for any number of keys.
const textArray = (values: readonly string[]) => `{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
const numberArray = (values: readonly number[]) => `{${values.map((v) => Math.trunc(v)).join(',')}}`;

export class PgCounterStore implements CounterStore {
  readonly kind = 'postgres' as const;
  /** The window whose predecessors were last deleted: old windows go once per window. */
  private prunedBefore = 0;

  constructor(private readonly db: Database) {}

  async addSpend(windowStart: number, windowMs: number, deltas: readonly SpendDelta[]): Promise<Map<string, number>> {
    const totals = new Map<string, number>();
    if (deltas.length === 0) return totals;
    const rows = rowsOf<{ key: string; spent: string | number }>(
      await this.db.execute(sql`
        insert into rate_limit_budgets as b (key, window_start, spent)
        select k, ${new Date(windowStart).toISOString()}::timestamptz, d
        from unnest(${textArray(deltas.map((d) => d.key))}::text[], ${numberArray(deltas.map((d) => d.delta))}::bigint[]) as u(k, d)
        on conflict (key, window_start) do update set spent = b.spent + excluded.spent
        returning key, spent`),
    );
    for (const r of rows) totals.set(r.key, Number(r.spent));
    if (this.prunedBefore < windowStart) {
      this.prunedBefore = windowStart;
      // Windows before the previous one are read by nobody (a late sync of the previous one may still come).
      await this.db.execute(sql`delete from rate_limit_budgets where window_start < ${new Date(windowStart - windowMs).toISOString()}::timestamptz`);
    }
    return totals;
  }

  async countAttempts(keys: readonly string[], now: number, windowMs: number): Promise<AttemptCount[]> {
    const at = new Date(now).toISOString();
    // Every SET expression reads the row as it was: `expired` is the old window's verdict.
    const rows = rowsOf<{ key: string; attempts: number; window_start: number; previous_attempts: number | null; previous_window_start: number | null }>(
      await this.db.execute(sql`
        insert into sign_in_throttles as t (key, attempts, window_start)
        select k, 1, ${at}::timestamptz from unnest(${textArray(keys)}::text[]) as k
        on conflict (key) do update set
          attempts = case when t.window_start + ${windowMs} * interval '1 millisecond' <= ${at}::timestamptz then 1 else t.attempts + 1 end,
          previous_attempts = case when t.window_start + ${windowMs} * interval '1 millisecond' <= ${at}::timestamptz then t.attempts end,
          previous_window_start = case when t.window_start + ${windowMs} * interval '1 millisecond' <= ${at}::timestamptz then t.window_start end,
          window_start = case when t.window_start + ${windowMs} * interval '1 millisecond' <= ${at}::timestamptz then ${at}::timestamptz else t.window_start end
        returning key, attempts, (extract(epoch from window_start) * 1000)::float8 as window_start,
          previous_attempts, (extract(epoch from previous_window_start) * 1000)::float8 as previous_window_start`),
    );
    return rows.map((r) => ({
      key: r.key,
      attempts: Number(r.attempts),
      windowStart: Number(r.window_start),
      previous: r.previous_attempts === null || r.previous_window_start === null ? null : { attempts: Number(r.previous_attempts), windowStart: Number(r.previous_window_start) },
    }));
  }

  async sweepAttempts(now: number, windowMs: number, lockedAt: (key: string) => number): Promise<{ key: string; lockedUntil: number }[]> {
    const rows = rowsOf<{ key: string; attempts: number; window_start: number }>(
      await this.db.execute(sql`
        delete from sign_in_throttles where window_start + ${windowMs} * interval '1 millisecond' <= ${new Date(now).toISOString()}::timestamptz
        returning key, attempts, (extract(epoch from window_start) * 1000)::float8 as window_start`),
    );
    return rows.filter((r) => Number(r.attempts) >= lockedAt(r.key)).map((r) => ({ key: r.key, lockedUntil: Number(r.window_start) + windowMs }));
  }

  async signedIn(accountKey: string, addressKey: string | null): Promise<void> {
    await this.db.execute(sql`
      with forgotten as (delete from sign_in_throttles where key = ${accountKey})
      update sign_in_throttles set attempts = greatest(attempts - 1, 0) where key = ${addressKey ?? ''}`);
  }

  async close(): Promise<void> {}
}
