// Configuration: read from the environment once, validated, frozen. A bad value stops the
// start with a message naming the variable (see main.ts), never a half-configured server.
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { isExactOrigin, type CorsSettings } from './core/cors.js';
import { isEmail, isUsername } from './core/validation.js';

/**
 * The postgres.js pool size when DATABASE_POOL_MAX is unset: twice the cores, 2 to 10. More
 * connections busy at once than the database has cores add context switches, not throughput
 * (PostgreSQL's wiki: connections ≈ cores × 2 + spindles). Measured on the benchmark (2 cores,
 * gateway and PostgreSQL on one machine, interleaved rounds; figures in the commit history): 4
 * connections instead of 10 answered the small query and the event log faster, the page query
 * within its noise, the write mix unchanged. This machine's cores stand in for the database's, unknown here: a database on a larger
 * host of its own wants DATABASE_POOL_MAX set to its size.
 */
export const defaultPoolMax = (cores = availableParallelism()): number => Math.min(10, Math.max(2, 2 * cores));

/** How long the gateway waits for PostgreSQL before it answers 503 SERVICE_UNAVAILABLE. */
export interface DatabaseFaultLimits {
  /** Opening a connection (TCP, TLS, start-up, authentication). */
  connectTimeoutMs: number;
  /** A statement waiting for a pool connection (and a transaction for its BEGIN). */
  connectionWaitMs: number;
  /** PostgreSQL's statement_timeout on the pool's sessions (0: none). */
  statementTimeoutMs: number;
  /** PostgreSQL's idle_in_transaction_session_timeout on the pool's sessions (0: none). */
  idleInTransactionTimeoutMs: number;
  /** The longest pause between reconnect attempts while the database is away. */
  reconnectDelayMaxMs: number;
}

/**
 * Defaults: a database that does not answer fails a request within a few seconds rather than
 * holding it (and its client) for the length of the outage; reconnects stay close enough
 * together that the pool is back well within a second of the database.
 */
export const DATABASE_FAULT_DEFAULTS: DatabaseFaultLimits = {
  connectTimeoutMs: 5_000,
  connectionWaitMs: 3_000,
  statementTimeoutMs: 15_000,
  idleInTransactionTimeoutMs: 15_000,
  reconnectDelayMaxMs: 500,
};

const bool = (dflt: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
    .optional()
    .transform((v) => (v === undefined ? dflt : ['true', '1', 'yes'].includes(v)));

const int = (dflt: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return dflt;
      if (!/^\d+$/.test(v)) {
        ctx.addIssue({ code: 'custom', message: 'must be a whole number' });
        return z.NEVER;
      }
      const n = Number(v);
      if (n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be between ${min} and ${max}` });
        return z.NEVER;
      }
      return n;
    });

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : v));

/** The REST dialects (src/rest/index.ts checks that its table names exactly these). */
export const REST_DIALECTS = ['oisp', 'accounts', 'gitlab', 'gitlab-v3', 'seald', 'iyo'] as const;
export type RestDialectName = (typeof REST_DIALECTS)[number];

// REST_MOUNTS: `name=/path` pairs separated by commas; a name given twice is mounted twice;
// `name=off` turns a dialect off; `name=/` (or `name=`) mounts it at the root. Unnamed
// dialects keep their default mounts.
const restMounts = optionalString.transform((v, ctx) => {
  const out: Partial<Record<RestDialectName, string[]>> = {};
  if (v === undefined) return out;
  const taken = new Map<string, string>();
  for (const pair of v.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([a-z0-9-]+)=(.*)$/.exec(pair);
    const name = m?.[1] as RestDialectName | undefined;
    if (!m || !name || !REST_DIALECTS.includes(name)) {
      ctx.addIssue({ code: 'custom', message: `"${pair}" is not <dialect>=<path>; dialects: ${REST_DIALECTS.join(', ')}` });
      continue;
    }
    const raw = m[2]!.trim();
    if (raw === 'off') {
      out[name] = [];
      continue;
    }
    const path = raw === '/' ? '' : raw;
    if (path !== '' && (!/^(\/[A-Za-z0-9._~-]+)+$/.test(path) || path.split('/').some((seg) => seg === '.' || seg === '..'))) {
      ctx.addIssue({ code: 'custom', message: `${name}: "${raw}" must be / or a path like /api/v4 (no trailing slash)` });
      continue;
    }
    // Two dialects on one prefix would declare the same routes.
    const other = taken.get(path);
    if (other !== undefined && other !== name) ctx.addIssue({ code: 'custom', message: `${name} and ${other} cannot share the mount "${raw}"` });
    taken.set(path, name);
    out[name] = [...(out[name] ?? []), path].filter((p, i, all) => all.indexOf(p) === i);
  }
  return out;
});

// CORS_ORIGINS: exact origins separated by commas (core/cors.ts says why no patterns).
const corsOrigins = optionalString.transform((v, ctx) => {
  const origins = (v ?? '').split(',').map((o) => o.trim()).filter(Boolean);
  for (const o of origins) if (!isExactOrigin(o)) ctx.addIssue({ code: 'custom', message: `"${o}" is not an origin like https://app.example.com (scheme, host, optional port; no path or slash)` });
  return [...new Set(origins)];
});

const envSchema = z.object({
  PORT: int(4000, 0, 65535),
  HOST: z.string().min(1).default('localhost'),
  DATABASE_URL: optionalString.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
    message: 'must start with postgres:// or postgresql://',
  }),
  DATABASE_POOL_MAX: int(defaultPoolMax(), 1, 200),
  DATABASE_PLAN_CACHE_MODE: z.enum(['force_generic_plan', 'auto', 'force_custom_plan']).default('force_generic_plan'),
  DATABASE_CONNECT_TIMEOUT_MS: int(DATABASE_FAULT_DEFAULTS.connectTimeoutMs, 100, 600_000),
  DATABASE_CONNECTION_WAIT_MS: int(DATABASE_FAULT_DEFAULTS.connectionWaitMs, 50, 600_000),
  DATABASE_STATEMENT_TIMEOUT_MS: int(DATABASE_FAULT_DEFAULTS.statementTimeoutMs, 0, 86_400_000),
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: int(DATABASE_FAULT_DEFAULTS.idleInTransactionTimeoutMs, 0, 86_400_000),
  DATABASE_RECONNECT_DELAY_MAX_MS: int(DATABASE_FAULT_DEFAULTS.reconnectDelayMaxMs, 10, 60_000),
  READY_TIMEOUT_MS: int(1_000, 50, 60_000),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ADMIN_USERNAME: z
    .string()
    .refine(isUsername, 'must be a valid username')
    .default('admin'),
  ADMIN_EMAIL: z
    .string()
    // The common rule (core/validation.ts) needs no TLD: "admin@localhost" is the documented default.
    .refine(isEmail, 'must be an email address')
    .default('admin@localhost'),
  ADMIN_PASSWORD: optionalString.refine((v) => v === undefined || v.length >= 8, { message: 'must be at least 8 characters' }),
  ADMIN_TOKEN: optionalString
    .refine((v) => v === undefined || (v.length >= 20 && v.length <= 256 && !/\s/.test(v)), {
      message: 'must be 20 to 256 characters without whitespace',
    })
    // Bearer values shaped like a JWT (three dot-separated parts) are verified as JWTs.
    .refine((v) => v === undefined || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(v), { message: 'must not look like a JWT (a.b.c)' }),
  JWT_PRIVATE_KEY: optionalString.refine((v) => v === undefined || v.includes('BEGIN PRIVATE KEY'), {
    message: 'must be an Ed25519 private key in PKCS#8 PEM form',
  }),
  JWT_ISSUER: z.string().min(1).default('identity-graph-gateway'),
  ACCESS_TOKEN_TTL: int(3600, 60, 60 * 60 * 24 * 30),
  BODY_LIMIT: int(1024 * 1024, 1024, 100 * 1024 * 1024),
  // Largest avatar image in bytes (Itsyouonline uploads); larger is 413. Keep it under BODY_LIMIT.
  AVATAR_MAX_BYTES: int(256 * 1024, 1024, 100 * 1024 * 1024),
  TRUST_PROXY: bool(false),
  INTROSPECTION: bool(true),
  GRAPHIQL: bool(true),
  SHUTDOWN_TIMEOUT_MS: int(10_000, 0, 600_000),
  // HTTP deadlines (0: none). A request's headers and body must arrive within
  // REQUEST_TIMEOUT_MS (bodies are at most BODY_LIMIT: a client that cannot send that in 30 s
  // is holding the connection, not using it), its headers within HEADERS_TIMEOUT_MS. An idle
  // keep-alive connection closes after KEEP_ALIVE_TIMEOUT_MS: above the 60 s idle timeout of
  // common load balancers and proxies, so that they close first and never reuse a connection
  // this server is closing (a 502 for an innocent request). CONNECTION_TIMEOUT_MS ends a socket
  // with no traffic either way (a client that stopped reading its answer); it is above every
  // other deadline, so it only meets what those do not.
  REQUEST_TIMEOUT_MS: int(30_000, 0, 3_600_000),
  HEADERS_TIMEOUT_MS: int(10_000, 0, 3_600_000),
  KEEP_ALIVE_TIMEOUT_MS: int(72_000, 0, 3_600_000),
  CONNECTION_TIMEOUT_MS: int(120_000, 0, 3_600_000),
  MAX_QUERY_DEPTH: int(15, 2, 100),
  MAX_QUERY_COST: int(50_000, 10, 10_000_000),
  MAX_ALIASES: int(100, 1, 100_000),
  MAX_QUERY_TOKENS: int(5_000, 100, 1_000_000),
  MAX_RESPONSE_BYTES: int(8 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
  SMTP_URL: optionalString.refine((v) => v === undefined || /^smtps?:\/\/[^\s/]+/.test(v), { message: 'must start with smtp:// or smtps://' }),
  OUTBOX_INTERVAL_MS: int(5_000, 100, 3_600_000),
  TOKEN_CACHE_TTL_MS: int(1_000, 0, 5_000),
  GRAPHQL_JIT_AFTER: int(2, 0, 1_000_000),
  HEAP_GROWING_PERCENT: int(100, 0, 1_000),
  REST_MOUNTS: restMounts,
  REDIS_URL: optionalString.refine((v) => v === undefined || /^rediss?:\/\/[^\s]*$/.test(v), { message: 'must start with redis:// or rediss://' }),
  RATE_LIMIT_WINDOW_S: int(60, 1, 86_400),
  RATE_LIMIT_POINTS: int(1_000_000_000, 0, 2_000_000_000),
  RATE_LIMIT_ANONYMOUS_POINTS: int(10_000_000, 0, 2_000_000_000),
  RATE_LIMIT_SYNC_MS: int(500, 10, 600_000),
  SIGN_IN_WINDOW_S: int(900, 1, 86_400),
  SIGN_IN_MAX_ATTEMPTS: int(50, 1, 1_000_000),
  SIGN_IN_MAX_ATTEMPTS_PER_ADDRESS: int(50, 1, 1_000_000),
  MAX_LOGINS_PER_REQUEST: int(1, 1, 100),
  // Where links in answers point (GitLab web_url and Link, DRF next/previous, portal URLs): an
  // origin only. Unset: from X-Forwarded-Host/Proto when TRUST_PROXY, else this server's own
  // address — never the Host header a client chose.
  PUBLIC_URL: optionalString.refine(isOrigin, { message: 'must be an http:// or https:// origin (scheme, host, optional port; no path, query or credentials)' }),
  // 32 bytes (64 hex digits or base64): seals secrets stored in the database (the JWT signing
  // key) with AES-256-GCM (core/auth/sealed.ts). Unset: they are stored as they are.
  MASTER_KEY: optionalString.refine((v) => v === undefined || masterKeyBytes(v) !== null, { message: 'must be 32 bytes as 64 hex digits or base64' }),
  // How long a contact validation code stays good.
  VALIDATION_CODE_TTL_S: int(3600, 60, 7 * 86_400),
  // The HMAC key of contact validation codes (at least 32 characters). Unset: 32 random bytes
  // generated on the first start and kept in the database (sealed with MASTER_KEY when set).
  VALIDATION_CODE_SECRET: optionalString.refine((v) => v === undefined || v.length >= 32, { message: 'must be at least 32 characters' }),
  // Password policy for sign-up, password change and admin set (core/auth/password-policy.ts).
  PASSWORD_MIN_LENGTH: int(8, 8, 128),
  PASSWORD_REFUSE_COMMON: bool(true),
  SUBSCRIPTIONS_PER_USER: int(100, 1, 100_000),
  OUTBOX_RETRY_BASE_MS: int(10_000, 10, 3_600_000),
  WEBHOOK_DELIVERY: bool(true),
  WEBHOOK_ALLOWED_HOSTS: optionalString.refine((v) => v === undefined || /^[A-Za-z0-9.:*\-\[\], ]*$/.test(v), { message: 'must be a comma-separated list of host names or addresses' }),
  WEBHOOK_DISABLE_AFTER: int(5, 1, 1_000),
  WEBHOOK_TIMEOUT_MS: int(10_000, 100, 120_000),
  SUBSCRIPTION_QUEUE_EVENTS: int(1_000, 1, 1_000_000),
  // Running it as a service (src/core/cors.ts, metrics.ts, tracing.ts).
  CORS_ORIGINS: corsOrigins,
  CORS_MAX_AGE_S: int(600, 0, 86_400),
  METRICS_PORT: int(-1, 0, 65535), // -1: unset (metrics on the main port)
  METRICS_TOKEN: optionalString.refine((v) => v === undefined || (v.length >= 20 && v.length <= 256 && /^[\x21-\x7e]+$/.test(v)), {
    message: 'must be 20 to 256 printable characters without whitespace',
  }),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalString.refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), { message: 'must be an http:// or https:// URL' }),
  OTEL_SERVICE_NAME: z.string().min(1).max(200).default('identity-graph-gateway'),
});

/** An http(s) origin: what PUBLIC_URL may be. */
function isOrigin(v: string | undefined): boolean {
  if (v === undefined) return true;
  // The URL parser drops leading and trailing control characters and spaces: refuse them first.
  if (/[\u0000-\u0020\u007f]/.test(v)) return false;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return false;
  }
  return (u.protocol === 'http:' || u.protocol === 'https:') && u.pathname === '/' && !u.search && !u.hash && !u.username && !u.password && !/[?#]$/.test(v);
}

/** The 32 bytes of a MASTER_KEY value (64 hex digits or base64 of 32 bytes), else null. */
export function masterKeyBytes(v: string): Buffer | null {
  if (/^[0-9a-fA-F]{64}$/.test(v)) return Buffer.from(v, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(v)) {
    const b = Buffer.from(v.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    return b.length === 32 ? b : null;
  }
  return null;
}

export interface Config {
  port: number;
  /** Origin of links in answers (no trailing slash); unset: see PUBLIC_URL. */
  publicUrl?: string;
  /** Seals secrets at rest (AES-256-GCM); unset: stored as they are. */
  masterKey?: Buffer;
  /** Lifetime of contact validation codes. */
  validationCodeTtlMs: number;
  /** HMAC key of validation codes; unset: generated once and kept in the database. */
  validationCodeSecret?: string;
  passwordPolicy: { minLength: number; refuseCommon: boolean };
  host: string;
  databaseUrl?: string;
  databasePoolMax: number;
  /** PostgreSQL's plan_cache_mode for the pool's sessions (db.ts says why generic). */
  databasePlanCacheMode: 'force_generic_plan' | 'auto' | 'force_custom_plan';
  /** When PostgreSQL counts as away (requests get 503 SERVICE_UNAVAILABLE). */
  databaseFaults: DatabaseFaultLimits;
  /** How long /readyz waits for the database before it answers 503. */
  readyTimeoutMs: number;
  dataDir: string;
  logLevel: string;
  admin: { username: string; email: string; password?: string; token?: string };
  jwt: { privateKeyPem?: string; issuer: string; accessTokenTtlSeconds: number };
  bodyLimit: number;
  avatarMaxBytes: number;
  trustProxy: boolean;
  introspection: boolean;
  graphiql: boolean;
  shutdownTimeoutMs: number;
  /**
   * Query limits (core/graphql/limits.ts): depth, cost, aliases, the bytes of an answer, and the
   * tokens of a document (graphql-js's parser stops there, before validation, whose work grows
   * faster than the document).
   */
  limits: { maxDepth: number; maxCost: number; maxAliases: number; maxResponseBytes: number; maxTokens: number };
  /** Deadlines of the HTTP server for slow or idle clients (0: none); see server.ts. */
  http: { requestTimeoutMs: number; headersTimeoutMs: number; keepAliveTimeoutMs: number; connectionTimeoutMs: number };
  /** SMTP server for the outbox worker (may hold credentials); unset: messages stay in the outbox. */
  smtpUrl?: string;
  outboxIntervalMs: number;
  /** How long a checked personal API token is trusted without the database (0: not cached). */
  tokenCacheTtlMs: number;
  /** Queries compile to graphql-jit on their n-th run (0: never; graphql-js runs them). */
  jitCompileAfter: number;
  /** V8's heap growing factor as 1 + n/100 (core/heap.ts); 0: V8's own. */
  heapGrowingPercent: number;
  /** Where REST dialects answer, where configured otherwise than their defaults ([] = off). */
  restMounts: Partial<Record<RestDialectName, string[]>>;
  /** Shared rate-limit counters in Redis (may hold credentials); unset: in the database. */
  redisUrl?: string;
  rateLimits: {
    /** Fixed window of the request budgets. */
    windowMs: number;
    /** Cost points per window for a token or a signed-in session (0: no budget). */
    points: number;
    /** Cost points per window for anonymous calls from one client address (0: no budget). */
    anonymousPoints: number;
    /** How often each process syncs its spend to the shared counters. */
    syncMs: number;
    /** Sign-in throttle: attempts per account and per address per window. */
    signIn: { windowMs: number; maxPerAccount: number; maxPerAddress: number };
    /** `login` fields one request may hold. */
    maxLoginsPerRequest: number;
  };
  /** Base of the outbox's retry backoff: attempt k+1 is due base × (4^k − 1) after queueing. */
  outboxRetryBaseMs: number;
  /** Webhooks (modules/webhooks): delivery on/off in this process, private hosts allowed, when to disable an endpoint. */
  webhooks: { deliver: boolean; allowedHosts: string[]; disableAfter: number; timeoutMs: number };
  /** Live subscriptions (modules/logs/event-log.live.ts): open ones per user and process, events queued per subscription. */
  subscriptions: {
    perPrincipal: number;
    queuedEvents: number;
  };
  /** Browser origins allowed to call with credentials (core/cors.ts). */
  cors: CorsSettings;
  /** /metrics: on its own port without a token when `port` is set, else on the main port behind a token (core/metrics.ts). */
  metrics: { port?: number; token?: string };
  /** OpenTelemetry traces, exported over OTLP/HTTP when an endpoint is set (core/tracing.ts). */
  tracing: { endpoint?: string; serviceName: string };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the configuration; throws ConfigError listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  // Node refuses a header deadline past the request's (which covers the headers too).
  if (e.REQUEST_TIMEOUT_MS > 0 && e.HEADERS_TIMEOUT_MS > e.REQUEST_TIMEOUT_MS) {
    throw new ConfigError([`HEADERS_TIMEOUT_MS: must not exceed REQUEST_TIMEOUT_MS (${e.REQUEST_TIMEOUT_MS})`]);
  }
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    databasePoolMax: e.DATABASE_POOL_MAX,
    databasePlanCacheMode: e.DATABASE_PLAN_CACHE_MODE,
    databaseFaults: {
      connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS,
      connectionWaitMs: e.DATABASE_CONNECTION_WAIT_MS,
      statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
      idleInTransactionTimeoutMs: e.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
      reconnectDelayMaxMs: e.DATABASE_RECONNECT_DELAY_MAX_MS,
    },
    readyTimeoutMs: e.READY_TIMEOUT_MS,
    dataDir: e.DATA_DIR,
    logLevel: e.LOG_LEVEL,
    admin: { username: e.ADMIN_USERNAME, email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD, token: e.ADMIN_TOKEN },
    jwt: { privateKeyPem: e.JWT_PRIVATE_KEY, issuer: e.JWT_ISSUER, accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL },
    bodyLimit: e.BODY_LIMIT,
    avatarMaxBytes: e.AVATAR_MAX_BYTES,
    trustProxy: e.TRUST_PROXY,
    publicUrl: e.PUBLIC_URL === undefined ? undefined : new URL(e.PUBLIC_URL).origin,
    masterKey: e.MASTER_KEY === undefined ? undefined : masterKeyBytes(e.MASTER_KEY)!,
    validationCodeTtlMs: e.VALIDATION_CODE_TTL_S * 1000,
    validationCodeSecret: e.VALIDATION_CODE_SECRET,
    passwordPolicy: { minLength: e.PASSWORD_MIN_LENGTH, refuseCommon: e.PASSWORD_REFUSE_COMMON },
    introspection: e.INTROSPECTION,
    graphiql: e.GRAPHIQL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    limits: { maxDepth: e.MAX_QUERY_DEPTH, maxCost: e.MAX_QUERY_COST, maxAliases: e.MAX_ALIASES, maxResponseBytes: e.MAX_RESPONSE_BYTES, maxTokens: e.MAX_QUERY_TOKENS },
    http: { requestTimeoutMs: e.REQUEST_TIMEOUT_MS, headersTimeoutMs: e.HEADERS_TIMEOUT_MS, keepAliveTimeoutMs: e.KEEP_ALIVE_TIMEOUT_MS, connectionTimeoutMs: e.CONNECTION_TIMEOUT_MS },
    smtpUrl: e.SMTP_URL,
    outboxIntervalMs: e.OUTBOX_INTERVAL_MS,
    tokenCacheTtlMs: e.TOKEN_CACHE_TTL_MS,
    jitCompileAfter: e.GRAPHQL_JIT_AFTER,
    heapGrowingPercent: e.HEAP_GROWING_PERCENT,
    restMounts: e.REST_MOUNTS,
    redisUrl: e.REDIS_URL,
    rateLimits: {
      windowMs: e.RATE_LIMIT_WINDOW_S * 1000,
      points: e.RATE_LIMIT_POINTS,
      anonymousPoints: e.RATE_LIMIT_ANONYMOUS_POINTS,
      syncMs: e.RATE_LIMIT_SYNC_MS,
      signIn: { windowMs: e.SIGN_IN_WINDOW_S * 1000, maxPerAccount: e.SIGN_IN_MAX_ATTEMPTS, maxPerAddress: e.SIGN_IN_MAX_ATTEMPTS_PER_ADDRESS },
      maxLoginsPerRequest: e.MAX_LOGINS_PER_REQUEST,
    },
    subscriptions: { perPrincipal: e.SUBSCRIPTIONS_PER_USER, queuedEvents: e.SUBSCRIPTION_QUEUE_EVENTS },
    outboxRetryBaseMs: e.OUTBOX_RETRY_BASE_MS,
    webhooks: {
      deliver: e.WEBHOOK_DELIVERY,
      allowedHosts: (e.WEBHOOK_ALLOWED_HOSTS ?? '').split(',').map((h) => h.trim().replace(/^\[|\]$/g, '').toLowerCase()).filter(Boolean),
      disableAfter: e.WEBHOOK_DISABLE_AFTER,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
    },
    cors: { origins: e.CORS_ORIGINS, maxAgeSeconds: e.CORS_MAX_AGE_S },
    metrics: { port: e.METRICS_PORT < 0 ? undefined : e.METRICS_PORT, token: e.METRICS_TOKEN },
    tracing: { endpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: e.OTEL_SERVICE_NAME },
  });
}
