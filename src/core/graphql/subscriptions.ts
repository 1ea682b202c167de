// GraphQL subscriptions over WebSocket (the graphql-ws protocol, what GraphiQL and Apollo
// clients speak) on the /graphql path, beside the HTTP entrance. Only subscriptions are served
// here: queries and mutations go over HTTP, where budgets and the known-query lane apply.
//
// - The caller is authenticated once, in connection_init: `{"Authorization": "Bearer <token>"}`
//   (the same credentials as HTTP). No or a bad credential: the socket closes 4403 (graphql-ws's
//   "Forbidden"). The credential is checked again when an event names the caller's user as
//   blocked, deleted or signed out everywhere, and every RECHECK_MS: once refused, the socket
//   closes 4401 ("Unauthorized: the credential was revoked").
// - Each operation passes the same depth, alias and cost limits as on HTTP before it runs.
// - Bounds: subscriptions per connection (MAX_PER_CONNECTION), per user in the process
//   (modules/logs/event-log.live.ts), queued events per subscription (a slow consumer is
//   disconnected with 1008), the socket's unsent bytes, and the message size (BODY_LIMIT).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { GraphQLError, getOperationAST, parse, validate, type DocumentNode, type ExecutionResult, type FormattedExecutionResult, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { bearerToken, createContext, type AppDeps, type RequestMeta } from '../../context.js';
import type { Principal } from '../auth/principal.js';
import { DomainError } from '../errors.js';
import { formatError } from './errors.js';
import { checkLimits } from './limits.js';
import { publicError } from './request-rules.js';

export const MAX_PER_CONNECTION = 20;
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** Unsent bytes a socket may hold before its reader counts as too slow. */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const RECHECK_MS = 60_000;
const SLOW_SOCKET = { code: 1008, reason: 'Slow consumer: the socket does not drain' } as const;
export const REVOKED = { code: 4401, reason: 'Unauthorized: the credential was revoked' } as const;

interface Connection {
  token: string;
  principal: Principal;
  /** The upgrade request's id, address and agent, for every context of the connection. */
  meta: RequestMeta;
}

interface Extra extends Record<PropertyKey, unknown> {
  socket: WebSocket;
  request: IncomingMessage;
  connection?: Connection;
}

/** Errors as /graphql shows them (formatError: codes kept, anything unexpected masked and logged). */
function masked(result: ExecutionResult, logger: Logger): FormattedExecutionResult {
  const errors = result.errors?.map((e) => {
    if (!publicError(e)) logger.error({ err: e.originalError ?? e, path: e.path }, 'unexpected error in a subscription');
    return formatError(e.toJSON(), e);
  });
  return { ...(result.data !== undefined ? { data: result.data } : {}), ...(errors ? { errors } : {}) };
}

export interface SubscriptionServer {
  /** Checks every open connection's credential again now (a revocation was heard). */
  recheck(userId?: string): Promise<void>;
  close(): Promise<void>;
}

export function serveSubscriptions(
  app: FastifyInstance,
  opts: { path: string; schema: GraphQLSchema; deps: AppDeps; logger: Logger },
): SubscriptionServer {
  const { schema, deps, logger } = opts;
  const wss = new WebSocketServer({ noServer: true, maxPayload: deps.config.bodyLimit });
  const connections = new Map<WebSocket, Connection>();

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== opts.path) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };
  app.server.on('upgrade', onUpgrade);

  // The upgrade's request id when it is a safe token (as HTTP requests' are, server.ts), else a new one.
  const metaOf = (extra: Extra): RequestMeta => {
    const given = extra.request.headers['x-request-id'];
    return {
      requestId: typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID(),
      ip: extra.request.socket.remoteAddress ?? null,
      userAgent: extra.request.headers['user-agent'] ?? null,
    };
  };

  const credentialOk = async (c: Connection): Promise<boolean> => {
    try {
      const ctx = await createContext(deps, c.meta, c.token);
      return ctx.principal.kind === 'user';
    } catch (err) {
      if (err instanceof DomainError) return false;
      throw err;
    }
  };

  useServer<Record<string, unknown>, Extra>(
    {
      schema,
      connectionInitWaitTimeout: 10_000,
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const raw = params.Authorization ?? params.authorization;
        let token: string | undefined;
        try {
          token = typeof raw === 'string' ? bearerToken(raw) : undefined;
        } catch {
          return false;
        }
        if (!token) return false;
        try {
          const meta = metaOf(ctx.extra);
          const c = await createContext(deps, meta, token);
          if (c.principal.kind !== 'user') return false;
          ctx.extra.connection = { token, principal: c.principal, meta };
          connections.set(ctx.extra.socket, ctx.extra.connection);
          return true;
        } catch (err) {
          if (err instanceof DomainError) return false;
          throw err;
        }
      },
      onSubscribe: (ctx, _id, payload) => {
        let document: DocumentNode;
        try {
          document = parse(payload.query, { maxTokens: deps.config.limits.maxTokens });
        } catch (err) {
          return [err instanceof GraphQLError ? err : new GraphQLError('Syntax error')];
        }
        const errors = validate(schema, document);
        if (errors.length) return errors;
        const op = getOperationAST(document, payload.operationName);
        if (!op) return [new GraphQLError('Name the operation to run', { extensions: { code: 'BAD_USER_INPUT' } })];
        if (op.operation !== 'subscription') return [new GraphQLError('Only subscriptions are served over WebSocket: send queries and mutations over HTTP', { extensions: { code: 'BAD_REQUEST' } })];
        const limits = checkLimits(schema, deps.config.limits, document, payload.operationName ?? undefined, payload.variables ?? {});
        if (limits.error) return [limits.error];
        // graphql-ws lists the operation being subscribed among the connection's own already.
        if (Object.keys(ctx.subscriptions).length > MAX_PER_CONNECTION) return [new GraphQLError(`At most ${MAX_PER_CONNECTION} subscriptions per connection`, { extensions: { code: 'RATE_LIMITED' } })];
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          // No contextValue: graphql-ws then asks `context` below, once per operation.
        };
      },
      context: async (ctx) => {
        const c = ctx.extra.connection!;
        const context = await createContext(deps, c.meta, c.token);
        context.live = { disconnect: (code, reason) => ctx.extra.socket.close(code, reason) };
        return context;
      },
      onNext: (ctx, _id, _payload, _args, result) => {
        // graphql-ws waits for each send; the socket's own buffer still grows under a reader
        // that stalls at the TCP level: bounded too.
        if (ctx.extra.socket.bufferedAmount > MAX_BUFFERED_BYTES) ctx.extra.socket.close(SLOW_SOCKET.code, SLOW_SOCKET.reason);
        // Also the one result of a subscription refused when it starts (bad cursor, over a limit).
        return result.errors ? masked(result, logger) : undefined;
      },
      onClose: (ctx) => {
        connections.delete(ctx.extra.socket);
      },
      onError: (_ctx, _id, _payload, errors) => {
        logger.debug({ errors: errors.map((e) => e.message) }, 'subscription refused');
      },
    },
    wss,
  );

  const recheck = async (userId?: string) => {
    await Promise.all(
      [...connections].map(async ([socket, c]) => {
        if (userId && c.principal.kind === 'user' && c.principal.userId !== userId) return;
        // A database that does not answer now is no revocation: the next check decides.
        const ok = await credentialOk(c).catch(() => true);
        if (!ok) socket.close(REVOKED.code, REVOKED.reason);
      }),
    );
  };
  const timer = setInterval(() => void recheck().catch((err) => logger.warn({ err }, 'subscription credential recheck failed')), RECHECK_MS);
  timer.unref();

  return {
    recheck,
    async close() {
      clearInterval(timer);
      app.server.off('upgrade', onUpgrade);
      // 1001 Going Away: clients reconnect (to another gateway) and resume from their cursor.
      for (const socket of wss.clients) socket.close(1001, 'Server shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
