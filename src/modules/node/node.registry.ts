// How node(id) finds an object of each type: modules export fetchers keyed by type name.
import type { Context } from '../../context.js';
import type { Node } from '../../core/graphql/node.js';

/** Loads a visible object by uuid, or null (missing and forbidden answer alike). */
export type NodeFetchers = Record<string, (ctx: Context, id: string) => Promise<Node | null>>;
