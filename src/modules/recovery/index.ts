// What the recovery module adds to the graph: a team's backup admin keys, users' encrypted
// backup keys, lost-account recoveries, and Message.availableAdminKeys.
import type { NodeFetchers } from '../node/node.registry.js';
import { AdminKeyResolver, BackupKeyResolver, LostAccountResolver, MessageRecoveryResolver, OrganizationRecoveryResolver } from './recovery.resolver.js';

export const resolvers = [OrganizationRecoveryResolver, AdminKeyResolver, BackupKeyResolver, MessageRecoveryResolver, LostAccountResolver] as const;

export const nodeFetchers: NodeFetchers = {};
