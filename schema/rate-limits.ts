// Counters shared by every gateway process on one database (when REDIS_URL is unset): the
// request budgets (spend per key and fixed window, synced from each process's in-memory
// accumulator) and the sign-in throttle (attempts per account and per client address).
import { bigint, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { tstz } from './common.js';

export const rateLimitBudgets = pgTable(
  'rate_limit_budgets',
  {
    // `t:<token id>`, `u:<user id>` or `ip:<address>` (core/rate-limit/budget.ts).
    key: text('key').notNull(),
    // Start of the fixed window the spend belongs to; past windows are deleted by the sync.
    windowStart: tstz('window_start').notNull(),
    spent: bigint('spent', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] })],
);

export const signInThrottles = pgTable('sign_in_throttles', {
  // `account:<user id or hash of an unknown login>` or `address:<ip>` (core/rate-limit/sign-in.ts).
  key: text('key').primaryKey(),
  // Attempts since windowStart, counted before the password is checked (so concurrent guesses
  // cannot slip past the limit); a sign-in deletes its account's row and gives the address one back.
  attempts: integer('attempts').notNull(),
  windowStart: tstz('window_start').notNull(),
  // The window this attempt's reset ended (null unless the previous window had passed): its
  // attempts and start, so one statement's RETURNING tells when a lockout has just been lifted.
  previousAttempts: integer('previous_attempts'),
  previousWindowStart: tstz('previous_window_start'),
});
