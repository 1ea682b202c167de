// Live event log: the eventLogAdded subscription's source. One per process. New events reach it
// through the notification feed (core/events/feed.ts: a NOTIFY per event-log row, sent by a
// trigger in the writing transaction, so only committed events arrive, from every process on the
// database); each batch is read with one statement and offered to every open subscription, which
// keeps those its subscriber may see (the same rule as the eventLogs list, eventVisibleTo) and
// that match its filter.
//
// A subscription that names a cursor first replays the events after it from the table (oldest
// first), then goes live. The seam has no gap and no duplicate: the subscription joins the live
// feed BEFORE it reads the table, keeps live events aside while replaying, and then passes on
// only those the replay did not already give. After a lost LISTEN connection the feed asks for a
// resync and every subscription replays from its last cursor the same way.
//
// Bounds: open subscriptions per principal (a user, across their connections in this process);
// queued events per subscription — a consumer that does not keep up is ended (onOverflow), not
// buffered without bound. Ordering is the list's: (occurred_at, id), where occurred_at is the
// writing transaction's start; a transaction that commits after a later-started one is still
// delivered live (once), but a replay from a cursor past it would not include it. Cursors are
// the subscription's high-water mark, so a resume never repeats an event.
import type { Database } from '../../core/db.js';
import type { NotificationFeed, FeedListener } from '../../core/events/feed.js';
import { tenantScopeOf, type TenantScope } from '../../core/auth/tenant.js';
import type { Principal } from '../../core/auth/principal.js';
import { decodeCursor, encodeCursor } from '../../core/graphql/connection.js';
import { DomainError, RateLimitedError } from '../../core/errors.js';
import { isUuid } from '../../core/validation.js';
import { adminOrganizationIdsOf, eventMatches, eventVisibleTo, findEventLogsByIds, listEventLogs, type EventLogFilter, type EventLogWithKey } from './event-log.repo.js';
import type { EventLogRow } from './log.repo.js';

/** The channel every event-log row is announced on, by a trigger (migration 0011). */
export const EVENT_LOG_CHANNEL = 'igw_event_log';

/** A notice of the channel: `<id> <action>`. */
export function parseEventNotice(payload: string): { id: string; action: string } {
  const space = payload.indexOf(' ');
  return space < 0 ? { id: payload, action: '' } : { id: payload.slice(0, space), action: payload.slice(space + 1) };
}

export interface LiveEvent {
  cursor: string;
  row: EventLogRow;
}

export interface LiveLimits {
  /** Open subscriptions per user in this process. */
  perPrincipal: number;
  /** Events queued for one subscription before it is ended as a slow consumer. */
  queuedEvents: number;
}

/** Actions after which who administers what may have changed: admin sets are read again. */
const ROLE_CHANGING = /^(membership|organization|user\.(block|delete|update))\./;
const REPLAY_PAGE = 100;
/** occurred_at::text: `2026-12-07 08:40:11.123456+00`. */
const EVENT_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?([+-]\d{2}(:\d{2})?)?$/;

/** A time PostgreSQL would take as occurred_at::text gives it: a real calendar date and time of day. */
function isEventTime(s: string): boolean {
  const m = EVENT_TIME.exec(s);
  if (!m) return false;
  const [y, mo, d, h, mi, se] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1 && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d && h < 24 && mi < 60 && se < 60;
}

/**
 * Whether keyset position a comes after b: occurred_at as PostgreSQL prints it (one session time
 * zone, trailing zeros dropped: its text sorts as its time), then the uuid (PostgreSQL compares
 * uuids as their hex text does).
 */
const isAfter = (a: readonly [string, string], b: readonly [string, string]) => a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);

/** One open subscription: a bounded queue read by an async iterator. */
class LiveSubscription implements AsyncIterableIterator<LiveEvent> {
  private readonly queue: LiveEvent[] = [];
  private waiting: ((r: IteratorResult<LiveEvent>) => void) | null = null;
  private failed: Error | null = null;
  done = false;
  /** While replaying: live events set aside, and the ids the replay gave (the seam). */
  held: EventLogWithKey[] | null = null;
  /** Ids delivered recently, to skip an event a resync replays again. */
  private readonly recent = new Set<string>();
  /**
   * The furthest position delivered (or asked for with `after`): every event's cursor is this
   * high-water mark, so resuming from any cursor never replays what was already delivered, even
   * when transactions committed out of their start order.
   */
  private highWater: [string, string] | null;
  get cursor(): string | null {
    return this.highWater ? encodeCursor(this.highWater) : null;
  }
  adminOrganizationIds: Set<string> = new Set();

  constructor(
    readonly principal: Principal,
    readonly scope: TenantScope,
    readonly filter: EventLogFilter,
    after: string | null,
    private readonly maxQueued: number,
    private readonly onEnd: (s: LiveSubscription) => void,
    readonly onOverflow: () => void,
  ) {
    this.highWater = after ? (decodeCursor(after) as [string, string]) : null;
  }

  /** Queues an event the subscriber may see; false when the queue is full. */
  offer(e: EventLogWithKey): boolean {
    if (this.done || this.recent.has(e.event.id)) return true;
    if (!eventVisibleTo(e.event, this.scope, this.adminOrganizationIds) || !eventMatches(e.event, this.filter)) return true;
    this.remember(e.event.id);
    const position: [string, string] = [e.key, e.event.id];
    if (!this.highWater || isAfter(position, this.highWater)) this.highWater = position;
    const live: LiveEvent = { cursor: this.cursor!, row: e.event };
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      w({ value: live, done: false });
      return true;
    }
    if (this.queue.length >= this.maxQueued) return false;
    this.queue.push(live);
    return true;
  }

  private remember(id: string) {
    this.recent.add(id);
    // Bounded: a resync replays from the last cursor, so only the last few ids can repeat.
    if (this.recent.size > 2 * REPLAY_PAGE) this.recent.delete(this.recent.values().next().value!);
  }

  fail(err: Error) {
    this.failed = err;
    this.finish();
  }

  next(): Promise<IteratorResult<LiveEvent>> {
    const value = this.queue.shift();
    if (value) return Promise.resolve({ value, done: false });
    if (this.failed) {
      const err = this.failed;
      this.failed = null;
      return Promise.reject(err);
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<LiveEvent>> {
    this.queue.length = 0;
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(err: unknown): Promise<IteratorResult<LiveEvent>> {
    this.finish();
    return Promise.reject(err);
  }

  private finish() {
    if (this.done) return;
    this.done = true;
    this.onEnd(this);
    const w = this.waiting;
    this.waiting = null;
    if (w) {
      if (this.failed) {
        const err = this.failed;
        this.failed = null;
        // A pending next() learns of the failure.
        (w as unknown as (r: Promise<never>) => void)(Promise.reject(err));
      } else w({ value: undefined, done: true });
    }
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}

export class EventLogStream implements FeedListener {
  private readonly subscriptions = new Set<LiveSubscription>();
  private readonly perUser = new Map<string, number>();
  private unsubscribe: (() => void) | null = null;
  /** Batches are handled one after the other, so each subscription sees events in commit order. */
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Database,
    private readonly feed: NotificationFeed,
    private readonly limits: LiveLimits,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  get openCount(): number {
    return this.subscriptions.size;
  }

  /**
   * Opens a subscription: events the principal may see, matching the filter, from after `after`
   * (a cursor of eventLogs or of this subscription; null: from now on). `onOverflow` is called
   * when the subscriber does not keep up; the caller disconnects it.
   */
  async open(principal: Principal, filter: EventLogFilter, after: string | null, onOverflow: () => void = () => {}): Promise<AsyncIterableIterator<LiveEvent>> {
    const scope = tenantScopeOf(principal);
    if (!scope || principal.kind !== 'user') throw new DomainError('UNAUTHENTICATED');
    if (after !== null) {
      const c = decodeCursor(after);
      // An event cursor is [occurred_at as PostgreSQL prints it, uuid]: anything else is refused
      // here, never handed to the database to refuse.
      if (c.length !== 2 || typeof c[0] !== 'string' || !isEventTime(c[0]) || typeof c[1] !== 'string' || !isUuid(c[1])) {
        throw new DomainError('BAD_USER_INPUT', 'Invalid cursor');
      }
    }
    const open = this.perUser.get(principal.userId) ?? 0;
    if (open >= this.limits.perPrincipal) throw new RateLimitedError(1, `At most ${this.limits.perPrincipal} open subscriptions per user`);
    this.perUser.set(principal.userId, open + 1);
    const sub = new LiveSubscription(principal, scope, filter, after, this.limits.queuedEvents, (s) => this.closed(s), onOverflow);
    try {
      if (!scope.all) sub.adminOrganizationIds = await adminOrganizationIdsOf(this.db, scope);
      // Join the feed first: whatever commits from here on reaches the subscription (held aside
      // until the replay is done when there is one).
      sub.held = after !== null ? [] : null;
      this.subscriptions.add(sub);
      this.unsubscribe ??= await this.feed.subscribe(this);
      if (after !== null) await this.replay(sub);
    } catch (err) {
      sub.fail(err as Error);
      throw err;
    }
    return sub;
  }

  /** Replays the table after the subscription's cursor, then releases the live events held meanwhile. */
  private async replay(sub: LiveSubscription): Promise<void> {
    sub.held ??= [];
    const given = new Set<string>();
    for (;;) {
      const page = { direction: 'backward' as const, size: REPLAY_PAGE, cursor: sub.cursor ? decodeCursor(sub.cursor) : null };
      const rows = await listEventLogs(this.db, sub.scope, sub.filter, page);
      const pageRows = rows.slice(0, REPLAY_PAGE);
      for (const r of pageRows) {
        given.add(r.event.id);
        if (!this.deliver(sub, r)) return;
      }
      if (rows.length <= REPLAY_PAGE || sub.done) break;
    }
    const held = sub.held;
    sub.held = null;
    for (const r of held) if (!given.has(r.event.id) && !this.deliver(sub, r)) return;
  }

  private deliver(sub: LiveSubscription, e: EventLogWithKey): boolean {
    if (sub.offer(e)) return true;
    sub.fail(new RateLimitedError(1, 'The subscriber does not keep up with its events'));
    sub.onOverflow();
    return false;
  }

  private closed(sub: LiveSubscription) {
    if (!this.subscriptions.delete(sub)) return;
    const userId = (sub.principal as Extract<Principal, { kind: 'user' }>).userId;
    const n = (this.perUser.get(userId) ?? 1) - 1;
    if (n > 0) this.perUser.set(userId, n);
    else this.perUser.delete(userId);
  }

  onPayloads(payloads: readonly string[]): void {
    if (!this.subscriptions.size) return;
    const ids = payloads.map((p) => parseEventNotice(p).id);
    this.chain = this.chain.then(() => this.dispatch(ids)).catch(this.onError);
  }

  private async dispatch(ids: readonly string[]): Promise<void> {
    if (!this.subscriptions.size) return;
    const rows = await findEventLogsByIds(this.db, ids);
    for (const r of rows) {
      if (ROLE_CHANGING.test(r.event.action)) await this.refreshAdminSets(r.event);
      for (const sub of [...this.subscriptions]) {
        if (sub.held) sub.held.push(r);
        else this.deliver(sub, r);
      }
    }
  }

  /**
   * Reads again the admin sets an event may have changed: an organization's (its tree moved, it
   * was made or deleted: everyone's), or a membership or user change (that user's).
   */
  private async refreshAdminSets(e: EventLogRow) {
    const everyone = e.action.startsWith('organization.');
    await Promise.all(
      [...this.subscriptions].map(async (s) => {
        if (s.scope.all || (!everyone && s.scope.userId !== e.user2Id)) return;
        s.adminOrganizationIds = await adminOrganizationIdsOf(this.db, s.scope);
      }),
    );
  }

  onResync(): void {
    this.chain = this.chain
      .then(() => Promise.all([...this.subscriptions].filter((s) => !s.done && !s.held).map((s) => this.replay(s))))
      .then(() => {})
      .catch(this.onError);
  }

  /** Ends every subscription (shutdown). */
  close(): void {
    for (const s of [...this.subscriptions]) void s.return();
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}
