// The REST compatibility engine: mounts a dialect's route table on fastify. Each route runs
// its GraphQL operation against the same schema and the same per-request context (Principal,
// loaders, authorization) as /graphql; the dialect only says how to read the request and how to
// shape the answer and the errors. Operations are parsed and validated once, at start: a route
// whose operation does not validate stops the start.
import { execute, parse, validate, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import AjvCompiler from '@fastify/ajv-compiler';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { QueryJit } from '../core/graphql/jit.js';
import { checkLimits } from '../core/graphql/limits.js';
import { headerStyleOf, writeBudgetHeaders } from '../core/rate-limit/headers.js';
import { frameworkError, fromDomain as publicDomainError, fromUserError, publicError, scopeRefusal, type PublicError } from '../core/graphql/request-rules.js';
import { credentialCacheOf } from '../modules/auth/credential-cache.js';
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS, unavailableReason } from '../core/db-availability.js';
import { DomainError, ERROR_CODES } from '../core/errors.js';
import { createContext, type AppDeps, type Context } from '../context.js';
import type { Dialect, DialectError, RestRequest, Route } from './types.js';

interface CompiledRoute {
  route: Route;
  document: DocumentNode;
  isMutation: boolean;
}

// Routes share operations (the GitLab v3 and v4 dialects most of theirs, a dialect mounted twice
// all of them): each distinct text is parsed and validated once per schema, which is most of the
// REST layer's start-up cost.
const checked = new WeakMap<GraphQLSchema, Map<string, { document: DocumentNode } | { problem: string }>>();

function checkOperation(schema: GraphQLSchema, operation: string): { document: DocumentNode } | { problem: string } {
  let bySchema = checked.get(schema);
  if (!bySchema) checked.set(schema, (bySchema = new Map()));
  let result = bySchema.get(operation);
  if (!result) {
    try {
      const document = parse(operation);
      const errors = validate(schema, document);
      result = errors.length ? { problem: errors.map((e) => e.message).join('; ') } : { document };
    } catch (err) {
      result = { problem: (err as Error).message };
    }
    bySchema.set(operation, result);
  }
  return result;
}

/** Parses and validates every operation of a dialect; throws naming each route that fails. */
export function compileDialect(schema: GraphQLSchema, dialect: Dialect): CompiledRoute[] {
  const problems: string[] = [];
  const compiled = dialect.routes.map((route) => {
    const checkedOp = checkOperation(schema, route.operation);
    if ('problem' in checkedOp) {
      problems.push(`${route.method} ${route.path}: ${checkedOp.problem}`);
      return null;
    }
    const { document } = checkedOp;
    const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
    if (ops.length !== 1) problems.push(`${route.method} ${route.path}: needs exactly one operation`);
    return { route, document, isMutation: ops[0]?.operation === 'mutation' };
  });
  if (problems.length) throw new Error(`REST dialect "${dialect.name}" has invalid operations:\n  ${problems.join('\n  ')}`);
  return compiled as CompiledRoute[];
}

// Codes and statuses come from core/graphql/request-rules.ts, as on /graphql; a dialect error
// adds only what the route names (GitLab: "404 User Not Found").
const forRoute = (e: PublicError, route?: Route): DialectError => ({ ...e, resource: route?.resource });
const fromDomain = (err: DomainError, route?: Route): DialectError => forRoute(publicDomainError(err), route);

/** The first non-empty userErrors list anywhere at the top of the data (a mutation payload). */
function firstUserError(data: Record<string, unknown> | null | undefined): { code: string; field: string | null; message: string } | null {
  for (const value of Object.values(data ?? {})) {
    const errs = (value as { userErrors?: { code: string; field: string | null; message: string }[] } | null)?.userErrors;
    if (errs?.length) return errs[0]!;
  }
  return null;
}

/** The validation failure fastify/Ajv found, as one field and message. */
function validationError(err: FastifyError & { validation?: { instancePath: string; params: Record<string, unknown>; message?: string }[]; validationContext?: string }): DialectError {
  const v = err.validation?.[0];
  const path = v?.instancePath?.replace(/^\//, '').replace(/\//g, '.') || (v?.params?.missingProperty as string | undefined) || (v?.params?.additionalProperty as string | undefined) || err.validationContext || null;
  const message = v ? `${path ?? err.validationContext} ${v.message ?? 'is invalid'}`.trim() : err.message;
  return { code: 'VALIDATION_FAILED', message, field: path, status: 400 };
}

export interface MountOptions {
  schema: GraphQLSchema;
  /** Queries answered by graphql-jit when it can, as on /graphql (core/graphql/jit.ts). */
  jit: QueryJit;
  deps: AppDeps;
  dialect: Dialect;
  /** Path prefix, '' for the root. */
  mount: string;
  logger: Logger;
}

/**
 * Validators for dialects whose bodies keep their JSON types: the body without coercion, path
 * and query with fastify's usual options (they arrive as text). Same compiler fastify uses.
 */
function exactBodyValidator(): NonNullable<Parameters<FastifyInstance['route']>[0]['validatorCompiler']> {
  const coercing = AjvCompiler()({}, { customOptions: {} });
  const exact = AjvCompiler()({}, { customOptions: { coerceTypes: false } });
  return (route) => (route.httpPart === 'body' ? exact(route as never) : coercing(route as never));
}

export function mountDialect(app: FastifyInstance, { schema, jit, deps, dialect, mount, logger }: MountOptions): void {
  const compiled = compileDialect(schema, dialect);
  const validatorCompiler = dialect.exactBodyTypes ? exactBodyValidator() : undefined;
  const headerStyle = headerStyleOf(dialect.name);
  const send = (reply: FastifyReply, e: DialectError) => {
    const { status, body } = dialect.error(e);
    return reply.code(status).type('application/json; charset=utf-8').send(body);
  };
  // The database is away: 503 in the dialect's error shape, with Retry-After (never a route's recover).
  const unavailable = (request: FastifyRequest, reply: FastifyReply, err: unknown) => {
    request.log.warn({ reason: unavailableReason(err) }, 'database unavailable');
    reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    return send(reply, { code: 'SERVICE_UNAVAILABLE', message: ERROR_CODES.SERVICE_UNAVAILABLE.message, status: 503 });
  };

  for (const { route, document, isMutation } of compiled) {
    app.route({
      method: route.method,
      url: mount + route.path,
      // Only the parts a route declares (fastify warns about declared-but-empty ones).
      schema: Object.fromEntries(Object.entries({ params: route.params, querystring: route.querystring, body: route.body }).filter(([, v]) => v !== undefined)),
      attachValidation: true,
      ...(validatorCompiler ? { validatorCompiler } : {}),
      // Malformed JSON, bodies over the limit, wrong content types: the dialect's error shape.
      errorHandler: (error: FastifyError, request, reply) => {
        if (isDatabaseUnavailable(error)) return unavailable(request, reply, error);
        const shown = frameworkError(error, { bodyLimit: deps.config.bodyLimit });
        if (shown) return send(reply, shown);
        request.log.error({ err: error }, 'REST route failed');
        return send(reply, { code: 'INTERNAL_SERVER_ERROR', message: ERROR_CODES.INTERNAL_SERVER_ERROR.message, status: 500 });
      },
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const invalid = (request as { validationError?: unknown }).validationError;
        if (invalid) return send(reply, validationError(invalid as never));
        let ctx: Context;
        try {
          ctx = await createContext(deps, { requestId: request.id, ip: request.ip ?? null, userAgent: request.headers['user-agent'] ?? null }, dialect.credential(request));
        } catch (err) {
          if (err instanceof DomainError) return send(reply, fromDomain(err, route));
          throw err;
        }
        const refusal = scopeRefusal(ctx.principal, isMutation ? 'mutation' : 'query');
        if (refusal) return send(reply, fromDomain(refusal));
        const req: RestRequest = {
          params: (request.params ?? {}) as Record<string, string>,
          query: (request.query ?? {}) as Record<string, unknown>,
          body: request.body,
          principal: ctx.principal,
          url: new URL(request.url, `${request.protocol}://${request.host}`),
        };
        // From here on an error may be one the route answers as a success (route.recover).
        const fail = (r: FastifyReply, e: DialectError) => {
          const ok = route.recover?.(e, req);
          if (!ok) return send(r, e);
          for (const [k, v] of Object.entries(ok.headers ?? {})) r.header(k, v);
          return r.code(ok.status ?? route.status ?? 200).send(ok.body);
        };
        let variables: Record<string, unknown>;
        try {
          variables = route.variables?.(req) ?? {};
        } catch (err) {
          if (err instanceof DomainError) return fail(reply, fromDomain(err, route));
          throw err;
        }
        // The same budget as /graphql, charged the operation's cost before it runs.
        const limits = checkLimits(schema, deps.config.limits, document, undefined, variables);
        if (!limits.error) {
          const budget = deps.rateLimits.charge(ctx.principal, ctx.ip, Math.max(1, limits.cost));
          if (budget) {
            ctx.budget = budget;
            writeBudgetHeaders(budget, headerStyle, (k, v) => reply.header(k, v));
            if (!budget.allowed) return send(reply, { code: 'RATE_LIMITED', message: `${ERROR_CODES.RATE_LIMITED.message}: the budget is whole again in ${reply.getHeader('retry-after')} s`, status: 429 });
          }
        }
        const jitData = isMutation ? null : await jit.tryQuery(document, undefined, ctx, variables);
        const result = jitData ? { data: jitData } : await execute({ schema, document, contextValue: ctx, variableValues: variables });
        // As after a /graphql mutation: a block, delete or admin change shows on the next request.
        if (isMutation) credentialCacheOf(deps.db, deps.config.tokenCacheTtlMs).clear();
        if (result.errors?.length) {
          const e = result.errors[0]!;
          if (e.originalError && isDatabaseUnavailable(e.originalError)) return unavailable(request, reply, e.originalError);
          const shown = publicError(e);
          if (shown) return fail(reply, forRoute(shown, route));
          logger.error({ reqId: request.id, err: e.originalError ?? e, route: `${route.method} ${route.path}` }, 'unexpected error in REST route');
          return fail(reply, { code: 'INTERNAL_SERVER_ERROR', message: ERROR_CODES.INTERNAL_SERVER_ERROR.message, status: 500 });
        }
        const userError = firstUserError(result.data as Record<string, unknown>);
        if (userError) return fail(reply, forRoute(fromUserError(userError), route));
        let out;
        try {
          out = route.respond(result.data, req);
        } catch (err) {
          // A respond function may decide the answer is NOT_FOUND (the parent was not visible).
          if (err instanceof DomainError) return fail(reply, fromDomain(err, route));
          throw err;
        }
        for (const [k, v] of Object.entries(out.headers ?? {})) reply.header(k, v);
        return reply.code(out.status ?? route.status ?? 200).send(out.body);
      },
    });
  }
}
