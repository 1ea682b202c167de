// How errors leave the GraphQL endpoint: domain errors keep their stable code; GraphQL's own
// errors (parse, validation, variable coercion) pass through; anything else is masked to
// INTERNAL_SERVER_ERROR and logged with the request id — no stack, no SQL in a response.
import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import type { Context } from '../../context.js';
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS, unavailableReason } from '../db-availability.js';
import { DomainError, ERROR_CODES } from '../errors.js';

/** An error we can show as it is, or null when it must be masked. */
function publicShape(error: unknown): { message: string; code: string } | null {
  const original = unwrapResolverError(error);
  if (original instanceof DomainError) return { message: original.message, code: original.code };
  // The database is away (a lost connection, no connection in time, a statement timeout).
  if (isDatabaseUnavailable(original)) return { message: ERROR_CODES.SERVICE_UNAVAILABLE.message, code: 'SERVICE_UNAVAILABLE' };
  if (original instanceof GraphQLError) {
    // graphql-js and Apollo errors without a cause (syntax, validation, coercion, bad request).
    if (!original.originalError || original.originalError instanceof GraphQLError || original.originalError instanceof DomainError) {
      const inner = original.originalError instanceof DomainError ? original.originalError : undefined;
      return { message: inner?.message ?? original.message, code: inner?.code ?? String(original.extensions?.code ?? 'BAD_REQUEST') };
    }
    if (original.originalError && publicShape(original.originalError)) return publicShape(original.originalError);
  }
  return null;
}

export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const shown = publicShape(error);
  if (!shown) return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  const { stacktrace: _drop, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
  void _drop;
  return { ...formatted, message: shown.message, extensions: { ...extensions, code: shown.code } };
}

/** Logs the errors that formatError masks, with the request id, so operators can find them. */
export const errorLoggingPlugin = (logger: Logger): ApolloServerPlugin<Context> => ({
  async requestDidStart() {
    return {
      async didEncounterErrors(rc) {
        for (const err of rc.errors) {
          if (publicShape(err)) continue;
          logger.error({ reqId: rc.contextValue?.requestId, err: unwrapResolverError(err), path: err.path }, 'unexpected error in GraphQL request');
        }
      },
    };
  },
});

/**
 * A response with a SERVICE_UNAVAILABLE error (the database is away) is a 503 with Retry-After,
 * whatever else it holds: the client should retry the whole operation later.
 */
export const unavailablePlugin = (logger: Logger): ApolloServerPlugin<Context> => ({
  async requestDidStart() {
    return {
      async didEncounterErrors(rc) {
        const reason = rc.errors.map((e) => unavailableReason(unwrapResolverError(e)) ?? unavailableReason(e.originalError)).find((r) => r !== null);
        if (!reason) return;
        logger.warn({ reqId: rc.contextValue?.requestId, reason }, 'database unavailable');
        rc.response.http.status = 503;
        rc.response.http.headers.set('retry-after', String(RETRY_AFTER_SECONDS));
      },
    };
  },
});
