// Every DataLoader, built fresh per request so caching never crosses callers. Modules add
// theirs here; loaders that join related rows prime the loaders of those rows.
import { requestHandle, type Database } from './core/db.js';
import { coalesceJsonReads } from './core/json-rows.js';
import { createAuthLoaders } from './modules/auth/auth.loaders.js';
import { createGroupsLoaders } from './modules/groups/groups.loaders.js';
import { createDashboardLoaders } from './modules/dashboard/dashboard.loaders.js';
import { createInvitationsLoaders } from './modules/invitations/invitations.loaders.js';
import { createLogsLoaders } from './modules/logs/logs.loaders.js';
import { createMessagesLoaders } from './modules/messages/messages.loaders.js';
import { createOrganizationLoaders } from './modules/organizations/organization.loaders.js';
import { createProfileLoaders } from './modules/profile/profile.loaders.js';
import { createRecoveryLoaders } from './modules/recovery/recovery.loaders.js';
import { createUserLoaders } from './modules/users/user.loaders.js';

/**
 * The loaders in groups, one per module. Built lazily: a request builds only the groups it
 * touches (a small query touches one or two), not every loader of every module. `group` gives the loaders of another group of the same request (the organization
 * loaders prime the users' loaders).
 */
const GROUPS = {
  users: (db: Database) => createUserLoaders(db),
  auth: (db: Database) => createAuthLoaders(db),
  organizations: (db: Database, group: GroupOf) =>
    // Membership pages hand over the users they read whole (organization.read.ts: typed UserRow).
    createOrganizationLoaders(db, (userId, user) => group('users').userById.prime(userId, user)),
  groups: (db: Database) => createGroupsLoaders(db),
  messages: (db: Database) => createMessagesLoaders(db),
  invitations: (db: Database) => createInvitationsLoaders(db),
  logs: (db: Database) => createLogsLoaders(db),
  profile: (db: Database) => createProfileLoaders(db),
  dashboard: (db: Database) => createDashboardLoaders(db),
  recovery: (db: Database) => createRecoveryLoaders(db),
};
type GroupName = keyof typeof GROUPS;
type Group<G extends GroupName> = ReturnType<(typeof GROUPS)[G]>;
type GroupOf = <G extends GroupName>(name: G) => Group<G>;
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
/** Every loader by name, as resolvers and services use them: ctx.loaders.userById. */
export type Loaders = UnionToIntersection<{ [G in GroupName]: Group<G> }[GroupName]>;

// Which group holds which loader name: learned once, from one eager build (factories only
// capture the database, they do not use it while building).
let groupOfKey: Map<string, GroupName> | undefined;

function keyTable(db: Database): Map<string, GroupName> {
  const table = new Map<string, GroupName>();
  const built = new Map<GroupName, object>();
  const group = ((name: GroupName) => {
    if (!built.has(name)) built.set(name, GROUPS[name](db, group as GroupOf));
    return built.get(name);
  }) as GroupOf;
  for (const name of Object.keys(GROUPS) as GroupName[]) {
    for (const key of Object.keys(group(name))) {
      if (table.has(key)) throw new Error(`two loader groups define ${key}`);
      table.set(key, name);
    }
  }
  return table;
}

export function createLoaders(shared: Database): Loaders {
  const table = (groupOfKey ??= keyTable(shared));
  // This request's handle: sibling json reads due in the same tick share one statement.
  const db = coalesceJsonReads(requestHandle(shared));
  const built = new Map<GroupName, Record<string, unknown>>();
  const group = ((name: GroupName) => {
    let g = built.get(name);
    if (!g) built.set(name, (g = GROUPS[name](db, group as GroupOf) as Record<string, unknown>));
    return g;
  }) as GroupOf;
  return new Proxy({} as Loaders, {
    get(_target, key) {
      const name = typeof key === 'string' ? table.get(key) : undefined;
      return name === undefined ? undefined : (group(name) as Record<string, unknown>)[key as string];
    },
    has: (_target, key) => typeof key === 'string' && table.has(key),
    set: () => false,
  });
}
