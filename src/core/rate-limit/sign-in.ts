// The sign-in throttle: attempts per account (the user an identifier names, so a username and
// an email of one user share it; an unknown identifier by a hash of its normalised form) and
// per client address, in fixed windows. An attempt is counted before its password is checked,
// so concurrent guesses cannot pass the limit together, and one over the limit is refused
// without checking the password at all: the right password during a lockout gets exactly the
// answer a wrong one gets. A sign-in forgets its account's attempts and gives its address the
// attempt back. The lock lifts by itself when the window that reached the limit ends.
import { createHash } from 'node:crypto';
import type { CounterStore } from './store.js';

export interface SignInLimits {
  windowMs: number;
  /** Attempts per account per window; the next one is refused. */
  maxPerAccount: number;
  /** Attempts per client address per window that did not sign in. */
  maxPerAddress: number;
}

export type ThrottleScope = 'account' | 'address';

export interface SignInKeys {
  account: string;
  address: string | null;
}

export interface ThrottleVerdict {
  allowed: boolean;
  /** When refused: seconds until every refusing key's window ends. */
  retryAfterSeconds: number;
  /** Keys that reached their limit with this attempt, should it fail (then they are locked until `until`). */
  reachedLimit: { scope: ThrottleScope; until: Date }[];
  /** Locks that lifted before this attempt (their window had ended): for the logs. */
  lifted: { scope: ThrottleScope; lockedUntil: Date }[];
}

export function signInKeys(userId: string | null, login: string, ip: string | null): SignInKeys {
  const account = userId ? `account:${userId}` : `account:?${createHash('sha256').update(login.trim().toLowerCase()).digest('base64url').slice(0, 32)}`;
  return { account, address: ip ? `address:${ip}` : null };
}

export class SignInThrottle {
  constructor(
    private readonly store: CounterStore,
    readonly limits: SignInLimits,
  ) {}

  async attempt(keys: SignInKeys, now = Date.now()): Promise<ThrottleVerdict> {
    const all = keys.address ? [keys.account, keys.address] : [keys.account];
    const counts = await this.store.countAttempts(all, now, this.limits.windowMs);
    const verdict: ThrottleVerdict = { allowed: true, retryAfterSeconds: 0, reachedLimit: [], lifted: [] };
    for (const c of counts) {
      const scope: ThrottleScope = c.key === keys.account ? 'account' : 'address';
      const max = scope === 'account' ? this.limits.maxPerAccount : this.limits.maxPerAddress;
      const until = c.windowStart + this.limits.windowMs;
      if (c.previous && c.previous.attempts >= max) verdict.lifted.push({ scope, lockedUntil: new Date(c.previous.windowStart + this.limits.windowMs) });
      if (c.attempts > max) {
        verdict.allowed = false;
        verdict.retryAfterSeconds = Math.max(verdict.retryAfterSeconds, Math.ceil((until - now) / 1000));
      } else if (c.attempts === max) {
        verdict.reachedLimit.push({ scope, until: new Date(until) });
      }
    }
    return verdict;
  }

  signedIn(keys: SignInKeys): Promise<void> {
    return this.store.signedIn(keys.account, keys.address);
  }
}
