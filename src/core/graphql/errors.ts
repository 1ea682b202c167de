// How errors leave the GraphQL endpoint, in GraphQL's shape: what may be shown and under which
// code is request-rules.ts publicError (shared with the REST routes); anything else is masked to
// INTERNAL_SERVER_ERROR and logged with the request id — no stack, no SQL in a response.
import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import type { Context } from '../../context.js';
import { publicError } from './request-rules.js';
import { RETRY_AFTER_SECONDS, unavailableReason } from '../db-availability.js';

export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const shown = publicError(error);
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
          if (publicError(err)) continue;
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
/**
 * Without graphql-js's "Did you mean …?" hints, which name fields, arguments, types and enum
 * values the caller did not: with introspection off they would reveal the schema piece by piece.
 * The hint is always the end of the message (graphql-js's didYouMean), and a name never holds
 * its opening words, so the last occurrence is the hint.
 */
export function withoutSuggestions(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const at = formatted.message.lastIndexOf(' Did you mean ');
  return at < 0 || !formatted.message.endsWith('?') ? formatted : { ...formatted, message: formatted.message.slice(0, at) };
}
