// Known queries skip Apollo's request pipeline. A query Apollo has parsed, validated, resolved
// and answered from compiled code (jit.ts) is remembered by its text; the next POST of the same
// text goes straight to that compiled code: no sha256 of the text for Apollo's document store,
// no header map, URL or request object rebuilt, no round of plugin hooks, each a promise. On the
// `small` intent of the benchmark that pipeline was most of the gateway's own work besides SQL.
//
// The lane answers only what it can answer exactly as Apollo would: a JSON POST with nothing but
// query, operationName and variables, an Accept header Apollo already answered a success for
// (the content type it chose is replayed), within the query limits, and a result without any
// error, within the response bound. The answer carries the operation's cost in its extensions,
// as Apollo's path adds it (limits.ts), so both lanes give the same bytes. Everything else — a
// new text, a credential that fails, a variable that does not coerce, a resolver error, a query
// over the limits, an answer over the bound — falls through to Apollo, which answers it as it
// answers every request (queries only read, so running one again is harmless; the compiled code
// is then not tried twice). Mutations never take the lane.
import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { QueryJit } from './jit.js';
import { checkLimits, costExtension, type QueryLimits } from './limits.js';

// Bounds: the text of every remembered query is held, so both the count and the characters are
// capped; the oldest goes first. Clients send a handful of distinct queries, each many times.
const MAX_QUERIES = 1_000;
const MAX_QUERY_CHARS = 8 * 1024 * 1024;
const MAX_ACCEPT_HEADERS = 64;
const MAX_ACCEPT_LENGTH = 256;

// Marks a context whose query the compiled code already ran, and failed: Apollo then runs it on
// graphql-js only. A property, not a WeakSet: Apollo hands its plugins a shallow copy of the
// context, which keeps it.
const TRIED = Symbol('compiled code tried');

interface KnownOperation {
  document: DocumentNode;
  /** The operationName the request gave: the compiled code is kept under it (jit.ts). */
  requestedName: string | undefined;
  /** The operation's own name, as Apollo resolved it: the limits are cached under it. */
  operationName: string | undefined;
}

type Body = { query?: unknown; operationName?: unknown; variables?: unknown };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);

export interface LaneAnswer {
  contentType: string;
  body: Buffer;
}

/**
 * Apollo's serialisation of a result (runHttpQuery's prettyJSONStringify: the JSON and a
 * newline), written straight into the bytes that go out. As a string, `json + '\n'` is a
 * rope that fastify's content-length flattens into a second copy, and the socket write then
 * encodes a third: garbage the size of the answer, three times over.
 */
function jsonLine(value: unknown, maxBytes: number): Buffer | null {
  const json = JSON.stringify(value);
  const length = Buffer.byteLength(json);
  if (length + 1 > maxBytes) return null;
  const bytes = Buffer.allocUnsafe(length + 1);
  bytes.write(json, 0, length, 'utf8');
  bytes[length] = 0x0a;
  return bytes;
}

export class KnownQueries {
  /** By query text, then by the operationName the request gave ('' for none). */
  private readonly byText = new Map<string, Map<string, KnownOperation>>();
  private chars = 0;
  /** The content type Apollo answered a successful query with, by Accept header ('' for none). */
  private readonly contentTypes = new Map<string, string>();
  readonly stats = { answered: 0, fellThrough: 0 };

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly limits: QueryLimits,
    private readonly jit: QueryJit,
  ) {}

  /** Called when compiled code answered a query on Apollo's path: it is known from now on. */
  remember(text: string, requestedName: string | undefined, document: DocumentNode, operationName: string | undefined): void {
    let ops = this.byText.get(text);
    if (!ops) {
      if (text.length > MAX_QUERY_CHARS) return;
      while (this.byText.size >= MAX_QUERIES || this.chars + text.length > MAX_QUERY_CHARS) this.forgetOldest();
      this.byText.set(text, (ops = new Map()));
      this.chars += text.length;
    }
    ops.set(requestedName ?? '', { document, requestedName, operationName });
  }

  /** After Apollo answered a request: the content type a success gets for its Accept header. */
  learnContentType(request: FastifyRequest, reply: FastifyReply): void {
    if (reply.statusCode !== 200 || this.contentTypes.size >= MAX_ACCEPT_HEADERS) return;
    const accept = request.headers.accept ?? '';
    const type = reply.getHeader('content-type');
    if (accept.length <= MAX_ACCEPT_LENGTH && typeof type === 'string' && !this.contentTypes.has(accept)) this.contentTypes.set(accept, type);
  }

  /**
   * The known query this request asks for, when it can take the lane; undefined sends it to
   * Apollo. Cheap checks only: nothing has run yet.
   */
  match(request: FastifyRequest): { known: KnownOperation; variables: Record<string, unknown>; contentType: string } | undefined {
    if (request.method !== 'POST' || !isJson(request.headers['content-type'])) return undefined;
    const body = request.body;
    if (!isRecord(body)) return undefined;
    for (const key in body) if (key !== 'query' && key !== 'operationName' && key !== 'variables') return undefined;
    const { query, operationName, variables } = body as Body;
    if (typeof query !== 'string') return undefined;
    if (operationName != null && typeof operationName !== 'string') return undefined;
    if (variables != null && !isRecord(variables)) return undefined;
    const contentType = this.contentTypes.get(request.headers.accept ?? '');
    const known = contentType && this.byText.get(query)?.get((operationName as string | null | undefined) ?? '');
    if (!known) return undefined;
    return { known, variables: (variables as Record<string, unknown> | null | undefined) ?? {}, contentType: contentType! };
  }

  /**
   * Runs a matched query's compiled code; the answer, or null when Apollo must answer (over the
   * limits, or any error at all). An answer over the response bound falls through too: Apollo
   * runs the query again and refuses it the way it refuses every such answer.
   */
  async answer(match: NonNullable<ReturnType<KnownQueries['match']>>, contextValue: object, admit?: (cost: number) => boolean): Promise<LaneAnswer | null> {
    const { known, variables, contentType } = match;
    const { error, cost } = checkLimits(this.schema, this.limits, known.document, known.operationName, variables);
    // cost 0: the variables do not coerce; Apollo answers that.
    if (error || cost === 0) return this.fallThrough();
    // The caller's budget (core/rate-limit): refused, Apollo's path answers the refusal.
    if (admit && !admit(cost)) return this.fallThrough();
    const data = await this.jit.tryQuery(known.document, known.requestedName, contextValue, variables);
    if (!data) {
      (contextValue as Record<symbol, unknown>)[TRIED] = true;
      return this.fallThrough();
    }
    const body = jsonLine({ data, extensions: { cost: costExtension(cost, this.limits) } }, this.limits.maxResponseBytes);
    if (!body) return this.fallThrough();
    this.stats.answered++;
    return { contentType, body };
  }

  /** Whether the lane already ran this context's query in compiled code (then it failed). */
  triedCompiled(contextValue: object): boolean {
    return (contextValue as Record<symbol, unknown>)[TRIED] === true;
  }

  private fallThrough(): null {
    this.stats.fellThrough++;
    return null;
  }

  private forgetOldest(): void {
    const oldest = this.byText.keys().next();
    if (oldest.done) return;
    this.byText.delete(oldest.value);
    this.chars -= oldest.value.length;
  }
}

/** Content-Type application/json, with or without parameters (what Apollo's CSRF check lets by). */
function isJson(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const semi = contentType.indexOf(';');
  return (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase() === 'application/json';
}
