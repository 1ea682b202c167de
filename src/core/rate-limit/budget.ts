// Request budgets: every request is charged its operation cost against its caller's budget (a
// personal API token, a signed-in user's session, or the client address of an anonymous call),
// per fixed window, the same budget for /graphql and every REST dialect.
//
// The charge is in memory: a request never waits for a shared counter. Each process adds up its
// own spend per key and syncs the deltas to the shared store (store.ts) every syncMs, sooner
// when a key's unsynced spend passes a fraction of its budget, reading back the total of
// every key it sent, all processes included. A process admits a request only while the
// total it last read plus its own unsynced spend stays within the budget, so one process alone
// never overspends; what others spent since their last sync is what it cannot see. The bound:
// in one window a key's total spend stays within its budget plus, for every other process, what
// that process admitted for it between two of its syncs (at most earlyFraction of the budget
// plus what it admits during one sync's round trip, or one sync interval's spend if that is less).
// A store that fails keeps the deltas for the next sync; requests are then judged on what is known.
import type { Logger } from 'pino';
import type { CounterStore, SpendDelta } from './store.js';

export interface BudgetOptions {
  windowMs: number;
  syncMs: number;
  /** A key whose unsynced spend reaches this fraction of its budget is synced at once. */
  earlyFraction: number;
}

/** The budget as one request sees it, after its charge (or its refusal). */
export interface BudgetState {
  /** Points per window. */
  limit: number;
  /** What this request was charged (0 when refused or not charged). */
  cost: number;
  /** Points left in the window after this request. */
  remaining: number;
  /** Points spent in the window, this request included. */
  used: number;
  /** When the window ends and the budget is whole again (epoch ms). */
  resetAt: number;
  /** False: over budget, the request is refused. */
  allowed: boolean;
}

interface Entry {
  window: number;
  /** The total of every process, as the last sync read it (this process's synced spend included). */
  synced: number;
  /** Spend admitted here and not yet sent. */
  local: number;
  /** Spend sent by the sync under way (moves into `synced` when it answers). */
  sending: number;
}

export class Budgets {
  private readonly entries = new Map<string, Entry>();
  private timer: NodeJS.Timeout | undefined;
  private soon: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  readonly stats = { syncs: 0, failedSyncs: 0 };

  constructor(
    private readonly store: CounterStore,
    private readonly options: BudgetOptions,
    private readonly logger?: Pick<Logger, 'warn'>,
  ) {}

  /** Starts the periodic sync (the timer does not keep the process alive). */
  start(): this {
    this.timer = setInterval(() => void this.sync(), this.options.syncMs);
    this.timer.unref();
    return this;
  }

  /** Charges `cost` to `key` if its budget allows; the state either way. Never waits. */
  charge(key: string, limit: number, cost: number, now = Date.now()): BudgetState {
    const e = this.entryOf(key, now);
    const used = e.synced + e.sending + e.local;
    const resetAt = e.window + this.options.windowMs;
    if (used + cost > limit) return { limit, cost: 0, remaining: Math.max(0, limit - used), used, resetAt, allowed: false };
    e.local += cost;
    if (e.local >= limit * this.options.earlyFraction) this.syncSoon();
    return { limit, cost, remaining: limit - used - cost, used: used + cost, resetAt, allowed: true };
  }

  /** The state of a key without charging it (answers refused before their cost was known: not a budget refusal). */
  peek(key: string, limit: number, now = Date.now()): BudgetState {
    const e = this.entries.get(key);
    const window = now - (now % this.options.windowMs);
    const used = e && e.window === window ? e.synced + e.sending + e.local : 0;
    return { limit, cost: 0, remaining: Math.max(0, limit - used), used, resetAt: window + this.options.windowMs, allowed: true };
  }

  private entryOf(key: string, now: number): Entry {
    const window = now - (now % this.options.windowMs);
    let e = this.entries.get(key);
    if (e?.window === window) return e;
    // A key new to this process (or to this window) learns the others' spend at its first sync
    // (at the latest when its spend here reaches earlyFraction); unsent spend of its previous
    // window is still sent to that window.
    if (e && e.local > 0) this.orphans.push({ window: e.window, key, entry: e });
    this.entries.set(key, (e = { window, synced: 0, local: 0, sending: 0 }));
    return e;
  }

  /** Spend of a window that ended before it was sent. */
  private orphans: { window: number; key: string; entry: Entry }[] = [];

  private syncSoon(): void {
    if (this.soon || this.stopped) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      void this.sync();
    }, 0);
    this.soon.unref();
  }

  /** Sends every unsent delta and reads back the totals; one sync at a time (a second waits for the first). */
  async sync(): Promise<void> {
    while (this.running) await this.running;
    this.running = this.syncOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  private async syncOnce(): Promise<void> {
    const now = Date.now();
    const current = now - (now % this.options.windowMs);
    const byWindow = new Map<number, { deltas: SpendDelta[]; entries: Entry[] }>();
    const add = (window: number, key: string, e: Entry) => {
      let w = byWindow.get(window);
      if (!w) byWindow.set(window, (w = { deltas: [], entries: [] }));
      e.sending += e.local;
      w.deltas.push({ key, delta: e.local });
      w.entries.push(e);
      e.local = 0;
    };
    for (const o of this.orphans.splice(0)) add(o.window, o.key, o.entry);
    for (const [key, e] of this.entries) {
      if (e.window !== current) {
        // Its window is over: what is unsent goes to that window, and the key is forgotten.
        this.entries.delete(key);
        if (e.local > 0) add(e.window, key, e);
        continue;
      }
      // Only keys with spend to send: an idle process sends nothing, and a key that spends
      // nothing here needs no fresher total (it is judged again when it spends).
      if (e.local > 0) add(e.window, key, e);
    }
    if (byWindow.size === 0) return;
    this.stats.syncs++;
    for (const [window, { deltas, entries }] of byWindow) {
      try {
        const totals = await this.store.addSpend(window, this.options.windowMs, deltas);
        deltas.forEach((d, i) => {
          const e = entries[i]!;
          e.sending -= d.delta;
          e.synced = totals.get(d.key) ?? e.synced + d.delta;
        });
      } catch (err) {
        this.stats.failedSyncs++;
        this.logger?.warn({ err }, 'rate-limit budget sync failed; retrying at the next sync');
        deltas.forEach((d, i) => {
          const e = entries[i]!;
          e.sending -= d.delta;
          e.local += d.delta;
          if (e.window !== current && e.local > 0) this.orphans.push({ window: e.window, key: d.key, entry: e });
        });
      }
    }
  }

  /** Stops the timers and sends what is unsent (at shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.soon);
    await this.sync().catch(() => {});
  }
}
