// What both entrances (/graphql on Apollo, the REST routes on graphql-js) decide the same way
// about a request, written once: whether the caller's token may run the operation at all, and
// how an error — the framework's, GraphQL's or a service's — becomes a stable code (core/errors.ts)
// with its HTTP status. Each entrance only shapes the answer (GraphQL's errors[], a dialect's
// body); neither keeps its own table, so a code never means one thing on /graphql and another
// on REST.
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Context } from '../../context.js';
import { hasScope, type Principal } from '../auth/principal.js';
import { isDatabaseUnavailable } from '../db-availability.js';
import { DomainError, ERROR_CODES, type ErrorCode } from '../errors.js';

/** An error as callers may see it: no stack, no SQL, no cause. */
export interface PublicError {
  code: string;
  message: string;
  /** The input field at fault (validation, conflict), else null. */
  field: string | null;
  status: number;
}

const isKnown = (code: string): code is ErrorCode => Object.hasOwn(ERROR_CODES, code);

/** Read-only API tokens may query but not mutate: the refusal, or null when the operation may run. */
export function scopeRefusal(principal: Principal, operation: string | undefined): DomainError | null {
  return operation === 'mutation' && principal.kind === 'user' && !hasScope(principal, 'api') ? new DomainError('INSUFFICIENT_SCOPE') : null;
}

export const fromDomain = (err: DomainError): PublicError => ({ code: err.code, message: err.message, field: err.field ?? null, status: err.status });

/**
 * An error raised while running an operation, as callers may see it; null when it must be masked
 * (logged with the request id, answered INTERNAL_SERVER_ERROR). Domain errors keep their code.
 * GraphQL's own errors about the request (parse, validation, variables that do not coerce, the
 * limits) keep theirs and are the client's (400 for a code outside our table); graphql-js gives
 * variable coercion errors no code: BAD_USER_INPUT, as Apollo names them. Anything else thrown in
 * a resolver is masked.
 */
export function publicError(error: unknown): PublicError | null {
  // A resolver's error arrives located (path, originalError): judge what was thrown.
  const thrown = error instanceof GraphQLError && error.path && error.originalError ? error.originalError : error;
  if (thrown instanceof DomainError) return fromDomain(thrown);
  // The database is away (a lost connection, no connection in time, a statement timeout): the
  // caller may retry, nothing about the database is shown.
  if (isDatabaseUnavailable(thrown)) return fromDomain(new DomainError('SERVICE_UNAVAILABLE'));
  if (!(thrown instanceof GraphQLError)) return null;
  const cause = thrown.originalError;
  if (cause instanceof DomainError) return fromDomain(cause);
  if (cause && !(cause instanceof GraphQLError)) return publicError(cause);
  const given = thrown.extensions?.code;
  const code = typeof given === 'string' ? given : 'BAD_USER_INPUT';
  return { code, message: thrown.message, field: null, status: isKnown(code) ? ERROR_CODES[code].status : 400 };
}

/** A `userErrors` entry of a mutation payload, for entrances that answer it as an error (REST). */
export function fromUserError(e: { code: string; field: string | null; message: string }): PublicError {
  const code: ErrorCode = isKnown(e.code) ? e.code : 'BAD_USER_INPUT';
  return { code, message: e.message, field: e.field, status: ERROR_CODES[code].status };
}

// The framework's (fastify's) own 4xx errors, in our codes.
const FRAMEWORK_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_VALIDATION: 'BAD_USER_INPUT',
};

/**
 * An error the HTTP framework raised before any operation ran (body too large, unknown media
 * type, malformed JSON, a route schema's validation); null for its 5xx, which are ours to log.
 * Only messages that describe the caller's own request pass through.
 */
export function frameworkError(error: { statusCode?: number; code?: string; message: string }, opts: { bodyLimit: number }): PublicError | null {
  const status = error.statusCode ?? 500;
  if (status >= 500) return null;
  const code: ErrorCode =
    (error.code !== undefined ? FRAMEWORK_CODES[error.code] : undefined) ?? (status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST');
  const message =
    code === 'PAYLOAD_TOO_LARGE' ? `Request body is larger than ${opts.bodyLimit} bytes` : code === 'BAD_REQUEST' ? 'Malformed request body' : error.message;
  return { code, message, field: null, status };
}

/** /graphql's form of scopeRefusal: Apollo has resolved the operation, nothing has run yet. */
export function scopePlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          const refusal = scopeRefusal(contextValue.principal, operation?.operation);
          if (refusal) throw new GraphQLError(refusal.message, { extensions: { code: refusal.code, http: { status: refusal.status } } });
        },
      };
    },
  };
}
