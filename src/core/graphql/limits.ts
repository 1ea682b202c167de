// Query limits, checked after validation and before any resolver runs, on Apollo's path (the
// plugin below) and on the known-query lane (known-queries.ts): depth (nested selections),
// aliases, and cost (query-cost.ts). A query over any of them gets a 400 with a stable code, not
// a slow answer; an answer over the response bound is refused rather than sent.
//
// The figures are cached per document, so a repeated query pays a few Map lookups; the cost is
// cached per variables only when the variables decide it (a page size given as a variable),
// which the walk notices.
//
// Introspection has its own budget: what `__schema` and `__type` cost grows with the schema (every
// dialect adds types), not with the data, and is answered from memory. The data part of an
// operation is held to maxCost; its introspection part to twice one full introspection of this
// schema (graphql-js's getIntrospectionQuery, what GraphiQL and code generators send), so GraphiQL
// always loads and a thousand introspections in one document are still refused.
import type { ApolloServerPlugin } from '@apollo/server';
import { BREAK, GraphQLError, getIntrospectionQuery, parse, visit, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { describeInputProblem, inputProblem, MAX_INPUT_DEPTH, stringProblem } from '../input-guard.js';
import { operationCost, partsOf, shapeOf } from './query-cost.js';

export interface QueryLimits {
  /** Nested selections, introspection's own fields not counted. */
  maxDepth: number;
  /** The cost (query-cost.ts). */
  maxCost: number;
  /** Aliased fields in the operation, each spread of a fragment counting its own. */
  maxAliases: number;
  /** Bytes of a /graphql answer (known-queries.ts, oversizedAnswer below). */
  maxResponseBytes: number;
}

/** What checkLimits decides for one request. */
export interface LimitCheck {
  /** The refusal to answer with, or null: the operation may run. */
  error: GraphQLError | null;
  /**
   * The operation's cost (above), also when it is refused. 0 when the variables it depends on
   * do not coerce: execution then refuses them (BAD_USER_INPUT) before any resolver runs.
   */
  cost: number;
}

// Per parsed document: Apollo hands the same DocumentNode for the same query text (its document
// store) and the REST routes parse theirs once. A cost that depends on the variables is kept per
// variables, for small variable sets only, a bounded number of them per operation.
const MAX_COSTS_PER_OPERATION = 64;
const MAX_CACHED_VARIABLES_LENGTH = 512;

interface Measured {
  schema: GraphQLSchema;
  operations: OperationDefinitionNode[];
  fragments: Map<string, FragmentDefinitionNode>;
  depth: number;
  aliases: number;
  /** The walk overflowed the stack: refused as too deep, nothing else measured. */
  tooDeep: boolean;
  /** Why a string literal of the document cannot be taken (core/input-guard.ts), or null. */
  badLiteral: string | null;
  /** The cost, when no variable decides it. */
  cost?: Cost | null;
  byVariables?: Map<string, Cost | null>;
  /** The answer for a request within the limits, shared: checking a known query allocates nothing. */
  within?: LimitCheck;
}

const measured = new WeakMap<DocumentNode, Map<string, Measured>>();

/** An operation's cost and the part of it its introspection fields make. */
interface Cost {
  cost: number;
  introspection: number;
}

const fullIntrospection = new WeakMap<GraphQLSchema, number>();

/** What introspection may cost in one operation: twice one full introspection of this schema. */
function introspectionBudget(schema: GraphQLSchema): number {
  let full = fullIntrospection.get(schema);
  if (full === undefined) {
    const { operations, fragments } = partsOf(parse(getIntrospectionQuery()), undefined);
    full = operationCost(schema, operations, fragments, {}).cost ?? 0;
    fullIntrospection.set(schema, full);
  }
  return 2 * full;
}

function measuredOf(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined): Measured {
  let ops = measured.get(document);
  if (!ops) measured.set(document, (ops = new Map()));
  const key = operationName ?? '';
  let m = ops.get(key);
  if (m && m.schema === schema) return m;
  const { operations, fragments } = partsOf(document, operationName);
  m = { schema, operations, fragments, depth: 0, aliases: 0, tooDeep: false, badLiteral: literalProblem(document) };
  try {
    Object.assign(m, shapeOf(operations, fragments));
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    m.tooDeep = true;
  }
  ops.set(key, m);
  return m;
}

function costFor(m: Measured, variables: Record<string, unknown>): Cost | null {
  if (m.cost !== undefined) return m.cost;
  let key: string | undefined;
  if (m.byVariables) {
    const json = JSON.stringify(variables);
    if (json.length <= MAX_CACHED_VARIABLES_LENGTH) {
      key = json;
      const known = m.byVariables.get(key);
      if (known !== undefined) return known;
    }
  }
  const measure = operationCost(m.schema, m.operations, m.fragments, variables);
  const { usesVariables } = measure;
  const cost = measure.cost === null ? null : { cost: measure.cost, introspection: measure.introspection };
  if (!usesVariables) {
    m.cost = cost;
    return cost;
  }
  if (!m.byVariables) {
    m.byVariables = new Map();
    const json = JSON.stringify(variables);
    if (json.length <= MAX_CACHED_VARIABLES_LENGTH) key = json;
  }
  if (key !== undefined) {
    if (m.byVariables.size >= MAX_COSTS_PER_OPERATION) m.byVariables.clear();
    m.byVariables.set(key, cost);
  }
  return cost;
}

/**
 * What the input guard refuses in the document's own values (core/input-guard.ts), in words, or
 * null: a string literal with a NUL (a `\u0000` escape) or a lone surrogate, inline JSON
 * included, and list or object literals nested deeper than variables may be. graphql-js's visit
 * is iterative, so any document the parser accepted can be walked.
 */
function literalProblem(document: DocumentNode): string | null {
  let found: string | null = null;
  let depth = 0;
  const nest = {
    enter() {
      if (++depth <= MAX_INPUT_DEPTH) return undefined;
      found = `A value in the query is nested more than ${MAX_INPUT_DEPTH} levels deep`;
      return BREAK;
    },
    leave() {
      depth--;
    },
  };
  visit(document, {
    ObjectValue: nest,
    ListValue: nest,
    StringValue(node) {
      const p = stringProblem(node.value);
      if (!p) return undefined;
      found = describeInputProblem({ path: '', ...p }, 'A string literal');
      return BREAK;
    },
  });
  return found;
}

const badInput = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });

const refusal = (code: 'QUERY_TOO_DEEP' | 'QUERY_TOO_COMPLEX', message: string, extensions: Record<string, unknown> = {}) =>
  new GraphQLError(message, { extensions: { code, ...extensions, http: { status: 400 } } });

/** What an answered operation shows in its `extensions.cost`. */
export const costExtension = (cost: number, limits: QueryLimits) => ({ requestedQueryCost: cost, maximumAvailable: limits.maxCost });

const UNCOERCIBLE: LimitCheck = Object.freeze({ error: null, cost: 0 });

/**
 * The limits' verdict on one request: the refusal (input, depth, aliases, cost, in that order) or null,
 * and the operation's cost. Both lanes ask for every request; measured once per document (and
 * per variables where they decide the cost), so a repeated query costs a few Map lookups.
 * operationName: the operation's own name (any of them when undefined).
 */
export function checkLimits(schema: GraphQLSchema, limits: QueryLimits, document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown>): LimitCheck {
  const m = measuredOf(schema, document, operationName);
  // Input first: a value PostgreSQL cannot store, or variables nested too deep to walk safely
  // (core/input-guard.ts), is the caller's error whatever the operation would cost.
  if (m.badLiteral) return { error: badInput(m.badLiteral), cost: 0 };
  const bad = inputProblem(variables);
  if (bad) return { error: badInput(describeInputProblem(bad, 'Variable')), cost: 0 };
  if (m.tooDeep) return { error: refusal('QUERY_TOO_DEEP', 'Query is nested too deeply to be measured'), cost: 0 };
  const measure = costFor(m, variables);
  const cost = measure?.cost ?? 0;
  if (m.depth > limits.maxDepth) {
    return { error: refusal('QUERY_TOO_DEEP', `Query is ${m.depth} levels deep; the limit is ${limits.maxDepth}`), cost };
  }
  if (m.aliases > limits.maxAliases) {
    return { error: refusal('QUERY_TOO_COMPLEX', `Query has ${m.aliases} aliased fields; the limit is ${limits.maxAliases}`), cost };
  }
  if (measure === null) return UNCOERCIBLE;
  if (cost - measure.introspection > limits.maxCost) {
    return {
      error: refusal('QUERY_TOO_COMPLEX', `Query would cost ${cost - measure.introspection}; the limit is ${limits.maxCost} (ask for smaller pages)`, { cost: costExtension(cost, limits) }),
      cost,
    };
  }
  const budget = measure.introspection > 0 ? introspectionBudget(m.schema) : 0;
  if (measure.introspection > budget) {
    return {
      error: refusal('QUERY_TOO_COMPLEX', `Its introspection would cost ${measure.introspection}; the limit is ${budget} (twice one full introspection)`, {
        cost: { requestedQueryCost: measure.introspection, maximumAvailable: budget },
      }),
      cost,
    };
  }
  if (m.within?.cost === cost) return m.within;
  const within: LimitCheck = Object.freeze({ error: null, cost });
  if (m.cost !== undefined) m.within = within;
  return within;
}

/**
 * The refusal that replaces an answer over maxResponseBytes (Apollo's serialisation: JSON and a
 * newline), or undefined when it is within. The answer was computed already — cost bounds that
 * work — but is never sent: a client gets a clear error rather than megabytes.
 */
export function oversizedAnswer(body: string, limits: QueryLimits): string | undefined {
  const max = limits.maxResponseBytes;
  // UTF-8 takes 1 to 3 bytes per UTF-16 unit: most answers need no counting.
  if (body.length * 3 <= max) return undefined;
  const bytes = Buffer.byteLength(body);
  if (bytes <= max) return undefined;
  const message = `The answer would be ${bytes} bytes; the limit is ${max} (ask for smaller pages or fewer fields)`;
  return `${JSON.stringify({ errors: [{ message, extensions: { code: 'QUERY_TOO_COMPLEX' } }] })}\n`;
}

/** Refuses operations over the limits before they run, and shows the cost of those that ran. */
export function limitsPlugin(schema: GraphQLSchema, limits: QueryLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      let cost = 0;
      return {
        async didResolveOperation({ document, operation, request }) {
          const check = checkLimits(schema, limits, document, operation?.name?.value, request.variables ?? {});
          if (check.error) throw check.error;
          cost = check.cost;
        },
        async willSendResponse({ response }) {
          // Only answers of an operation that ran (data, even null) show a cost; 0: the
          // variables did not coerce, nothing ran.
          if (cost === 0 || response.body.kind !== 'single' || response.body.singleResult.data === undefined) return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, cost: costExtension(cost, limits) };
        },
      };
    },
  };
}
