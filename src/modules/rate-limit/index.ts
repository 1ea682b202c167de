// What the rate-limit module adds to the graph: the `rateLimit` root field (no node types).
import type { NodeFetchers } from '../node/node.registry.js';
import { RateLimitResolver } from './rate-limit.resolver.js';

export const resolvers = [RateLimitResolver] as const;

export const nodeFetchers: NodeFetchers = {};
