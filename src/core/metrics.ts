// Prometheus metrics (prom-client): HTTP requests by route template, dialect and status; GraphQL
// operations by name, type and outcome; their durations; the database pool; the outbox backlog;
// Node's process and event-loop metrics. Served at /metrics on the main port to an instance
// admin or the METRICS_TOKEN bearer, or on METRICS_PORT without a token (a port to keep private).
//
// The per-request cost is a few Map lookups and two increments: each route gets its own
// recorder when it is registered (an onResponse hook that already knows its route, method set
// and dialect), and label children are cached by status, so a request allocates nothing here.
import { createServer, type Server } from 'node:http';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest, onResponseHookHandler, RouteOptions } from 'fastify';
import type { ApolloServerPlugin } from '@apollo/server';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Latency buckets in seconds: from a cached token lookup (~1 ms) to the statement timeout. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Operation names are chosen by callers: past this many distinct ones, new names count as "(other)". */
const MAX_OPERATION_NAMES = 200;
const OPERATION_TYPES = ['query', 'mutation', 'subscription', '(invalid)'] as const;
export type OperationType = (typeof OPERATION_TYPES)[number];
export type OperationOutcome = 'success' | 'error';

export interface MetricsSources {
  /** PostgreSQL pool figures (db.ts); undefined on PGlite. */
  pool?: () => { max: number; inUse: number; waiting: number };
  /** Outbox messages not delivered yet (read at scrape time). */
  outboxBacklog: () => Promise<number>;
}

type Child = { inc(): void };
type Timer = { observe(v: number): void };

export class Metrics {
  readonly registry = new Registry();
  private readonly httpRequests: Counter<'method' | 'route' | 'dialect' | 'status'>;
  private readonly httpDuration: Histogram<'method' | 'route' | 'dialect'>;
  private readonly operations: Counter<'type' | 'name' | 'outcome'>;
  private readonly operationDuration: Histogram<'type' | 'name'>;
  /** By outcome, then type, then name: the label children of one operation. */
  private readonly operationChildren = { success: new Map<string, Map<string, { count: Child; time: Timer }>>(), error: new Map<string, Map<string, { count: Child; time: Timer }>>() };
  private readonly names = new Set<string>();

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.httpRequests = new Counter({ name: 'http_requests_total', help: 'HTTP requests answered, by route template, dialect (graphql, a REST dialect, or none) and status.', labelNames: ['method', 'route', 'dialect', 'status'], registers });
    this.httpDuration = new Histogram({ name: 'http_request_duration_seconds', help: 'Time from a request\'s arrival to its answer, by route template and dialect.', labelNames: ['method', 'route', 'dialect'], buckets: BUCKETS, registers });
    this.operations = new Counter({ name: 'graphql_operations_total', help: 'GraphQL operations on /graphql by type, operation name ("" for anonymous) and outcome (error: the answer holds errors).', labelNames: ['type', 'name', 'outcome'], registers });
    this.operationDuration = new Histogram({ name: 'graphql_operation_duration_seconds', help: 'Time to answer a GraphQL operation on /graphql, by type and name.', labelNames: ['type', 'name'], buckets: BUCKETS, registers });
    const pool = sources.pool;
    if (pool) {
      new Gauge({ name: 'db_pool_max', help: 'PostgreSQL pool size of this process (DATABASE_POOL_MAX).', registers, collect() { this.set(pool().max); } });
      new Gauge({ name: 'db_pool_in_use', help: 'Statements and transactions in progress on the PostgreSQL pool (pipelined statements share a connection).', registers, collect() { this.set(pool().inUse); } });
      new Gauge({ name: 'db_pool_waiting', help: 'Statements waiting for a PostgreSQL pool connection.', registers, collect() { this.set(pool().waiting); } });
    }
    new Gauge({
      name: 'outbox_pending_messages',
      help: 'Outbox messages (email, SMS) not delivered yet.',
      registers,
      async collect() {
        this.set(await sources.outboxBacklog());
      },
    });
  }

  /** A recorder for one route: its answers are counted by method and status, without allocating. */
  routeRecorder(route: string, dialect: string): (method: string, status: number, elapsedMs: number) => void {
    const byMethod = new Map<string, { time: Timer; byStatus: Map<number, Child> }>();
    return (method, status, elapsedMs) => {
      let m = byMethod.get(method);
      if (!m) byMethod.set(method, (m = { time: this.httpDuration.labels(method, route, dialect), byStatus: new Map() }));
      let count = m.byStatus.get(status);
      if (!count) m.byStatus.set(status, (count = this.httpRequests.labels(method, route, dialect, String(status))));
      count.inc();
      m.time.observe(elapsedMs / 1000);
    };
  }

  /** Counts one GraphQL operation answered on /graphql. */
  operation(type: OperationType, name: string | undefined | null, outcome: OperationOutcome, elapsedMs: number): void {
    let label = name ?? '';
    if (!this.names.has(label)) {
      if (this.names.size >= MAX_OPERATION_NAMES) label = '(other)';
      else this.names.add(label);
    }
    const byType = this.operationChildren[outcome];
    let byName = byType.get(type);
    if (!byName) byType.set(type, (byName = new Map()));
    let c = byName.get(label);
    if (!c) byName.set(label, (c = { count: this.operations.labels(type, label, outcome), time: this.operationDuration.labels(type, label) }));
    c.count.inc();
    c.time.observe(elapsedMs / 1000);
  }
}

/** Counts every route's answers: call before any route is registered. */
export function instrumentRoutes(app: FastifyInstance, metrics: Metrics, dialectOf: (route: RouteOptions) => string): void {
  app.addHook('onRoute', (route) => {
    const record = metrics.routeRecorder(route.url, dialectOf(route));
    const hook: onResponseHookHandler = (request, reply, done) => {
      record(request.method, reply.statusCode, reply.elapsedTime);
      done();
    };
    const existing = route.onResponse;
    route.onResponse = existing === undefined ? [hook] : [...(Array.isArray(existing) ? existing : [existing]), hook];
  });
}

/** Apollo's side: each operation it answers, by its type, name and outcome. */
export function operationMetricsPlugin(metrics: Metrics): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ operation, operationName, response }) {
          const errors = response.body.kind === 'single' && (response.body.singleResult.errors?.length ?? 0) > 0;
          metrics.operation(operation ? operation.operation : '(invalid)', operation ? operationName : '', errors ? 'error' : 'success', performance.now() - started);
        },
      };
    },
  };
}

const sha256 = (s: string) => createHash('sha256').update(s).digest();

/**
 * Serves /metrics: on the main port behind a credential (`allowed` decides), or on its own port
 * without one. Returns the separate server's port once listening (tests), else undefined.
 */
export function serveMetrics(
  app: FastifyInstance,
  metrics: Metrics,
  opts: { port?: number; host: string; token?: string; logLevel: string; isAdmin: (request: FastifyRequest) => Promise<'yes' | 'no' | 'anonymous'> },
): { port: () => number | undefined } {
  if (opts.port === undefined) {
    const tokenHash = opts.token === undefined ? undefined : sha256(opts.token);
    app.get('/metrics', { logLevel: opts.logLevel as 'debug' }, async (request: FastifyRequest, reply: FastifyReply) => {
      const given = /^Bearer[ ]+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
      // Compared as hashes: equal lengths, and the time tells nothing of the token.
      const byToken = tokenHash !== undefined && given !== undefined && timingSafeEqual(sha256(given), tokenHash);
      if (!byToken) {
        const who = await opts.isAdmin(request).catch(() => 'anonymous' as const);
        if (who === 'anonymous') return reply.code(401).header('www-authenticate', 'Bearer realm="metrics"').send({ code: 'UNAUTHENTICATED', message: 'Metrics need an instance admin\'s token or METRICS_TOKEN (Bearer)', requestId: request.id });
        if (who === 'no') return reply.code(403).send({ code: 'FORBIDDEN', message: 'Metrics are for instance admins', requestId: request.id });
      }
      return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    });
    return { port: () => undefined };
  }
  let server: Server | undefined;
  app.addHook('onReady', async () => {
    server = createServer((req, res) => {
      if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: GET /metrics\n');
        return;
      }
      metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
        (err: unknown) => {
          app.log.error({ err }, 'metrics scrape failed');
          res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics failed\n');
        },
      );
    });
    await new Promise<void>((resolve, reject) => server!.once('error', reject).listen(opts.port, opts.host, () => resolve()));
  });
  app.addHook('onClose', async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });
  return { port: () => (server?.address() as AddressInfo | null)?.port };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The REST dialect a route belongs to (rest/engine.ts), for metrics and traces. */
    dialect?: string;
  }
}
