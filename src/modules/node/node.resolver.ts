// Relay's node(id) and nodes(ids): decode the global id, then load through the same
// per-request loaders and visibility rules as every other path (missing and forbidden alike → null).
import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context.js';
import { DomainError } from '../../core/errors.js';
import { fromGlobalId, Node } from '../../core/graphql/node.js';
import type { NodeFetchers } from './node.registry.js';

const MAX_NODES = 100;

export function createNodeResolver(fetchers: NodeFetchers) {
  async function fetchNode(ctx: Context, globalId: string): Promise<Node | null> {
    const parsed = fromGlobalId(globalId);
    const fetcher = parsed && Object.hasOwn(fetchers, parsed.type) ? fetchers[parsed.type] : undefined;
    return fetcher ? fetcher(ctx, parsed!.id) : null;
  }

  @Resolver()
  class NodeResolver {
    @Query(() => Node, { nullable: true, description: 'Fetches any object by its global ID; null when it does not exist or is not visible to you.' })
    node(@Arg('id', () => ID, { description: 'Global ID.' }) id: string, @Ctx() ctx: Context): Promise<Node | null> {
      return fetchNode(ctx, id);
    }

    @Query(() => [Node], { nullable: 'items', description: `Fetches objects by global ID, in order (at most ${MAX_NODES}); null for each one that does not exist or is not visible.` })
    async nodes(@Arg('ids', () => [ID], { description: 'Global IDs.' }) ids: string[], @Ctx() ctx: Context): Promise<(Node | null)[]> {
      if (ids.length > MAX_NODES) throw new DomainError('BAD_USER_INPUT', `At most ${MAX_NODES} ids per call`);
      return Promise.all(ids.map((id) => fetchNode(ctx, id)));
    }
  }
  return NodeResolver;
}
