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

/**
 * The loaders in groups, one per module. Built lazily: a request builds only the groups it
 * touches (a small query touches one or two of eight; building all ~40 loaders was 6 % of its
 * CPU). `group` gives the loaders of another group of the same request (the organization
 * loaders prime the users' loaders).
 */
const GROUPS = {
  users: (db: Database) => createUserLoaders(db),
  emails: (_db: Database, group: GroupOf) => ({ primaryEmailIfKnown: group('primaryEmails').get }),
  primaryEmails: (_db: Database, group: GroupOf) => knownPrimaryEmails(group('users').primaryEmailByUserId),
  auth: (db: Database) => createAuthLoaders(db),
  organizations: (db: Database, group: GroupOf) =>
    createOrganizationLoaders(db, (userId, user, email) => {
      // Membership pages carry no password hash; no reader of userById needs one (sign-in reads
      // users through user.repo directly).
      if (user) group('users').userById.prime(userId, user as UserRow);
      if (email !== undefined) group('primaryEmails').prime(userId, email);
    }),
  groups: (db: Database) => createGroupsLoaders(db),
  messages: (db: Database) => createMessagesLoaders(db),
  invitations: (db: Database) => createInvitationsLoaders(db),
  logs: (db: Database) => createLogsLoaders(db),
};
type GroupName = keyof typeof GROUPS;
type Group<G extends GroupName> = ReturnType<(typeof GROUPS)[G]>;
type GroupOf = <G extends GroupName>(name: G) => Group<G>;
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
/** Every loader by name, as resolvers and services use them: ctx.loaders.userById. */
export type Loaders = UnionToIntersection<{ [G in Exclude<GroupName, 'primaryEmails'>]: Group<G> }[Exclude<GroupName, 'primaryEmails'>]>;

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
    if (name === 'primaryEmails') continue;
    for (const key of Object.keys(group(name))) {
      if (table.has(key)) throw new Error(`two loader groups define ${key}`);
      table.set(key, name);
    }
  }
  return table;
}

export function createLoaders(db: Database): Loaders {
  const table = (groupOfKey ??= keyTable(db));
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
