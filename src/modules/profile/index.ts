// What the profile module adds to the graph: labelled collections of a user (addresses, bank
// accounts, digital wallet as fields of User; mutations over every labelled collection).
import type { NodeFetchers } from '../node/node.registry.js';
import { ProfileMutationsResolver, ProfileUserResolver } from './profile.resolver.js';

export const resolvers = [ProfileUserResolver, ProfileMutationsResolver] as const;

export const nodeFetchers: NodeFetchers = {};
