// Every DataLoader, built fresh per request so caching never crosses callers. Modules add
// theirs here; loaders that join related rows prime the loaders of those rows.
import type { Database } from './core/db.js';
import { createAuthLoaders } from './modules/auth/auth.loaders.js';
import { createGroupsLoaders } from './modules/groups/groups.loaders.js';
import { createInvitationsLoaders } from './modules/invitations/invitations.loaders.js';
import { createLogsLoaders } from './modules/logs/logs.loaders.js';
import { createMessagesLoaders } from './modules/messages/messages.loaders.js';
import { createOrganizationLoaders } from './modules/organizations/organization.loaders.js';
import { createUserLoaders } from './modules/users/user.loaders.js';

export function createLoaders(db: Database) {
  const users = createUserLoaders(db);
  const organizations = createOrganizationLoaders(db, (user, email) => {
    users.userById.prime(user.id, user);
    users.primaryEmailByUserId.prime(user.id, email);
  });
  return {
    ...users,
    ...createAuthLoaders(db),
    ...organizations,
    ...createGroupsLoaders(db),
    ...createMessagesLoaders(db),
    ...createInvitationsLoaders(db),
    ...createLogsLoaders(db),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
