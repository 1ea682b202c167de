// How errors leave the GraphQL endpoint, in GraphQL's shape: what may be shown and under which
// code is request-rules.ts publicError (shared with the REST routes); anything else is masked to
// INTERNAL_SERVER_ERROR and logged with the request id — no stack, no SQL in a response.
import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import type { Context } from '../../context.js';
import { publicError } from './request-rules.js';

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
