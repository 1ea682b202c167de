// The budgets and the login limit on /graphql's Apollo path: after the operation resolves and
// before anything runs, a mutation holding more `login` fields than allowed is refused, and the
// operation's cost is charged to the caller's budget (refused with 429 when over it). Every
// answer carries the budget's RateLimit-* headers. The known-query lane charges the same way
// (server.ts), so both lanes spend one budget.
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { Context } from '../../context.js';
import { ERROR_CODES } from '../errors.js';
import { budgetHeaders, writeBudgetHeaders } from './headers.js';
import type { BudgetState, RateLimits } from './index.js';

/**
 * How many times a root field (by name, whatever its alias) is selected by an operation,
 * fragments included: each fragment is counted once and its count reused, so this is linear in
 * the document's size however its fragments nest.
 */
export function countRootField(document: DocumentNode, operation: OperationDefinitionNode, fieldName: string): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const counted = new Map<string, number>();
  const countIn = (set: SelectionSetNode, visiting: Set<string>): number => {
    let n = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        if (s.name.value === fieldName) n++;
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        n += countIn(s.selectionSet, visiting);
      } else {
        const name = s.name.value;
        let c = counted.get(name);
        if (c === undefined) {
          const f = fragments.get(name);
          // A cycle does not validate; it counts nothing here rather than looping.
          if (!f || visiting.has(name)) continue;
          visiting.add(name);
          c = countIn(f.selectionSet, visiting);
          visiting.delete(name);
          counted.set(name, c);
        }
        n += c;
      }
    }
    return n;
  };
  return countIn(operation.selectionSet, new Set());
}

// Root fields that check a password (argon2, tens of milliseconds of a core each): one
// operation holds at most MAX_LOGINS_PER_REQUEST of them, together.
const PASSWORD_FIELDS = ['login', 'changePassword'] as const;

export function tooManyLogins(max: number): GraphQLError {
  return new GraphQLError(`At most ${max} login per request`, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
}

export function overBudget(state: BudgetState): GraphQLError {
  const headers = budgetHeaders(state);
  return new GraphQLError(`${ERROR_CODES.RATE_LIMITED.message}: this request costs more than the ${state.remaining} points left of ${state.limit}; the budget is whole again in ${headers['retry-after']} s`, {
    extensions: { code: 'RATE_LIMITED', http: { status: 429, headers: new Map(Object.entries(headers)) } },
  });
}

/**
 * `costOf` answers the operation's cost, or null when the limits refuse it (the limits plugin
 * answers those, uncharged).
 */
export function rateLimitPlugin(rateLimits: RateLimits, costOf: (document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown>) => number | null): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, contextValue }) {
          if (!operation) return;
          if (operation.operation === 'mutation' && PASSWORD_FIELDS.reduce((n, f) => n + countRootField(document, operation, f), 0) > rateLimits.maxLoginsPerRequest) {
            throw tooManyLogins(rateLimits.maxLoginsPerRequest);
          }
          // Charged on the known-query lane already (it then fell through to this path).
          if (contextValue.budget?.allowed) return;
          const cost = costOf(document, operation.name?.value, request.variables ?? {});
          if (cost === null) return;
          const state = rateLimits.charge(contextValue.principal, contextValue.ip, cost);
          if (!state) return;
          contextValue.budget = state;
          if (!state.allowed) throw overBudget(state);
        },
        async willSendResponse({ response, contextValue }) {
          if (contextValue.budget?.allowed === false) return; // the refusal's error set its headers
          const state = contextValue.budget ?? rateLimits.peek(contextValue.principal, contextValue.ip);
          if (!state) return;
          writeBudgetHeaders(state, 'standard', (k, v) => response.http.headers.set(k, v));
        },
      };
    },
  };
}
