// What the invitations module adds to the graph.
import type { NodeFetchers } from '../node/node.registry.js';

export const resolvers: readonly Function[] = [];

export const nodeFetchers: NodeFetchers = {};
