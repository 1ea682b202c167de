// What the recovery module adds to the graph: a team's backup admin keys, users' encrypted
// backup keys, lost-account recoveries, and Message.availableAdminKeys.
import { DomainError } from '../../core/errors.js';
import type { NodeFetchers } from '../node/node.registry.js';
import { AdminKeyResolver, BackupKeyResolver, LostAccountResolver, MessageRecoveryResolver, OrganizationRecoveryResolver } from './recovery.resolver.js';
import { teamAdminKey, teamLostAccount } from './recovery.service.js';
import { AdminKey, LostAccount } from './recovery.type.js';

export const resolvers = [OrganizationRecoveryResolver, AdminKeyResolver, BackupKeyResolver, MessageRecoveryResolver, LostAccountResolver] as const;

/** node(id) answers null for anyone who does not administer the row's team (deny by default). */
const orNull = async <T>(read: () => Promise<T | null>): Promise<T | null> => {
  try {
    return await read();
  } catch (e) {
    if (e instanceof DomainError && (e.code === 'FORBIDDEN' || e.code === 'UNAUTHENTICATED')) return null;
    throw e;
  }
};

export const nodeFetchers: NodeFetchers = {
  AdminKey: async (ctx, id) => {
    const row = await orNull(() => teamAdminKey(ctx, id));
    return row ? AdminKey.from(row) : null;
  },
  LostAccount: async (ctx, id) => {
    const row = await orNull(() => teamLostAccount(ctx, id));
    return row ? LostAccount.from(row) : null;
  },
};
