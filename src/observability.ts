// What running the gateway as a service adds to its HTTP server, in one place so that server.ts
// stays about requests: CORS, Prometheus metrics, (later) traces and the API docs page.
import type { ApolloServerPlugin } from '@apollo/server';
import type { FastifyInstance, FastifyRequest, onRequestHookHandler, onResponseHookHandler, preHandlerHookHandler } from 'fastify';
import type { Config } from './config.js';
import { bearerToken, createContext, type AppDeps, type Context } from './context.js';
import { registerCors } from './core/cors.js';
import type { DbHandle } from './core/db.js';
import { instrumentRoutes, Metrics, operationMetricsPlugin, serveMetrics, type OperationType } from './core/metrics.js';
import { Tracing, type RequestSpan } from './core/tracing.js';
import { countOutbox } from './modules/outbox/outbox.repo.js';

export const GRAPHQL_DIALECT = 'graphql';

/**
 * The log level of routes that machines call every few seconds (health probes, /metrics, CORS
 * preflights): their request lines show at debug, not info. A route's logLevel replaces the
 * logger's, so it must never be more verbose than LOG_LEVEL: at info it becomes warn (only
 * their failures show); at debug, trace or anything stricter than info it stays as configured.
 */
export const probeLogLevel = (level: string) => (level === 'info' ? 'warn' : level);

export interface Observability {
  metrics: Metrics;
  /** Set when OTEL_EXPORTER_OTLP_ENDPOINT is. */
  tracing?: Tracing;
  /** The separate metrics server's port (METRICS_PORT), once listening. */
  metricsPort(): number | undefined;
  apolloPlugins: ApolloServerPlugin<Context>[];
  /** An operation answered outside Apollo (the known-query lane). */
  answeredOperation(type: OperationType, name: string | undefined, startedAt: number): void;
  /** Counts an answer no route matched (404), which no route's hooks see. */
  unmatched(request: FastifyRequest, status: number, elapsedMs: number): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    observability: Observability;
  }
  interface FastifyRequest {
    /** The request's span, when tracing is on. */
    traceSpan: RequestSpan | null;
    /** Ends the REST route's span, when tracing is on. */
    endRouteSpan: ((error?: boolean) => void) | null;
  }
}

/** A GraphQL request's operation name, for its log lines: the one given, else the document's first. */
function operationNameOf(body: unknown): string | undefined {
  const b = body as { operationName?: unknown; query?: unknown } | undefined;
  if (typeof b?.operationName === 'string') return b.operationName.slice(0, 100);
  if (typeof b?.query !== 'string') return undefined;
  return /^\s*(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]{0,99})/.exec(b.query)?.[1];
}

/** Call first in createServer: route hooks attach to the routes registered after it. */
export async function registerObservability(app: FastifyInstance, opts: { config: Config; database: DbHandle; deps: AppDeps; graphqlPath: string }): Promise<Observability> {
  const { config, database, deps } = opts;
  await registerCors(app, config.cors, probeLogLevel(config.logLevel));
  const metrics = new Metrics({ pool: database.poolStats, outboxBacklog: () => countOutbox(deps.db, { status: 'pending' }) });
  instrumentRoutes(app, metrics, (route) => (route.url === opts.graphqlPath ? GRAPHQL_DIALECT : (route.config?.dialect ?? 'none')));
  const served = serveMetrics(app, metrics, {
    port: config.metrics.port,
    logLevel: probeLogLevel(config.logLevel),
    host: config.host,
    token: config.metrics.token,
    // Who may read the metrics is the policy's call (instance:admin).
    isAdmin: async (request) => {
      const token = bearerToken(request.headers.authorization);
      if (token === undefined) return 'anonymous';
      const ctx = await createContext(deps, { requestId: request.id, ip: request.ip ?? null, userAgent: request.headers['user-agent'] ?? null }, token);
      return (await ctx.authz.can('instance:admin')) ? 'yes' : 'no';
    },
  });
  const tracing = config.tracing.endpoint ? new Tracing({ endpoint: config.tracing.endpoint, serviceName: config.tracing.serviceName }) : undefined;
  if (tracing) traceRequests(app, tracing, database, opts.graphqlPath);
  const unmatched = metrics.routeRecorder('(unmatched)', 'none');
  const observability: Observability = {
    metrics,
    tracing,
    metricsPort: served.port,
    apolloPlugins: [operationMetricsPlugin(metrics) as ApolloServerPlugin<Context>, ...(tracing ? [operationSpanPlugin(tracing)] : [])],
    answeredOperation: (type, name, startedAt) => {
      metrics.operation(type, name, 'success', performance.now() - startedAt);
      // The known-query lane ran it already: its span is made afterwards, with its real start.
      tracing?.child(`${type} ${name ?? ''}`.trim(), { 'graphql.operation.type': type, 'graphql.operation.name': name ?? '' }, performance.timeOrigin + startedAt)();
    },
    unmatched: (request, status, elapsedMs) => unmatched(request.method, status, elapsedMs),
  };
  app.decorate('observability', observability);
  return observability;
}

/**
 * Spans for every route registered from now on: the request (onRequest to onResponse), entered
 * as current before the handler, and a REST route's own span; the trace id (and on /graphql the
 * operation name) in the request's log lines.
 */
function traceRequests(app: FastifyInstance, tracing: Tracing, database: DbHandle, graphqlPath: string): void {
  app.decorateRequest('traceSpan', null);
  app.decorateRequest('endRouteSpan', null);
  database.observeStatements(tracing.statements);
  app.addHook('onClose', async () => {
    database.observeStatements(undefined);
    await tracing.shutdown();
  });
  app.addHook('onRoute', (route) => {
    const dialect = route.url === graphqlPath ? GRAPHQL_DIALECT : route.config?.dialect;
    const attributes: Record<string, string> = dialect ? { 'gateway.dialect': dialect } : {};
    const onRequest: onRequestHookHandler = (request, reply, done) => {
      request.traceSpan = tracing.startRequest(request.headers, request.method, route.url, attributes);
      if (logsInfo(request.log)) request.log = reply.log = request.log.child({ traceId: request.traceSpan.span.spanContext().traceId });
      done();
    };
    const preHandler: preHandlerHookHandler = (request, reply, done) => {
      if (!request.traceSpan) return done();
      if (dialect === GRAPHQL_DIALECT && logsInfo(request.log)) {
        const operationName = operationNameOf(request.body);
        if (operationName) request.log = reply.log = request.log.child({ operationName });
      }
      tracing.enter(request.traceSpan, () => {
        if (dialect && dialect !== GRAPHQL_DIALECT) request.endRouteSpan = tracing.child(`REST ${dialect} ${request.method} ${route.url}`, { 'gateway.dialect': dialect, 'http.route': route.url });
        done();
      });
    };
    const onResponse: onResponseHookHandler = (request, reply, done) => {
      request.endRouteSpan?.(reply.statusCode >= 500);
      if (request.traceSpan) tracing.endRequest(request.traceSpan, reply.statusCode);
      done();
    };
    route.onRequest = [...hooksOf(route.onRequest), onRequest];
    route.preHandler = [...hooksOf(route.preHandler), preHandler];
    route.onResponse = [...hooksOf(route.onResponse), onResponse];
  });
}

/** Whether a request's logger writes info lines (pino's check; fastify's type leaves it out). */
const logsInfo = (log: unknown) => (log as { isLevelEnabled(level: string): boolean }).isLevelEnabled('info');

const hooksOf = <T>(h: T | T[] | undefined): T[] => (h === undefined ? [] : Array.isArray(h) ? h : [h]);

/** The GraphQL operation's span on Apollo's path: from its resolution to its answer. */
function operationSpanPlugin(tracing: Tracing): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      let end: ((error?: boolean) => void) | undefined;
      return {
        async didResolveOperation({ operation, operationName }) {
          if (!operation) return;
          end = tracing.child(`${operation.operation} ${operationName ?? ''}`.trim(), { 'graphql.operation.type': operation.operation, 'graphql.operation.name': operationName ?? '' });
        },
        async willSendResponse({ response }) {
          end?.(response.body.kind === 'single' && (response.body.singleResult.errors?.length ?? 0) > 0);
        },
      };
    },
  };
}
