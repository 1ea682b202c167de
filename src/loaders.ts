// Every DataLoader, built fresh per request so caching never crosses callers. Modules add
// theirs here; loaders that join related rows prime the loaders of those rows.
import type { Database } from './core/db.js';
import type { UserRow } from './modules/users/user.repo.js';
import { createAuthLoaders } from './modules/auth/auth.loaders.js';
import { createGroupsLoaders } from './modules/groups/groups.loaders.js';
import { createInvitationsLoaders } from './modules/invitations/invitations.loaders.js';
import { createLogsLoaders } from './modules/logs/logs.loaders.js';
import { createMessagesLoaders } from './modules/messages/messages.loaders.js';
import { createOrganizationLoaders } from './modules/organizations/organization.loaders.js';
import { createUserLoaders } from './modules/users/user.loaders.js';

/**
 * Primary emails already in hand (joined by a membership page), readable without a promise:
 * User.email answers from here synchronously, sparing graphql-js a promise per member (and the
 * promise-aware completion of the member's object, list and page above it). Kept in step with
 * the primaryEmailByUserId loader: whatever clears it there clears it here.
 */
function knownPrimaryEmails(loader: ReturnType<typeof createUserLoaders>['primaryEmailByUserId']) {
  const known = new Map<string, string | null>();
  const clear = loader.clear.bind(loader);
  const clearAll = loader.clearAll.bind(loader);
  loader.clear = (key) => {
    known.delete(key);
    return clear(key);
  };
  loader.clearAll = () => {
    known.clear();
    return clearAll();
  };
  return {
    /** Like the loader's prime: a value already there stays. */
    prime(userId: string, email: string | null) {
      if (!known.has(userId)) known.set(userId, email);
      loader.prime(userId, email);
    },
    /** The email when already known in this request; undefined when it must be loaded. */
    get: (userId: string): string | null | undefined => known.get(userId),
  };
}

export function createLoaders(db: Database) {
  const users = createUserLoaders(db);
  const emails = knownPrimaryEmails(users.primaryEmailByUserId);
  const organizations = createOrganizationLoaders(db, (user, email) => {
    // Membership pages carry no password hash; no reader of userById needs one (sign-in reads
    // users through user.repo directly).
    users.userById.prime(user.id, user as UserRow);
    emails.prime(user.id, email);
  });
  return {
    ...users,
    primaryEmailIfKnown: emails.get,
    ...createAuthLoaders(db),
    ...organizations,
    ...createGroupsLoaders(db),
    ...createMessagesLoaders(db),
    ...createInvitationsLoaders(db),
    ...createLogsLoaders(db),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
