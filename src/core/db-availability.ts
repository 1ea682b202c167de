// When the database is away: which errors mean "unavailable" (answered 503 SERVICE_UNAVAILABLE
// with Retry-After, never 500 or a hang), and the bound on how long a statement or a transaction
// may wait for a pool connection. postgres.js queues what it cannot send without any bound: with
// every connection down or reconnecting, statements piled up behind the reconnects and requests
// stalled for as long as the outage lasted.

/**
 * Retry-After of a 503 SERVICE_UNAVAILABLE: the pool retries the database at most
 * DATABASE_RECONNECT_DELAY_MAX_MS apart, so a retry a second later meets it as soon as it is back.
 */
export const RETRY_AFTER_SECONDS = 1;

/** A statement or transaction that did not get a connection within the bound. */
export class DatabaseUnavailableError extends Error {
  readonly code = 'DATABASE_UNAVAILABLE';
  constructor(message = 'The database did not answer in time') {
    super(message);
    this.name = 'DatabaseUnavailableError';
  }
}

// postgres.js's own connection errors and the socket errors it passes on. Not its
// CONNECTION_ENDED and CONNECTION_DESTROYED: those say this process closed its own pool (a bug
// or a shutdown), not that the database went away, and stay internal errors.
const CONNECTION_CODES = new Set([
  'DATABASE_UNAVAILABLE',
  'CONNECTION_CLOSED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

// SQLSTATEs of a server that is going away, starting, full, or out of time for a statement:
// class 08 (connection exception), admin/crash shutdown and "cannot connect now" (57P01-57P03),
// too many connections (53300), statement_timeout (57014), idle-in-transaction timeout (25P03).
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1-3]|53300|57014|25P03)$/;

/**
 * The code saying the database is away, found on err or an error it wraps as `cause` (as Drizzle
 * does), or null. Logs name this code, never the wrapping error: Drizzle's message holds the
 * statement's parameters.
 */
export function unavailableReason(err: unknown): string | null {
  let e: unknown = err;
  for (let i = 0; i < 6 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (CONNECTION_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

export const isDatabaseUnavailable = (err: unknown): boolean => unavailableReason(err) !== null;

/** What the bound needs of a postgres.js query: its dispatch hook, and whether it was sent. */
interface PendingQuery {
  handler: (q: PendingQuery) => void;
  /** postgres.js sets it when the statement is written to a connection. */
  state: unknown;
  cancel(): unknown;
  resolve(value: unknown): void;
  reject(err: unknown): void;
  /** The statement's text (unsafe() queries hold one string). */
  strings?: readonly string[];
}

/**
 * Bounds the wait of postgres.js statements for a connection. A statement the pool sends at once
 * (the normal case: an open or pipelining connection takes it) costs one property check and the
 * two wrappers that count it in flight (inFlight, for /metrics); one it
 * has to queue is remembered, and if still unsent after `waitMs` it is rejected with
 * DatabaseUnavailableError and cancelled (taken out of the pool's queue: it never runs later).
 */
export class ConnectionWaitBound {
  private waiting: { q: PendingQuery; since: number }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private poolHandler: ((q: PendingQuery) => void) | undefined;
  /** Statements handed to the pool and not settled yet (the metrics' pool "in use"). */
  inFlight = 0;
  /** Told of each statement as it is handed to the pool; its result is called when it settles (traces). */
  observer: ((kind: 'statement' | 'transaction', text: string) => (error?: unknown) => void) | undefined;
  private readonly dispatch = (q: PendingQuery) => {
    this.inFlight++;
    const { resolve, reject } = q;
    const end = this.observer?.('statement', q.strings?.[0] ?? '');
    let settled = false;
    const settle = (error?: unknown) => {
      if (settled) return;
      settled = true;
      this.inFlight--;
      end?.(error);
    };
    q.resolve = (x) => (settle(), resolve(x));
    q.reject = (x) => (settle(x ?? true), reject(x));
    this.poolHandler!(q);
    if (q.state === null) this.remember(q);
  };

  constructor(private readonly waitMs: number) {}

  /** Routes one query's dispatch through the bound (before it is awaited). */
  track<Q>(query: Q): Q {
    const q = query as unknown as PendingQuery;
    this.poolHandler ??= q.handler;
    q.handler = this.dispatch;
    return query;
  }

  /** Statements still unsent (remembered ones that got a connection since are not counted). */
  get unsentCount(): number {
    let n = 0;
    for (const w of this.waiting) if (w.q.state === null) n++;
    return n;
  }

  /** Statements waiting for a connection now (tests, diagnostics). */
  get waitingCount(): number {
    return this.waiting.length;
  }

  private remember(q: PendingQuery) {
    this.waiting.push({ q, since: performance.now() });
    // A sweep a fraction of the bound apart: a statement is refused at most a quarter late.
    this.timer ??= setInterval(() => this.sweep(), Math.max(10, Math.floor(this.waitMs / 4))).unref();
  }

  private sweep() {
    const now = performance.now();
    const still: typeof this.waiting = [];
    for (const w of this.waiting) {
      if (w.q.state !== null) continue; // sent (or settled by a failed connect: postgres.js left it unsent)
      if (now - w.since < this.waitMs) {
        still.push(w);
        continue;
      }
      // Rejected first, so the caller sees why; cancel() then removes it from the pool's queue
      // (its own rejection is a no-op on a settled query).
      w.q.reject(new DatabaseUnavailableError(`No database connection within ${this.waitMs} ms`));
      w.q.cancel();
    }
    this.waiting = still;
    if (still.length === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}

/**
 * Bounds a transaction's wait for its connection. postgres.js's begin() queues its BEGIN
 * internally, out of reach of ConnectionWaitBound: past `waitMs` the caller gets
 * DatabaseUnavailableError, and if the connection comes later the body is not run (the
 * transaction rolls back), so a write the caller was told failed is never made afterwards.
 */
export function boundedBegin<T>(begin: (body: (tx: unknown) => Promise<T>) => Promise<T>, body: (tx: unknown) => Promise<T>, waitMs: number): Promise<T> {
  let started = false;
  let abandoned = false;
  let timer: NodeJS.Timeout | undefined;
  const run = begin((tx) => {
    if (abandoned) return Promise.reject(new DatabaseUnavailableError());
    started = true;
    clearTimeout(timer);
    return body(tx);
  });
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      if (started) return;
      abandoned = true;
      reject(new DatabaseUnavailableError(`No database connection for a transaction within ${waitMs} ms`));
    }, waitMs);
  });
  // Settled either way, so the one that loses the race is never an unhandled rejection.
  run.then(
    () => clearTimeout(timer),
    () => clearTimeout(timer),
  );
  return Promise.race([run, deadline]);
}
