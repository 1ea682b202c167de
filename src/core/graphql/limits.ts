// Query limits, checked after validation and before any resolver runs: depth (nested
// selections) and cost (each field 1, a connection multiplies its children by its page size).
// A query over either limit gets a 400 with a stable code, not a slow answer.
import type { ApolloServerPlugin } from '@apollo/server';
import { createRequire } from 'node:module';
import type { ComplexityEstimator } from 'graphql-query-complexity';
import { GraphQLError, Kind, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type SelectionSetNode } from 'graphql';
import { DEFAULT_PAGE_SIZE } from './connection.js';

// The CommonJS build, on purpose: its ESM build imports graphql/index.mjs, a second copy of
// graphql next to the CommonJS one type-graphql uses, and the two reject each other's schemas.
// (require, not import: Node cannot name this CommonJS module's exports statically.)
const { getComplexity, simpleEstimator } = createRequire(import.meta.url)('graphql-query-complexity') as typeof import('graphql-query-complexity');

export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
}

/** first/last multiply the cost of what is selected inside a page. */
const connectionEstimator: ComplexityEstimator = ({ args, childComplexity, field }) => {
  const isPage = field.args.some((a) => a.name === 'first');
  if (!isPage) return undefined;
  const size = Number(args.first ?? args.last ?? DEFAULT_PAGE_SIZE);
  return 1 + childComplexity * Math.max(1, Number.isFinite(size) ? size : DEFAULT_PAGE_SIZE);
};

/** Depth of the deepest selection, not counting introspection (__schema, __type) fields. */
export function queryDepth(doc: DocumentNode, operationName?: string | null): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const depthOf = (set: SelectionSetNode | undefined, seen: Set<string>): number => {
    if (!set) return 0;
    let max = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        if (s.name.value.startsWith('__')) continue;
        max = Math.max(max, 1 + depthOf(s.selectionSet, seen));
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        max = Math.max(max, depthOf(s.selectionSet, seen));
      } else if (!seen.has(s.name.value)) {
        const f = fragments.get(s.name.value);
        max = Math.max(max, depthOf(f?.selectionSet, new Set([...seen, s.name.value])));
      }
    }
    return max;
  };
  let depth = 0;
  for (const d of doc.definitions) {
    if (d.kind !== Kind.OPERATION_DEFINITION) continue;
    if (operationName && d.name?.value !== operationName) continue;
    depth = Math.max(depth, depthOf(d.selectionSet, new Set()));
  }
  return depth;
}

// Both figures per parsed document: Apollo hands the same DocumentNode for the same query text
// (its document store), so a repeated query pays the two walks over its document once — they
// were ~4 % of a small request. The cost depends on the variables (page sizes), so it is kept
// per variables too, for small variable sets only, a bounded number of them per document.
const MAX_COSTS_PER_DOCUMENT = 64;
const MAX_CACHED_VARIABLES_LENGTH = 512;
interface Measured {
  depth: Map<string, number>;
  cost: Map<string, number | null>;
}
const measured = new WeakMap<DocumentNode, Measured>();

function measuredOf(document: DocumentNode): Measured {
  let m = measured.get(document);
  if (!m) measured.set(document, (m = { depth: new Map(), cost: new Map() }));
  return m;
}

/** The cost, or null when the variables do not coerce (execution then reports it properly). */
function costOf(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown>): number | null {
  try {
    return getComplexity({ schema, query: document, operationName, variables, estimators: [connectionEstimator, simpleEstimator({ defaultComplexity: 1 })] });
  } catch {
    return null;
  }
}

/**
 * The error a query over either limit is answered with, or null when it is within both. Cached
 * per document (above), so Apollo's path (the plugin below) and the known-query lane
 * (known-queries.ts) can ask for every request.
 */
export function limitError(schema: GraphQLSchema, limits: QueryLimits, document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown>): GraphQLError | null {
  const m = measuredOf(document);
  const opKey = operationName ?? '';
  let depth = m.depth.get(opKey);
  if (depth === undefined) m.depth.set(opKey, (depth = queryDepth(document, operationName)));
  if (depth > limits.maxDepth) {
    return new GraphQLError(`Query is ${depth} levels deep; the limit is ${limits.maxDepth}`, { extensions: { code: 'QUERY_TOO_DEEP', http: { status: 400 } } });
  }
  const json = JSON.stringify(variables);
  const key = json.length <= MAX_CACHED_VARIABLES_LENGTH ? `${opKey}\n${json}` : undefined;
  let cost = key === undefined ? undefined : m.cost.get(key);
  if (cost === undefined) {
    cost = costOf(schema, document, operationName, variables);
    if (key !== undefined) {
      if (m.cost.size >= MAX_COSTS_PER_DOCUMENT) m.cost.clear();
      m.cost.set(key, cost);
    }
  }
  if (cost !== null && cost > limits.maxCost) {
    return new GraphQLError(`Query would cost ${cost}; the limit is ${limits.maxCost} (ask for smaller pages)`, {
      extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 400 } },
    });
  }
  return null;
}

export function limitsPlugin(schema: GraphQLSchema, limits: QueryLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request }) {
          const error = limitError(schema, limits, document, operation?.name?.value, request.variables ?? {});
          if (error) throw error;
        },
      };
    },
  };
}
