// HTTP: /graphql on Apollo Server (through its fastify integration), the self-hosted GraphiQL,
// health and readiness probes. Fastify is chosen for its routing, body limits, JSON Schema
// validation (the REST dialects need it), pino logging with request ids, and inject() in tests.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled, ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import { fastifyApolloHandler } from '@as-integrations/fastify';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { GraphQLError, type DocumentNode } from 'graphql';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { DbHandle } from './core/db.js';
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS, unavailableReason } from './core/db-availability.js';
import { drainRefusedBody } from './core/refused-body.js';
import { DomainError, ERROR_CODES } from './core/errors.js';
import { errorLoggingPlugin, formatError, unavailablePlugin, withoutSuggestions } from './core/graphql/errors.js';
import { frameworkError, scopePlugin } from './core/graphql/request-rules.js';
import { jitPlugin, QueryJit } from './core/graphql/jit.js';
import { KnownQueries } from './core/graphql/known-queries.js';
import { checkLimits, limitsPlugin, oversizedAnswer } from './core/graphql/limits.js';
import { lazyValidatorBuilder } from './core/lazy-validator.js';
import { rateLimitPlugin } from './core/rate-limit/graphql.js';
import { writeBudgetHeaders } from './core/rate-limit/headers.js';
import { bearerToken, createContext, type AppDeps, type Context } from './context.js';
import { GRAPHIQL_CSP, graphiqlHtml, registerGraphiqlAssets, wantsGraphiql } from './graphiql.js';
import { credentialCacheOf, revocationListener } from './modules/auth/credential-cache.js';
import type { NotificationFeed } from './core/events/feed.js';
import { serveSubscriptions } from './core/graphql/subscriptions.js';
import { registerDocs } from './docs.js';
import { registerRest, type DialectAt } from './rest/index.js';
import { probeLogLevel, registerObservability } from './observability.js';
import { buildSchema } from './schema.js';

export const GRAPHQL_PATH = '/graphql';

declare module 'fastify' {
  interface FastifyInstance {
    /** The compiled-query cache, for its stats (tests). */
    queryJit: QueryJit;
    /** The queries /graphql answers without Apollo's pipeline, for its stats (tests). */
    knownQueries: KnownQueries;
  }
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * GraphQL over HTTP: a client that accepts `application/graphql-response+json` gets errors the
 * framework answers (a malformed body, one too large) in that media type too, as Apollo's own.
 */
function errorType(request: FastifyRequest): string {
  const graphqlResponse = request.url.startsWith(GRAPHQL_PATH) && /application\/graphql-response\+json/i.test(request.headers.accept ?? '');
  return graphqlResponse ? 'application/graphql-response+json; charset=utf-8' : 'application/json; charset=utf-8';
}

function errorBody(request: FastifyRequest, code: string, message: string) {
  // GraphQL callers get GraphQL's error shape; other paths get a flat one.
  return request.url.startsWith(GRAPHQL_PATH) ? { errors: [{ message, extensions: { code } }] } : { code, message, requestId: request.id };
}

export interface ServerOptions {
  config: Config;
  database: DbHandle;
  deps: AppDeps;
  logger: Logger;
  /** The event log's notices (gateway.ts): revocations heard from any process. Absent: none. */
  feed?: NotificationFeed;
}

export async function createServer({ config, database, deps, logger, feed }: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    // pino's Logger and fastify's logger type differ only in generics.
    loggerInstance: logger as unknown as FastifyBaseLogger,
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // Idle keep-alive sockets close at shutdown; in-flight requests finish first.
    forceCloseConnections: 'idle',
    // Long path parameters reach the route (and its dialect's 400) instead of the router's bare
    // 414; Node's 16 KiB header limit still bounds the request line.
    routerOptions: { maxParamLength: 16_384 },
    return503OnClosing: true,
    // Deadlines for slow and idle clients (config.ts has the defaults and why). Unset, fastify
    // gives no deadline for a request's body: one byte every few seconds held a request open
    // for good. Node checks the header and request deadlines every connectionsCheckingInterval,
    // so it is a fraction of the shorter one (the cut comes at most that late).
    requestTimeout: config.http.requestTimeoutMs,
    keepAliveTimeout: config.http.keepAliveTimeoutMs,
    connectionTimeout: config.http.connectionTimeoutMs,
    http: {
      requestTimeout: config.http.requestTimeoutMs,
      headersTimeout: config.http.headersTimeoutMs,
      connectionsCheckingInterval: checkingInterval(config.http.requestTimeoutMs, config.http.headersTimeoutMs),
    },
    // Route schemas compile on first use, not at start (core/lazy-validator.ts).
    schemaController: { compilersFactory: { buildValidator: lazyValidatorBuilder() } },
    // A path that is no valid URL (bad percent-encoding, e.g. a lone surrogate's bytes) names no
    // route: 404 in the shape of the surface it was meant for, not fastify's own body.
    frameworkErrors: (_error, request: FastifyRequest, reply: FastifyReply) => {
      const dialect = dialectAt(request.url.split('?')[0]!);
      const notFound = { code: 'NOT_FOUND', message: ERROR_CODES.NOT_FOUND.message, status: 404 };
      if (!dialect) return reply.code(404).send(errorBody(request, notFound.code, notFound.message));
      const { status, body } = dialect.error(notFound);
      return reply.code(status).type('application/json; charset=utf-8').send(body);
    },
  });
  // Set once the REST dialects are mounted (below).
  let dialectAt: DialectAt = () => undefined;

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    // Every answer: never sniffed into another media type, and no Referer leaves with a link
    // (URLs may carry a private_token or a page of private data).
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
  });
  const ops = await registerObservability(app, { config, database, deps, graphqlPath: GRAPHQL_PATH });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isDatabaseUnavailable(error)) return serviceUnavailable(request, reply, unavailableReason(error));
    const shown = frameworkError(error, { bodyLimit: config.bodyLimit });
    if (shown?.code === 'PAYLOAD_TOO_LARGE') drainRefusedBody(request.raw, reply, config.bodyLimit);
    if (shown) return reply.code(shown.status).type(errorType(request)).send(errorBody(request, shown.code, shown.message));
    request.log.error({ err: error }, 'unexpected error');
    return reply.code(500).type(errorType(request)).send(errorBody(request, 'INTERNAL_SERVER_ERROR', ERROR_CODES.INTERNAL_SERVER_ERROR.message));
  });

  app.setNotFoundHandler((request, reply) => {
    ops.unmatched(request, 404, reply.elapsedTime);
    return reply.code(404).send(errorBody(request, 'NOT_FOUND', `No route for ${request.method} ${request.url.split('?')[0]}`));
  });

  const schema = await buildSchema();
  const jit = new QueryJit(schema, { compileAfter: config.jitCompileAfter });
  app.decorate('queryJit', jit);
  const known = new KnownQueries(schema, config.limits, jit);
  app.decorate('knownQueries', known);
  // An operation's cost for the budgets (at least 1: a request whose variables do not coerce
  // costs 0 to the limits); null when the limits refuse it, uncharged (checkLimits caches both).
  const costOf = (document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown>) => {
    const { error, cost } = checkLimits(schema, config.limits, document, operationName, variables);
    return error ? null : Math.max(1, cost);
  };
  const apollo = new ApolloServer<Context>({
    schema,
    introspection: config.introspection,
    csrfPrevention: true,
    // A document over the token bound is refused while it is parsed, before validation runs.
    parseOptions: { maxTokens: config.limits.maxTokens },
    includeStacktraceInErrorResponses: false,
    // main.ts owns shutdown (drain HTTP, then close the database); Apollo's own handler
    // would stop the server and re-raise the signal, killing the process mid-drain.
    stopOnTerminationSignals: false,
    // With introspection off, error messages do not suggest names either.
    formatError: config.introspection ? formatError : (formatted, error) => withoutSuggestions(formatError(formatted, error)),
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // No HTTP cache hints are served, and Apollo's cache-control plugin wraps every field
      // resolver to compute them: disabled, it saves a call per field (measured in the bench).
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginUsageReportingDisabled(), errorLoggingPlugin(logger), unavailablePlugin(logger), limitsPlugin(schema, config.limits), rateLimitPlugin(deps.rateLimits, costOf), scopePlugin(), credentialCachePlugin(deps),
      ...ops.apolloPlugins,
      jitPlugin(jit, {
        answered: (text, requestedName, document, operationName) => known.remember(text, requestedName, document, operationName),
        skip: (ctx) => known.triedCompiled(ctx),
      }),
    ],
  });
  await apollo.start();
  // fastify.close() stops accepting and waits for in-flight requests; Apollo stops after that.
  // (Apollo's fastify drain plugin is not used: it calls fastify.close() itself, a cycle.)
  app.addHook('onClose', async () => apollo.stop());

  // async: bearerToken throws on a malformed header, and that must reject, not throw.
  const contextOf = async (request: FastifyRequest) =>
    createContext(deps, { requestId: request.id, ip: request.ip ?? null, userAgent: request.headers['user-agent'] ?? null }, bearerToken(request.headers.authorization));
  // The context a request built on the known-query lane before falling through to Apollo.
  const laneContexts = new WeakMap<FastifyRequest, Context>();
  const graphql = fastifyApolloHandler(apollo, {
    context: async (request: FastifyRequest) => {
      try {
        return laneContexts.get(request) ?? (await contextOf(request));
      } catch (err) {
        if (err instanceof DomainError) {
          throw new GraphQLError(err.message, { extensions: { code: err.code, http: { status: err.status, headers: wwwAuthenticate(err) } } });
        }
        if (isDatabaseUnavailable(err)) {
          request.log.warn({ reason: unavailableReason(err) }, 'database unavailable');
          throw new GraphQLError(ERROR_CODES.SERVICE_UNAVAILABLE.message, {
            extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503, headers: new HeaderMap([['retry-after', String(RETRY_AFTER_SECONDS)]]) } },
          });
        }
        // Failed before Apollo's request pipeline, so its error-logging plugin never sees it.
        request.log.error({ err }, 'could not build the request context');
        throw err;
      }
    },
  });

  app.route({
    method: ['GET', 'POST'],
    url: GRAPHQL_PATH,
    // Answers carry tokens (login, personal tokens) and private data: no cache keeps them, errors included.
    onRequest: async (_request, reply) => {
      reply.header('cache-control', 'no-store');
    },
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      if (request.method === 'GET' && config.graphiql && wantsGraphiql(request.headers.accept, request.query)) {
        return reply.type('text/html; charset=utf-8').header('content-security-policy', GRAPHIQL_CSP).send(graphiqlHtml());
      }
      // A query Apollo answered before, from compiled code, is answered the same way without
      // its pipeline (core/graphql/known-queries.ts); anything else, or any failure, is Apollo's.
      const startedAt = performance.now();
      const match = known.match(request);
      if (match) {
        const ctx = await contextOf(request).catch(() => undefined);
        if (ctx) {
          // Charged before it runs; over budget, it falls through and Apollo answers the 429.
          const admit = (cost: number) => (ctx.budget = deps.rateLimits.charge(ctx.principal, ctx.ip, cost) ?? undefined)?.allowed !== false;
          const answer = await known.answer(match, ctx, admit).catch(() => null);
          if (answer) {
            ops.answeredOperation('query', match.known.operationName, startedAt);
            if (ctx.budget) writeBudgetHeaders(ctx.budget, 'standard', (k, v) => reply.header(k, v));
            return reply.code(200).type(answer.contentType).send(answer.body);
          }
          laneContexts.set(request, ctx);
        }
      }
      let body = await graphql.call(app, request, reply);
      known.learnContentType(request, reply);
      // An answer over the response bound is refused, not sent (core/graphql/limits.ts).
      const refusal = typeof body === 'string' ? oversizedAnswer(body, config.limits) : undefined;
      if (refusal) {
        reply.code(400);
        body = refusal;
      }
      return legacyJsonStatus(reply, body);
    },
  });
  if (config.graphiql) registerGraphiqlAssets(app);

  const rest = registerRest(app, { schema, jit, deps, logger });
  dialectAt = rest.dialectAt;
  registerDocs(app, rest.names);

  // Subscriptions over WebSocket on the same path (core/graphql/subscriptions.ts); closed first at
  // shutdown (1001: clients resume elsewhere from their cursor).
  const subscriptions = serveSubscriptions(app, { path: GRAPHQL_PATH, schema, deps, logger });
  app.addHook('preClose', async () => subscriptions.close());
  // A credential revoked through any gateway: cached principals go, open sockets are checked again.
  if (feed) {
    const stop = await feed.subscribe(
      revocationListener(() => {
        credentialCacheOf(deps.db, config.tokenCacheTtlMs).clear();
        void subscriptions.recheck().catch((err) => logger.warn({ err }, 'subscription credential recheck failed'));
      }),
    );
    app.addHook('onClose', async () => stop());
  }

  // Probes log their requests at debug (observability.ts).
  const probe = { logLevel: probeLogLevel(config.logLevel) as 'debug' };
  app.get('/healthz', probe, async () => ({ status: 'ok' }));
  // Answers within READY_TIMEOUT_MS whatever the database does: a probe that hangs with the
  // database tells the orchestrator nothing, and piles up.
  app.get('/readyz', probe, async (request, reply) => {
    try {
      await database.checkReady(config.readyTimeoutMs);
      return { status: 'ready' };
    } catch (err) {
      request.log.warn({ reason: unavailableReason(err) ?? (err instanceof Error ? err.message : String(err)) }, 'not ready');
      return reply.code(503).header('retry-after', String(RETRY_AFTER_SECONDS)).send({ status: 'unavailable' });
    }
  });

  return app;
}

/** How often Node looks for requests past their header or body deadline. */
const checkingInterval = (...timeouts: number[]) => Math.max(50, Math.min(1_000, ...timeouts.filter((t) => t > 0).map((t) => Math.floor(t / 4))));

/** The database is away: 503 with Retry-After, in the shape of the path's surface. */
function serviceUnavailable(request: FastifyRequest, reply: FastifyReply, reason: string | null) {
  request.log.warn({ reason }, 'database unavailable');
  return reply
    .code(503)
    .header('retry-after', String(RETRY_AFTER_SECONDS))
    .type(errorType(request))
    .send(errorBody(request, 'SERVICE_UNAVAILABLE', ERROR_CODES.SERVICE_UNAVAILABLE.message));
}

function wwwAuthenticate(err: DomainError): HeaderMap | undefined {
  if (err.code !== 'UNAUTHENTICATED') return undefined;
  return new HeaderMap([['www-authenticate', 'Bearer error="invalid_token"']]);
}

/**
 * After any mutation, forgets the cached token principals (see credential-cache.ts): blocking or
 * deleting a user, or changing their admin flag, then shows on their very next request.
 */
function credentialCachePlugin(deps: AppDeps): import('@apollo/server').ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation }) {
          if (operation?.operation === 'mutation') credentialCacheOf(deps.db, deps.config.tokenCacheTtlMs).clear();
        },
      };
    },
  };
}

// Errors of a well-formed GraphQL request: the document does not parse or validate, the
// variables do not coerce, or the operation name matches nothing.
const REQUEST_ERROR_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'OPERATION_RESOLUTION_FAILURE', 'QUERY_TOO_DEEP', 'QUERY_TOO_COMPLEX']);

/**
 * GraphQL over HTTP: with `application/json` responses (the legacy media type), request errors
 * SHOULD come with 200 so old clients read the body; `application/graphql-response+json` keeps
 * Apollo's 400. Decided on the content type Apollo negotiated, so both agree.
 */
function legacyJsonStatus(reply: FastifyReply, body: unknown): unknown {
  if (reply.statusCode !== 400 || typeof body !== 'string') return body;
  if (!String(reply.getHeader('content-type') ?? '').startsWith('application/json')) return body;
  try {
    const parsed = JSON.parse(body) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
    if (parsed.data === undefined && parsed.errors?.length && parsed.errors.every((e) => REQUEST_ERROR_CODES.has(String(e.extensions?.code)))) reply.code(200);
  } catch {
    // Not a GraphQL response body: leave it as it is.
  }
  return body;
}
