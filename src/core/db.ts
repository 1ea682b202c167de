// The one Database type, over either driver: PGlite (embedded, the zero-setup default) or a
// PostgreSQL server through postgres.js. Both run the same Drizzle migrations from schema/.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger as DrizzleLogger } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import * as tables from '../../schema/index.js';
import { DATABASE_FAULT_DEFAULTS, defaultPoolMax, type DatabaseFaultLimits } from '../config.js';
import { lockDataDir } from './data-dir-lock.js';
import { seedFromSnapshot } from './embedded-snapshot.js';
import type { StatementObserver } from './tracing.js';
import { boundedBegin, ConnectionWaitBound, DatabaseUnavailableError } from './db-availability.js';

export type Schema = typeof tables;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type DriverName = 'pglite' | 'postgres';

export interface DbHandle {
  db: Database;
  driver: DriverName;
  /** Statements sent since open; tests use it to prove that loaders keep counts flat. */
  readonly statementCount: number;
  /** The last few statements' SQL text (no parameters), to tell which ones a count includes. */
  readonly recentStatements: readonly string[];
  migrate(): Promise<void>;
  /**
   * Throws unless the database answers within timeoutMs and every migration in
   * schema/migrations is applied.
   */
  checkReady(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
  /**
   * Hears NOTIFY on a channel: onPayload per notification, in commit order; onListen each time
   * the listen is (re)established (after a lost connection notifications may have been missed,
   * so a listener catches up from the table then). Resolves once listening; the result stops it.
   */
  listen(channel: string, onPayload: (payload: string) => void, onListen?: () => void): Promise<() => Promise<void>>;
  /** PGlite only: the whole data directory as a tarball (for test snapshots). */
  dumpDataDir?: () => Promise<Blob>;
  /**
   * PostgreSQL only, for /metrics: the pool's size, the statements and transactions in progress
   * (pipelined statements share a connection, so this may pass `max`), and the statements
   * waiting for a connection.
   */
  poolStats?: () => { max: number; inUse: number; waiting: number };
  /**
   * Tells `observer` of every statement sent outside a transaction and of every transaction (a
   * transaction's own statements are inside its span); undefined stops it. For traces.
   */
  observeStatements(observer: StatementObserver | undefined): void;
}

export interface OpenOptions {
  databaseUrl?: string;
  dataDir?: string;
  poolMax?: number;
  /** PostgreSQL only: plan_cache_mode of the pool's sessions (default force_generic_plan, see below). */
  planCacheMode?: 'force_generic_plan' | 'auto' | 'force_custom_plan';
  /** PostgreSQL only: how long to wait for the server before answering "unavailable" (config.ts). */
  faults?: Partial<DatabaseFaultLimits>;
  /** PGlite only: start from a dumped data directory (tests use a migrated snapshot). */
  loadDataDir?: Blob;
  /** PGlite only: keep everything in memory (tests). */
  memory?: boolean;
}

/** Walks up from this module to the directory holding package.json: works from src/ and dist/src/. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

export const migrationsFolder = () => join(projectRoot(), 'schema', 'migrations');

function journalEntryCount(): number {
  const journal = JSON.parse(readFileSync(join(migrationsFolder(), 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
  return journal.entries.length;
}

// Serializes migrations across processes that share one PostgreSQL server.
const MIGRATION_LOCK_KEY = 7_240_001;

export async function openDatabase(opts: OpenOptions): Promise<DbHandle> {
  let statements = 0;
  const recent: string[] = [];
  const logger: DrizzleLogger = {
    logQuery: (query) => {
      statements++;
      recent.push(query);
      if (recent.length > 50) recent.shift();
    },
  };

  if (opts.databaseUrl) {
    const url = opts.databaseUrl;
    // Prepared statements run their generic plan, made once per connection. PostgreSQL's own
    // choice ('auto') kept re-planning our statements on every execution with the values at hand
    // (planning a lateral json statement costs about what running it does), and those custom
    // plans were the worse ones where it matters: a parent's page of events, whose parent comes
    // from unnest() and so is estimated as an average one, was read by a bitmap scan of all of a
    // busy user's 2,000 events plus a sort (2,044 buffers), where the generic plan walks the
    // (actor, occurred_at, id) index backwards and stops after the page (150 buffers). Measured
    // on the benchmark's logs intent: PostgreSQL CPU 2.87 -> 0.89 ms per request. Our statements
    // are keyed lookups and per-parent pages, whose best plan does not depend on the values.
    const limits = { ...DATABASE_FAULT_DEFAULTS, ...opts.faults };
    const poolMax = opts.poolMax ?? defaultPoolMax();
    const client = postgres(url, {
      max: poolMax,
      onnotice: () => {},
      connect_timeout: limits.connectTimeoutMs / 1000,
      // postgres.js's own back-off grows to 20 s after a few failed connects (the failures of
      // every connection count), so a pool kept waiting that long after the database was back.
      // Capped, with jitter so that several gateways do not reconnect in step.
      backoff: (retries: number) => (Math.min(limits.reconnectDelayMaxMs, 50 * 2 ** retries) * (0.5 + Math.random() / 2)) / 1000,
      connection: {
        application_name: 'identity-graph-gateway',
        plan_cache_mode: opts.planCacheMode ?? 'force_generic_plan',
        // Server-side bounds, sent at connect: a statement that runs too long is cancelled
        // (57014), and a session left idle inside a transaction (its client gone, a request
        // stuck) is ended so that its locks do not stall the writes of the next requests.
        statement_timeout: limits.statementTimeoutMs,
        idle_in_transaction_session_timeout: limits.idleInTransactionTimeoutMs,
      },
    });
    const waitBound = new ConnectionWaitBound(limits.connectionWaitMs);
    let transactions = 0;
    const endTransaction = () => void transactions--;
    // Drizzle sends unnamed statements, which PostgreSQL parses and plans on every call; with
    // prepare: true postgres.js names each statement text once per connection and reuses it
    // (the texts are a bounded set: fixed queries whose IN-lists vary only in length).
    // Every statement's wait for a connection is bounded (core/db-availability.ts), and so is a
    // transaction's.
    const unsafe = client.unsafe.bind(client);
    const begin = client.begin.bind(client) as (body: (tx: unknown) => Promise<unknown>) => Promise<unknown>;
    const prepared = Object.assign(Object.create(client), {
      unsafe: (query: string, params?: unknown[], options?: Record<string, unknown>) => waitBound.track(unsafe(query, params as never, { ...options, prepare: true })),
      begin: (a: unknown, b?: unknown) => {
        // begin(options, body) or begin(body); Drizzle calls the latter.
        const body = (typeof a === 'function' ? a : b) as (tx: unknown) => Promise<unknown>;
        const run = typeof a === 'function' ? begin : (fn: (tx: unknown) => Promise<unknown>) => (client.begin as (o: unknown, f: unknown) => Promise<unknown>)(a, fn);
        transactions++;
        const end = waitBound.observer?.('transaction', '');
        const done = boundedBegin(run, body, limits.connectionWaitMs);
        done.then(
          () => (endTransaction(), end?.()),
          (err: unknown) => (endTransaction(), end?.(err ?? true)),
        );
        return done;
      },
    }) as typeof client;
    const db = drizzlePostgres(prepared, { schema: tables, logger }) as unknown as Database;
    return {
      db,
      driver: 'postgres',
      get statementCount() {
        return statements;
      },
      recentStatements: recent,
      async migrate() {
        // A single-connection client holds the advisory lock for the whole run, so two
        // gateways starting together do not apply the same migration twice.
        const one = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: limits.connectTimeoutMs / 1000 });
        try {
          await one`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
          await migratePostgres(drizzlePostgres(one), { migrationsFolder: migrationsFolder() });
          await one`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
        } finally {
          await one.end({ timeout: 5 });
        }
      },
      checkReady: (timeoutMs) => checkReady(db, timeoutMs),
      close: () => client.end({ timeout: 5 }),
      // postgres.js keeps one dedicated connection for every listen of the client, reconnects it
      // when it is lost and calls onlisten again.
      async listen(channel, onPayload, onListen) {
        const { unlisten } = await client.listen(channel, onPayload, onListen);
        return unlisten;
      },
      poolStats: () => ({ max: poolMax, inUse: waitBound.inFlight + transactions, waiting: waitBound.unsentCount }),
      observeStatements: (observer) => void (waitBound.observer = observer),
    };
  }

  // Loaded only when used: a gateway on PostgreSQL never needs the WebAssembly build (~130 ms of
  // its start-up, a few MB resident).
  const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  const dataDir = opts.loadDataDir || opts.memory ? undefined : resolve(opts.dataDir ?? './data');
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // One process at a time on a data directory (core/data-dir-lock.ts); taken before PGlite opens it.
  const lock = dataDir ? lockDataDir(dataDir) : undefined;
  // A new data directory starts as a copy of the build's migrated snapshot when there is one
  // (core/embedded-snapshot.ts), not from initdb. Under the lock: no other process is in it.
  if (dataDir && !existsSync(join(dataDir, 'pglite', 'PG_VERSION'))) {
    try {
      seedFromSnapshot(join(dataDir, 'pglite'));
    } catch (err) {
      lock?.release();
      throw err;
    }
  }
  const client = await PGlite.create({
    dataDir: dataDir ? join(dataDir, 'pglite') : undefined,
    loadDataDir: opts.loadDataDir,
    // PostgreSQL's 128 MB of shared buffers live inside PGlite's WebAssembly memory, and every
    // page of them that is touched stays resident. 32 MB holds this gateway's working set for
    // embedded use (one process, its files in the OS cache behind it); measured: ~110 MB less
    // resident after start and after a load of 2,000 reads (open time unchanged).
    startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'],
  }).catch((err: unknown) => {
    lock?.release();
    throw err;
  });
  const db = drizzlePglite(client, { schema: tables, logger }) as unknown as Database;
  // Statements and transactions through the observer (traces), when one is set.
  let observer: StatementObserver | undefined;
  const observed = <A extends unknown[], R>(kind: 'statement' | 'transaction', fn: (...args: A) => Promise<R>, textOf: (...args: A) => string) =>
    (...args: A): Promise<R> => {
      const end = observer?.(kind, textOf(...args));
      if (!end) return fn(...args);
      return fn(...args).then(
        (r) => (end(), r),
        (err: unknown) => {
          end(err ?? true);
          throw err;
        },
      );
    };
  const c = client as unknown as Record<'query' | 'exec' | 'transaction', (...args: unknown[]) => Promise<unknown>>;
  c.query = observed('statement', c.query.bind(client), (text) => String(text));
  c.exec = observed('statement', c.exec.bind(client), (text) => String(text));
  c.transaction = observed('transaction', c.transaction.bind(client), () => '');
  return {
    observeStatements: (o) => void (observer = o),
    db,
    driver: 'pglite',
    get statementCount() {
      return statements;
    },
    recentStatements: recent,
    migrate: () => migratePglite(drizzlePglite(client), { migrationsFolder: migrationsFolder() }),
    checkReady: (timeoutMs) => checkReady(db, timeoutMs),
    close: () => client.close().finally(() => lock?.release()),
    // In process: PGlite delivers a committed transaction's notifications to its own listeners.
    async listen(channel, onPayload, onListen) {
      const stop = await client.listen(channel, onPayload);
      onListen?.();
      return () => stop();
    },
    dumpDataDir: () => client.dumpDataDir('gzip'),
  };
}

async function checkReady(db: Database, timeoutMs?: number): Promise<void> {
  const read = db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  let timer: NodeJS.Timeout | undefined;
  const result =
    timeoutMs === undefined
      ? await read
      : await Promise.race([
          read.finally(() => clearTimeout(timer)),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new DatabaseUnavailableError(`No answer within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
  const [row] = rowsOf<{ n: number }>(result);
  const applied = Number(row!.n);
  const expected = journalEntryCount();
  if (applied < expected) throw new Error(`${expected - applied} migration(s) not applied`);
}

// ---- one request's handle ----

const baseOf = new WeakMap<Database, Database>();

/**
 * A handle for one request's loaders: the same database (it inherits every method and runs on
 * the same pool), with an identity of its own, so that what belongs to one request can be keyed
 * by it (core/json-rows.ts coalesces that request's json reads). Prepared queries stay keyed by
 * the shared handle.
 */
export function requestHandle(db: Database): Database {
  const handle = Object.create(db) as Database;
  baseOf.set(handle, baseOf.get(db) ?? db);
  return handle;
}

/** A uuid[] parameter that both drivers bind the same way (one statement text for any count). */
/** PostgreSQL's text form of a uuid[] (ids are uuids: no quoting needed), bound as one parameter. */
export const uuidArrayLiteral = (ids: readonly string[]) => `{${ids.join(',')}}`;
export const sqlUuidArray = (ids: readonly string[]) => sql`${uuidArrayLiteral(ids)}::uuid[]`;

/** Rows of a db.execute() result: postgres.js returns an array, PGlite an object with rows. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

// Hot reads as Drizzle prepared queries: the SQL text and the result mapping are built once per
// database handle instead of on every request (building a select cost ~0.15 ms of CPU, a
// fifth of a small request). Parameters are sql.placeholder()s, given at execute().
// Keyed by the handle: a transaction is its own handle, so a query prepared for one never runs
// outside it (and dies with it).
const preparedByDb = new WeakMap<object, Map<string, unknown>>();

export function prepared<T>(db: Database, name: string, build: (db: Database) => T): T {
  db = baseOf.get(db) ?? db;
  let byName = preparedByDb.get(db);
  if (!byName) preparedByDb.set(db, (byName = new Map()));
  let q = byName.get(name) as T | undefined;
  if (q === undefined) byName.set(name, (q = build(db)));
  return q;
}
