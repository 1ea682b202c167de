// One process's rate limits: the request budgets (budget.ts) and the sign-in throttle
// (sign-in.ts) over one shared store — Redis when REDIS_URL is set, else the database.
import type { Logger } from 'pino';
import type { Principal } from '../auth/principal.js';
import type { Config } from '../../config.js';
import type { Database } from '../db.js';
import { Budgets, type BudgetState } from './budget.js';
import { PgCounterStore } from './pg-store.js';
import { RedisCounterStore } from './redis-store.js';
import { SignInThrottle } from './sign-in.js';
import type { CounterStore } from './store.js';

export type { BudgetState } from './budget.js';

// A key's unsynced spend that triggers a sync before the timer: a tenth of its budget, so a
// burst in one process is seen by the others after at most that much (budget.ts states the bound).
const EARLY_SYNC_FRACTION = 0.1;

/** Whose budget a request spends, and its size; null when that kind of caller has none. */
export interface BudgetKey {
  key: string;
  limit: number;
  /** What GitLab calls the throttle that applies (its RateLimit-Name header). */
  name: 'throttle_authenticated_api' | 'throttle_unauthenticated_api';
}

export class RateLimits {
  readonly budgets: Budgets;
  readonly signIn: SignInThrottle;

  private constructor(
    readonly store: CounterStore,
    private readonly settings: Config['rateLimits'],
    logger?: Logger,
  ) {
    this.budgets = new Budgets(store, { windowMs: settings.windowMs, syncMs: settings.syncMs, earlyFraction: EARLY_SYNC_FRACTION }, logger).start();
    this.signIn = new SignInThrottle(store, settings.signIn);
  }

  static async open(db: Database, config: Config, logger?: Logger): Promise<RateLimits> {
    const store = config.redisUrl ? await RedisCounterStore.connect(config.redisUrl) : new PgCounterStore(db);
    return new RateLimits(store, config.rateLimits, logger);
  }

  get maxLoginsPerRequest(): number {
    return this.settings.maxLoginsPerRequest;
  }

  /**
   * A personal API token has its own budget; a session (an access token from login) spends its
   * user's; anonymous calls spend their client address's.
   */
  keyOf(principal: Principal, ip: string | null): BudgetKey | null {
    if (principal.kind === 'user') {
      if (this.settings.points === 0) return null;
      const c = principal.credential;
      return { key: c.type === 'personal_access_token' ? `t:${c.tokenId}` : `u:${principal.userId}`, limit: this.settings.points, name: 'throttle_authenticated_api' };
    }
    // An organization's API key has its own budget, like a personal API token.
    if (principal.kind === 'organization') {
      if (this.settings.points === 0) return null;
      return { key: `o:${principal.apiKeyId}`, limit: this.settings.points, name: 'throttle_authenticated_api' };
    }
    if (this.settings.anonymousPoints === 0) return null;
    return { key: `ip:${ip ?? 'unknown'}`, limit: this.settings.anonymousPoints, name: 'throttle_unauthenticated_api' };
  }

  /** Charges a request's cost to its caller's budget; null when the caller has no budget. */
  charge(principal: Principal, ip: string | null, cost: number): (BudgetState & { name: BudgetKey['name'] }) | null {
    const k = this.keyOf(principal, ip);
    if (!k) return null;
    const state = this.budgets.charge(k.key, k.limit, cost) as BudgetState & { name: BudgetKey['name'] };
    state.name = k.name;
    return state;
  }

  /** The caller's budget as it stands, uncharged (answers refused before their cost was known). */
  peek(principal: Principal, ip: string | null): (BudgetState & { name: BudgetKey['name'] }) | null {
    const k = this.keyOf(principal, ip);
    if (!k) return null;
    const state = this.budgets.peek(k.key, k.limit) as BudgetState & { name: BudgetKey['name'] };
    state.name = k.name;
    return state;
  }

  async close(): Promise<void> {
    this.signIn.stop();
    await this.budgets.stop();
    await this.store.close();
  }
}
