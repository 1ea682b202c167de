// What the Seald dashboard's admin side adds to the graph (issue 23).
import type { NodeFetchers } from '../node/node.registry.js';
import { DashboardResolver, OrganizationTeamResolver } from './dashboard.resolver.js';

export const resolvers = [DashboardResolver, OrganizationTeamResolver] as const;

export const nodeFetchers: NodeFetchers = {};
