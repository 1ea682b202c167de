// The shared counters behind request budgets and the sign-in throttle: one interface, two stores
// (PostgreSQL by default, Redis when REDIS_URL is set), so every gateway process on the same
// database or Redis sees the same totals. Callers never block a request on a budget sync
// (budget.ts batches them); the sign-in throttle pays one call per attempt, next to argon2.

/** Spend to add to one key's window. */
export interface SpendDelta {
  key: string;
  delta: number;
}

/** One key's sign-in attempts after counting the current one. */
export interface AttemptCount {
  key: string;
  /** Attempts in the current window, this one included. */
  attempts: number;
  /** Start of the current window (epoch ms). */
  windowStart: number;
  /** The window this attempt closed, when the previous one had passed: for logging an unlock. */
  previous: { attempts: number; windowStart: number } | null;
}

export interface CounterStore {
  readonly kind: 'postgres' | 'redis';
  /**
   * Adds each delta (0 to only read) to its key's spend in the window starting at windowStart,
   * and returns every given key's total in that window, all processes' spend included.
   */
  addSpend(windowStart: number, windowMs: number, deltas: readonly SpendDelta[]): Promise<Map<string, number>>;
  /** Counts one attempt for each key (a key whose window has passed starts a new one). */
  countAttempts(keys: readonly string[], now: number, windowMs: number): Promise<AttemptCount[]>;
  /**
   * Deletes the attempt counts whose window ended before `now` and returns those that had reached
   * `lockedAt(key)` attempts: their locks lifted by themselves. A store whose keys expire by
   * themselves (Redis) returns none: the next attempt of such a key reports it instead.
   */
  sweepAttempts(now: number, windowMs: number, lockedAt: (key: string) => number): Promise<{ key: string; lockedUntil: number }[]>;
  /** After a sign-in: the account's attempts are forgotten, the address gets its attempt back. */
  signedIn(accountKey: string, addressKey: string | null): Promise<void>;
  close(): Promise<void>;
}
