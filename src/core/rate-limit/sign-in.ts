// The sign-in throttle: attempts per account (the user an identifier names, so a username and
// an email of one user share it; an unknown identifier by a hash of its normalised form) and
// per client address, in fixed windows. An attempt is counted before its password is checked,
// so concurrent guesses cannot pass the limit together, and one over the limit is refused
// without checking the password at all: the right password during a lockout gets exactly the
// answer a wrong one gets. A sign-in forgets its account's attempts and gives its address the
// attempt back. The lock lifts by itself when the window that reached the limit ends; that is
// logged by the first attempt after it, or by the sweep that deletes the ended window's count.
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

/** A lock that lifted by itself, as the sweep found it. */
export interface LiftedLock {
  scope: ThrottleScope;
  /** The account's user id (null: an identifier that names nobody). */
  userId: string | null;
  /** The client address (address scope). */
  ip: string | null;
  lockedUntil: Date;
}

const USER_ID = /^account:([0-9a-f-]{36})$/;

export class SignInThrottle {
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: CounterStore,
    readonly limits: SignInLimits,
  ) {}

  private maxOf = (key: string) => (key.startsWith('account:') ? this.limits.maxPerAccount : this.limits.maxPerAddress);

  /**
   * Every window, deletes the counts of ended windows (an identifier spray leaves no rows behind)
   * and reports the locks among them, which lifted by themselves, to `onLifted` (the event log).
   * Processes sweeping together each get their own rows: a row is deleted, and reported, once.
   */
  startSweeping(onLifted: (locks: LiftedLock[]) => Promise<void>, onError: (err: unknown) => void): void {
    this.sweeper = setInterval(() => {
      this.sweep()
        .then((locks) => (locks.length ? onLifted(locks) : undefined))
        .catch(onError);
    }, this.limits.windowMs);
    this.sweeper.unref();
  }

  async sweep(now = Date.now()): Promise<LiftedLock[]> {
    const rows = await this.store.sweepAttempts(now, this.limits.windowMs, this.maxOf);
    return rows.map(({ key, lockedUntil }) => {
      const account = key.startsWith('account:');
      return { scope: account ? 'account' : 'address', userId: account ? (USER_ID.exec(key)?.[1] ?? null) : null, ip: account ? null : key.slice('address:'.length), lockedUntil: new Date(lockedUntil) };
    });
  }

  stop(): void {
    clearInterval(this.sweeper);
  }

  async attempt(keys: SignInKeys, now = Date.now()): Promise<ThrottleVerdict> {
    const all = keys.address ? [keys.account, keys.address] : [keys.account];
    const counts = await this.store.countAttempts(all, now, this.limits.windowMs);
    const verdict: ThrottleVerdict = { allowed: true, retryAfterSeconds: 0, reachedLimit: [], lifted: [] };
    for (const c of counts) {
      const scope: ThrottleScope = c.key === keys.account ? 'account' : 'address';
      const max = this.maxOf(c.key);
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
