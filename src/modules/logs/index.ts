// What the logs module (event log, login log) adds to the graph.
import type { NodeFetchers } from '../node/node.registry.js';

export const resolvers: readonly Function[] = [];

export const nodeFetchers: NodeFetchers = {};
