// Relay cursor connections from one generic helper: edges { cursor node }, nodes, pageInfo,
// totalCount. Cursors are opaque keyset positions (the sort value and the primary key), never
// offsets, so page 1,000 costs what page 1 does.
import { ArgsType, ClassType, Field, Int, ObjectType } from 'type-graphql';
import { DomainError } from '../errors.js';
import { ReadsNoRow } from '../read/reads.js';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

@ReadsNoRow()
@ObjectType({ description: 'Where a page sits in its list.' })
export class PageInfo {
  @Field({ description: 'Whether there are items after this page.' })
  hasNextPage!: boolean;

  @Field({ description: 'Whether there are items before this page.' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first item of the page.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item of the page.' })
  endCursor!: string | null;
}

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, description: `Items from the start (after \`after\`); at most ${MAX_PAGE_SIZE}.` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Cursor: items after this one.' })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: `Items from the end (before \`before\`); at most ${MAX_PAGE_SIZE}.` })
  last?: number | null;

  @Field(() => String, { nullable: true, description: 'Cursor: items before this one.' })
  before?: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number | Promise<number>;
}

/**
 * Counts a list's items: all of them, or — given `limit` — possibly stopping once it has seen
 * more than `limit` (a count that reads at most limit + 1 rows). A count that ignores `limit`
 * is still right, only slower.
 */
export type ListCount = (limit?: number) => Promise<number>;

/** The largest `limit` a bounded count takes. */
export const MAX_COUNT_LIMIT = 100_000;

/** A named connection type for one node type (type-graphql's generic-types pattern). */
export function ConnectionType<T extends object>(nodeType: ClassType<T>, name: string) {
  @ReadsNoRow()
  @ObjectType(`${name}Edge`, { description: `An edge to a ${name}.` })
  class EdgeType {
    @Field({ description: 'Opaque cursor of this item.' })
    cursor!: string;

    @Field(() => nodeType, { description: `The ${name}.` })
    node!: T;
  }

  @ReadsNoRow()
  @ObjectType(`${name}Connection`, { description: `A page of ${name} items.` })
  class ConnectionClass {
    @Field(() => [EdgeType], { description: 'Items with their cursors.' })
    edges!: EdgeType[];

    @Field(() => [nodeType], { description: 'Items of the page.' })
    nodes!: T[];

    @Field(() => PageInfo, { description: 'Where the page sits in the list.' })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'Number of items in the whole list (counted only when asked for).' })
    totalCount!: number;
  }
  return ConnectionClass;
}

/** The page a request asks for, validated: direction, size, and decoded cursor. */
export interface PageRequest {
  /** `forward` for first/after, `backward` for last/before. */
  direction: 'forward' | 'backward';
  /** Rows wanted; the repository fetches one more to know whether another page exists. */
  size: number;
  cursor: unknown[] | null;
  /** Items skipped before the page (an offset page, core/offset.ts); 0 or absent otherwise. */
  skipped?: number;
}

export function pageRequest(args: ConnectionArgs, dflt = DEFAULT_PAGE_SIZE): PageRequest {
  if (args.first != null && args.last != null) throw new DomainError('BAD_USER_INPUT', 'Use either first or last, not both');
  const n = args.last ?? args.first ?? dflt;
  if (!Number.isInteger(n) || n < 0 || n > MAX_PAGE_SIZE) throw new DomainError('BAD_USER_INPUT', `Page size must be 0 to ${MAX_PAGE_SIZE}`);
  const backward = args.last != null || (args.before != null && args.first == null);
  const raw = backward ? args.before : args.after;
  return { direction: backward ? 'backward' : 'forward', size: n, cursor: raw ? decodeCursor(raw) : null };
}

export const encodeCursor = (values: unknown[]): string => Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');

export function decodeCursor(cursor: string): unknown[] {
  try {
    if (cursor.length > 512) throw new Error('too long');
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(v) || v.length === 0 || v.some((x) => x !== null && !['string', 'number', 'boolean'].includes(typeof x))) throw new Error('shape');
    return v;
  } catch {
    throw new DomainError('BAD_USER_INPUT', 'Invalid cursor');
  }
}

/** The keyset positions of a page's nodes: node i is `rows[i]`, its position `keyOf(rows[i])`. */
interface PageKeys<R> {
  rows: readonly R[];
  keyOf: (row: R) => unknown[];
}

/**
 * A page of nodes whose cursors, edges and pageInfo are made only when a query reads them. Most
 * pages are read as `nodes { … }`, and encoding a cursor (JSON + base64) and building an edge
 * per row would be work for fields nobody asked for. State, not closures: a page of parents
 * builds one connection per parent and maps each once, so a connection holds its rows and key
 * function, and pageInfo and edges are classes with prototype getters.
 */
class LazyConnection<T> implements Connection<T> {
  private builtEdges: Edge<T>[] | undefined;
  private builtPageInfo: PageInfo | undefined;
  private counted: Promise<number> | undefined;

  constructor(
    readonly nodes: T[],
    private readonly keys: PageKeys<unknown>,
    readonly hasNextPage: boolean,
    readonly hasPreviousPage: boolean,
    private readonly count: ListCount,
  ) {}

  /** The cursor of node i: its row's keyset position, encoded. */
  cursorAt(index: number): string {
    return encodeCursor(this.keys.keyOf(this.keys.rows[index]));
  }

  get pageInfo(): PageInfo {
    this.builtPageInfo ??= new LazyPageInfo(this);
    return this.builtPageInfo;
  }

  get edges(): Edge<T>[] {
    this.builtEdges ??= this.nodes.map((node, i) => new LazyEdge(node, i, this));
    return this.builtEdges;
  }

  // Counted lazily: only a query that selects totalCount pays for it.
  get totalCount(): Promise<number> {
    this.counted ??= this.count();
    return this.counted;
  }

  /** The count, or one that may stop past `limit` when the whole one was not asked for. */
  countUpTo(limit: number): Promise<number> {
    return this.counted ?? this.count(limit);
  }

  /** The same page with each node mapped; cursors and the count are shared, still lazy. */
  map<U>(f: (node: T) => U): LazyConnection<U> {
    return new LazyConnection(this.nodes.map(f), this.keys, this.hasNextPage, this.hasPreviousPage, this.count);
  }
}

class LazyPageInfo implements PageInfo {
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;

  constructor(private readonly page: LazyConnection<unknown>) {
    this.hasNextPage = page.hasNextPage;
    this.hasPreviousPage = page.hasPreviousPage;
  }

  get startCursor(): string | null {
    return this.page.nodes.length > 0 ? this.page.cursorAt(0) : null;
  }

  get endCursor(): string | null {
    const last = this.page.nodes.length - 1;
    return last >= 0 ? this.page.cursorAt(last) : null;
  }
}

class LazyEdge<T> implements Edge<T> {
  constructor(
    readonly node: T,
    private readonly index: number,
    private readonly page: LazyConnection<T>,
  ) {}

  get cursor(): string {
    return this.page.cursorAt(this.index);
  }
}

/**
 * Builds the connection from rows fetched in the page's direction with one extra row.
 * `keyOf` gives the keyset position of a row (sort values then primary key).
 */
export function toConnection<R, T>(
  rows: R[],
  page: PageRequest,
  keyOf: (row: R) => unknown[],
  toNode: (row: R) => T,
  count: ListCount,
): Connection<T> {
  const hasMore = rows.length > page.size;
  // `rows` may be a loader's cached array, shared with other fields of the request: cut and
  // turned around on copies, never in place.
  let pageRows = hasMore ? rows.slice(0, page.size) : rows;
  if (page.direction === 'backward') pageRows = hasMore ? pageRows.reverse() : [...pageRows].reverse();
  return new LazyConnection(
    pageRows.map(toNode),
    { rows: pageRows, keyOf } as PageKeys<unknown>,
    page.direction === 'forward' ? hasMore : page.cursor !== null,
    page.direction === 'backward' ? hasMore : page.cursor !== null || (page.skipped ?? 0) > 0,
    count,
  );
}

/**
 * The page of a list the caller may not see or that cannot hold anything: no nodes, a total of
 * 0, and pageInfo as any page at this position (a page after a cursor has a previous page).
 */
export function emptyConnection<T = never>(page: PageRequest): Connection<T> {
  return toConnection<T, T>([], page, () => [], (r) => r, async () => 0);
}

/**
 * The number of items in the whole list when it is at most `limit`, else null: a count that
 * stops early, for lists too long to count on every page (GitLab leaves out X-Total past
 * 10,000 items for that reason).
 */
export async function totalCountUpTo(c: Connection<unknown>, limit: number): Promise<number | null> {
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_COUNT_LIMIT) throw new DomainError('BAD_USER_INPUT', `limit must be 0 to ${MAX_COUNT_LIMIT}`);
  const n = c instanceof LazyConnection ? await c.countUpTo(limit) : await c.totalCount;
  return n > limit ? null : n;
}

/** Cursor values as keys compare: dates travel as ISO strings. */
export const keyValue = (v: unknown): unknown => (v instanceof Date ? v.toISOString() : v);

/** The same connection with each node mapped (rows → GraphQL objects); totalCount stays lazy. */
export function mapConnection<R, T>(c: Connection<R>, f: (r: R) => T): Connection<T> {
  if (c instanceof LazyConnection) return c.map(f);
  const edges = c.edges.map((e) => ({ cursor: e.cursor, node: f(e.node) }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: c.pageInfo,
    get totalCount() {
      return c.totalCount;
    },
  };
}
