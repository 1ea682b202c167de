// How errors leave the GraphQL endpoint: domain errors keep their stable code; GraphQL's own
// errors (parse, validation, variable coercion) pass through; anything else is masked to
// INTERNAL_SERVER_ERROR and logged with the request id — no stack, no SQL in a response.
import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import type { Context } from '../../context.js';
import { DomainError } from '../errors.js';

/** An error we can show as it is, or null when it must be masked. */
function publicShape(error: unknown): { message: string; code: string } | null {
  const original = unwrapResolverError(error);
  if (original instanceof DomainError) return { message: original.message, code: original.code };
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
 * Without graphql-js's "Did you mean …?" hints, which name fields, arguments, types and enum
 * values the caller did not: with introspection off they would reveal the schema piece by piece.
 * The hint is always the end of the message (graphql-js's didYouMean), and a name never holds
 * its opening words, so the last occurrence is the hint.
 */
export function withoutSuggestions(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const at = formatted.message.lastIndexOf(' Did you mean ');
  return at < 0 || !formatted.message.endsWith('?') ? formatted : { ...formatted, message: formatted.message.slice(0, at) };
}
