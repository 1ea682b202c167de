// What the Seald dashboard's admin side adds to the graph (issue 23).
import type { NodeFetchers } from '../node/node.registry.js';
import { ConnectorResolver, OrganizationDomainKeysResolver } from './connectors.resolver.js';
import { DashboardResolver, OrganizationTeamResolver } from './dashboard.resolver.js';
import { DeviceKeysResolver, OrganizationDevicesResolver } from './devices.resolver.js';

export const resolvers = [DashboardResolver, OrganizationTeamResolver, ConnectorResolver, OrganizationDomainKeysResolver, DeviceKeysResolver, OrganizationDevicesResolver] as const;

export const nodeFetchers: NodeFetchers = {};
