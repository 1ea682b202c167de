// What running the gateway as a service adds to its HTTP server, in one place so that server.ts
// stays about requests: CORS, Prometheus metrics, (later) traces and the API docs page.
import type { ApolloServerPlugin } from '@apollo/server';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from './config.js';
import { bearerToken, createContext, type AppDeps, type Context } from './context.js';
import { registerCors } from './core/cors.js';
import type { DbHandle } from './core/db.js';
import { instrumentRoutes, Metrics, operationMetricsPlugin, serveMetrics, type OperationType } from './core/metrics.js';
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
  const unmatched = metrics.routeRecorder('(unmatched)', 'none');
  const observability: Observability = {
    metrics,
    metricsPort: served.port,
    apolloPlugins: [operationMetricsPlugin(metrics) as ApolloServerPlugin<Context>],
    answeredOperation: (type, name, startedAt) => metrics.operation(type, name, 'success', performance.now() - startedAt),
    unmatched: (request, status, elapsedMs) => unmatched(request.method, status, elapsedMs),
  };
  app.decorate('observability', observability);
  return observability;
}
