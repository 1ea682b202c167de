// Queries that succeed run through graphql-jit: it compiles a document once into a function that
// resolves and completes exactly its selection, instead of graphql-js walking the document for
// every object of every response (building a resolve-info and an argument map per field). On
// page-shaped queries that walk was the largest share of the gateway's own CPU after the SQL.
//
// graphql-js stays the reference: anything graphql-jit would answer with an error (a resolver
// throwing, a variable that does not coerce, a value it cannot complete) is answered by
// graphql-js instead, through Apollo's ordinary path, so error responses, their codes, HTTP
// statuses and logging are exactly those of every other request. That re-run only ever happens
// for queries, which read: mutations always run once, on graphql-js.
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { createRequire } from 'node:module';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { CompiledQuery } from 'graphql-jit';

// The CommonJS build: the ESM build would load a second copy of graphql that rejects
// type-graphql's schema. Loaded when the first document is compiled, not at start: the gateway
// answers its first requests with graphql-js anyway, and graphql-jit with its dependencies is a
// noticeable share of the start.
let graphqlJit: typeof import('graphql-jit') | undefined;
const loadGraphqlJit = () => (graphqlJit ??= createRequire(import.meta.url)('graphql-jit') as typeof import('graphql-jit'));

export interface JitOptions {
  /** Compile a document on its n-th query (1 = the first; 0 = never): one-offs are not worth it. */
  compileAfter: number;
}

interface Entry {
  seen: number;
  /** null: graphql-jit could not compile it (graphql-js always can). */
  compiled?: CompiledQuery | null;
}

/** Compiled queries by document, shared by /graphql and the REST routes. */
export class QueryJit {
  // Apollo caches parsed documents and the REST routes parse theirs once, so a repeated query
  // arrives as the same DocumentNode; its compiled functions live as long as the document.
  private readonly byDocument = new WeakMap<DocumentNode, Map<string, Entry>>();
  /** Queries answered by compiled code, and those handed back to graphql-js after running. */
  readonly stats = { answered: 0, handedBack: 0 };

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly opts: JitOptions,
  ) {}

  /**
   * The query's result when graphql-jit answered it without an error; null when graphql-js must
   * answer (not compiled yet, not compilable, or any error at all). Queries only: never call it
   * for a mutation, which would then run twice.
   */
  async tryQuery(document: DocumentNode, operationName: string | undefined, contextValue: unknown, variables: Record<string, unknown> | undefined): Promise<Record<string, unknown> | null> {
    const compiled = this.compiledFor(document, operationName);
    if (!compiled) return null;
    const result = await compiled.query(undefined, contextValue, variables ?? {});
    if (result.errors?.length || !result.data) {
      this.stats.handedBack++;
      return null;
    }
    this.stats.answered++;
    return result.data;
  }

  private compiledFor(document: DocumentNode, operationName: string | undefined): CompiledQuery | null {
    if (this.opts.compileAfter <= 0) return null;
    let entries = this.byDocument.get(document);
    if (!entries) this.byDocument.set(document, (entries = new Map()));
    const key = operationName ?? '';
    let entry = entries.get(key);
    if (!entry) entries.set(key, (entry = { seen: 0 }));
    if (entry.compiled !== undefined) return entry.compiled;
    if (++entry.seen < this.opts.compileAfter) return null;
    const { compileQuery, isCompiledQuery } = loadGraphqlJit();
    const result = compileQuery(this.schema, document, operationName, { disablingCapturingStackErrors: true });
    entry.compiled = isCompiledQuery(result) ? result : null;
    return entry.compiled;
  }
}

export interface JitPluginHooks {
  /** Compiled code answered this query: Apollo parsed, validated and resolved it first. */
  answered?(text: string, requestedName: string | undefined, document: DocumentNode, operationName: string | undefined): void;
  /** The compiled code already ran for this context and failed: graphql-js answers. */
  skip?(contextValue: object): boolean;
}

/** Answers /graphql queries from the jit when it can (see above); Apollo runs the rest. */
export function jitPlugin(jit: QueryJit, hooks: JitPluginHooks = {}): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async responseForOperation({ operation, document, request, contextValue }) {
          if (operation?.operation !== 'query' || hooks.skip?.(contextValue)) return null;
          const data = await jit.tryQuery(document, request.operationName ?? undefined, contextValue, request.variables);
          if (data && request.query !== undefined) hooks.answered?.(request.query, request.operationName ?? undefined, document, operation.name?.value);
          return data && { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { data } } };
        },
      };
    },
  };
}
