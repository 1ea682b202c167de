// npm run seed — a small demo data set to explore in GraphiQL: organizations with
// sub-organizations, users, groups, an invitation, messages and the events they leave. Written
// through the real GraphQL mutations (so every rule, event row and outbox message applies),
// as the instance admin, on the configured database (PGlite in ./data by default).
import 'reflect-metadata';
import { graphql, type GraphQLSchema } from 'graphql';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { createAuthz, type AppDeps, type Context } from '../context.js';
import { AccessTokens } from '../core/auth/jwt.js';
import { loadServerSettings } from '../core/auth/server-secrets.js';
import type { Principal } from '../core/auth/principal.js';
import { DATA_DIR_LOCKED_EXIT, DataDirLockedError } from '../core/data-dir-lock.js';
import { openDatabase, type Database } from '../core/db.js';
import { RateLimits } from '../core/rate-limit/index.js';
import { createLoaders } from '../loaders.js';
import { bootstrap } from '../modules/bootstrap/bootstrap.service.js';
import { findUserByUsername } from '../modules/users/user.repo.js';
import { buildSchema } from '../schema.js';
import { seedIyo } from './seed-iyo.js';
import { seedSealdDemo } from './seed-seald.js';

const DEMO_USERS = ['alice', 'bob', 'carol', 'dave', 'erin'] as const;
export const demoPassword = (username: string) => `${username}-demo-password`;

type Run = <T = any>(query: string, variables?: Record<string, unknown>, as?: string) => Promise<T>;

/** Runs operations in-process as a given user (the admin by default), each with fresh loaders. */
function runner(schema: GraphQLSchema, deps: AppDeps, principals: Map<string, Principal>): Run {
  return async (query, variables = {}, as = 'admin') => {
    const principal = principals.get(as)!;
    const ctx: Context = { requestId: 'seed', ip: null, userAgent: 'npm run seed', db: deps.db, deps, principal, authz: createAuthz(deps.db, principal), loaders: createLoaders(deps.db) };
    const r = await graphql({ schema, source: query, variableValues: variables, contextValue: ctx });
    if (r.errors?.length) throw new Error(`${query.slice(0, 60)}…: ${r.errors.map((e) => e.message).join('; ')}`);
    const payload = Object.values(r.data ?? {})[0] as { userErrors?: { message: string; field: string | null }[] } | undefined;
    if (payload?.userErrors?.length) throw new Error(`${query.slice(0, 60)}…: ${payload.userErrors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
    return r.data as any;
  };
}

async function principalOf(db: Database, username: string): Promise<Principal> {
  const u = await findUserByUsername(db, username);
  if (!u) throw new Error(`user ${username} not found`);
  return { kind: 'user', userId: u.id, username: u.username, isInstanceAdmin: u.isAdmin, credential: { type: 'access_token', expiresAt: new Date(Date.now() + 3600_000) } };
}

/** What a seed needs to write through GraphQL as its demo users, and to say what it added. */
export interface SeedKit {
  run: Run;
  /** Signs a user in for later `run(…, …, username)` calls. */
  actAs(username: string): Promise<void>;
  /**
   * Returns what `find` finds, or what `create` makes (counted as added): each entity is looked
   * up before it is written, so a seed run again adds only what is missing.
   */
  ensure<T>(find: () => Promise<T | null | undefined>, create: () => Promise<T>): Promise<T>;
  /** Entities created so far by this run. */
  readonly added: number;
}

/** A kit for seeding as the instance admin; `close()` when done. */
export async function seedKit(db: Database, config: Config): Promise<SeedKit & { close(): Promise<void> }> {
  const schema = await buildSchema();
  await loadServerSettings(db, config);
  const accessTokens = await AccessTokens.load(db, { privateKeyPem: config.jwt.privateKeyPem, issuer: config.jwt.issuer, ttlSeconds: config.jwt.accessTokenTtlSeconds, masterKey: config.masterKey });
  // The seed signs nobody in and is charged nothing; services still expect the process's limits.
  const rateLimits = await RateLimits.open(db, config);
  const deps: AppDeps = { db, config, accessTokens, rateLimits };
  const principals = new Map<string, Principal>([['admin', await principalOf(db, config.admin.username)]]);
  let added = 0;
  return {
    run: runner(schema, deps, principals),
    actAs: async (username) => void principals.set(username, await principalOf(db, username)),
    async ensure(find, create) {
      const found = await find();
      if (found !== null && found !== undefined) return found;
      added++;
      return create();
    },
    get added() {
      return added;
    },
    close: () => rateLimits.close(),
  };
}

/**
 * The demo graph. Idempotent per entity: users by username, organizations by slug, memberships,
 * groups by name, messages by subject and the pending invitation by address are looked up first
 * and only the missing ones are written. True when anything was added.
 */
export async function seedDemo(db: Database, config: Config, log: (s: string) => void = console.log): Promise<boolean> {
  const kit = await seedKit(db, config);
  try {
    const { run, ensure } = kit;
    const ids: Record<string, string> = {};
    for (const name of DEMO_USERS) {
      ids[name] = await ensure(
        async () => (await run(`query($u: String!) { user(username: $u) { id } }`, { u: name })).user?.id as string | undefined,
        async () =>
          (
            await run(`mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } userErrors { field message } } }`, {
              i: { username: name, email: `${name}@example.com`, skipConfirmation: true, password: demoPassword(name), displayName: name[0]!.toUpperCase() + name.slice(1) },
            })
          ).createUser.user.id,
      );
      await kit.actAs(name);
    }

    // What the admin sees of an organization: enough to tell what is missing in it.
    const orgState = async (slug: string) =>
      (
        await run(
          `query($s: String!) { organization(slug: $s) { id memberships(first: 100) { nodes { user { username } } } groups(first: 100) { nodes { name } } invitations(first: 100) { nodes { status inviteeIdentifier } } } }`,
          { s: slug },
        )
      ).organization as { id: string; memberships: { nodes: { user: { username: string } }[] }; groups: { nodes: { name: string }[] }; invitations: { nodes: { status: string; inviteeIdentifier: string }[] } } | null;
    // Members join the way people do: an owner invites, the invitee accepts.
    const join = (slug: string, username: string, role: string, by: string) =>
      ensure(
        async () => (await orgState(slug))!.memberships.nodes.some((m) => m.user.username === username) || null,
        async () => {
          const organizationId = (await orgState(slug))!.id;
          const r = await run(`mutation($i: InviteToOrganizationInput!) { inviteToOrganization(input: $i) { invitation { id } userErrors { field message } } }`, { i: { organizationId, username, role } }, by);
          await run(`mutation($i: InvitationIdInput!) { acceptInvitation(input: $i) { invitation { id } userErrors { field message } } }`, { i: { id: r.inviteToOrganization.invitation.id } }, username);
          return true;
        },
      );
    // An organization that was there before the seed belongs to someone else: its demo owner is
    // made an owner (by the admin), so the demo's invitations and groups in it work.
    const org = async (slug: string, name: string, owner: string, parentId?: string) => {
      const id = await ensure(
        async () => (await orgState(slug))?.id,
        async () =>
          (await run(`mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id } userErrors { field message } } }`, { i: { slug, name, parentId } }, owner))
            .createOrganization.organization.id as string,
      );
      if (!parentId) await join(slug, owner, 'OWNER', 'admin');
      return id;
    };
    const acme = await org('acme', 'Acme Corporation', 'alice');
    const eng = await org('acme.engineering', 'Acme Engineering', 'alice', acme);
    await org('acme.engineering.web', 'Web team', 'alice', eng);
    await org('acme.sales', 'Acme Sales', 'alice', acme);
    const globex = await org('globex', 'Globex', 'bob');

    await join('acme', 'bob', 'ADMIN', 'alice');
    await join('acme', 'carol', 'MEMBER', 'alice');
    await join('acme.engineering', 'dave', 'MEMBER', 'alice');
    await join('globex', 'erin', 'MEMBER', 'bob');

    const group = (slug: string, name: string, memberIds: string[], adminIds: string[], as: string) =>
      ensure(
        async () => (await orgState(slug))!.groups.nodes.some((g) => g.name === name) || null,
        async () => {
          const organizationId = (await orgState(slug))!.id;
          await run(`mutation($i: CreateGroupInput!) { createGroup(input: $i) { group { id } userErrors { field message } } }`, { i: { organizationId, name, memberIds, adminIds } }, as);
          return true;
        },
      );
    await group('acme', 'Everyone', [ids.alice!, ids.bob!, ids.carol!], [ids.alice!], 'alice');
    await group('acme.engineering', 'Engineering', [ids.alice!, ids.dave!], [ids.dave!], 'alice');
    await group('globex', 'Founders', [ids.bob!, ids.erin!], [ids.bob!], 'bob');

    // A message is the sender's message with that subject; a new one is read once by `readBy`.
    const message = (as: string, subject: string, recipientIds: string[], organizationId: string, readBy?: string) =>
      ensure(
        async () => {
          const r = await run(`{ viewer { ownedMessages(first: 100) { nodes { id metadata } } } }`, {}, as);
          return (r.viewer.ownedMessages.nodes as { metadata: { subject?: string } | null }[]).some((m) => m.metadata?.subject === subject) || null;
        },
        async () => {
          const r = await run(`mutation($i: CreateMessageInput!) { createMessage(input: $i) { message { id } userErrors { field message } } }`, { i: { metadata: { subject }, recipientIds, organizationId } }, as);
          const messageId = r.createMessage.message.id as string;
          if (readBy) await run(`mutation($i: RecordMessageReadInput!) { recordMessageRead(input: $i) { message { id } userErrors { field message } } }`, { i: { messageId } }, readBy);
          return true;
        },
      );
    await message('alice', 'Quarterly plan', [ids.bob!, ids.carol!], acme, 'bob');
    await message('dave', 'Release notes', [ids.alice!], eng);
    await message('bob', 'Welcome to Globex', [ids.erin!], globex);

    // A pending invitation by email, with its message waiting in the outbox.
    await ensure(
      async () => (await orgState('acme'))!.invitations.nodes.some((i) => i.inviteeIdentifier === 'frank@example.com' && i.status === 'PENDING') || null,
      async () => {
        await run(`mutation($i: InviteToOrganizationInput!) { inviteToOrganization(input: $i) { invitation { id } userErrors { field message } } }`, { i: { organizationId: acme, email: 'frank@example.com', role: 'MEMBER' } }, 'alice');
        return true;
      },
    );
    log(
      kit.added === 0
        ? 'demo data already present: nothing to do'
        : `demo data: added ${kit.added} missing entities of ${DEMO_USERS.length} users (password "<username>-demo-password"), 5 organizations, 4 memberships, 3 groups, 3 messages, 1 pending invitation`,
    );
    return kit.added > 0;
  } finally {
    await kit.close();
  }
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(err.message + '\n');
      process.exit(78);
    }
    throw err;
  }
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolMax: 2 });
  try {
    await handle.migrate();
    await bootstrap(handle.db, config);
    await seedDemo(handle.db, config);
    // Each dialect's own demo data (src/tools/seed-<dialect>.ts): one line each, idempotent like
    // seedDemo (a seedKit's ensure() skips what exists).
    await seedSealdDemo(handle.db, config);
    await seedIyoDemo(handle.db, config);
  } finally {
    await handle.close();
  }
}

/** The Itsyouonline demo (seed-iyo.ts), written as alice through a seed kit. */
export async function seedIyoDemo(db: Database, config: Config, log: (s: string) => void = console.log): Promise<void> {
  const kit = await seedKit(db, config);
  try {
    await kit.actAs('alice');
    await seedIyo(kit.run, log);
  } finally {
    await kit.close();
  }
}

if (process.argv[1]?.endsWith('seed.js')) {
  main().catch((err) => {
    if (err instanceof DataDirLockedError) {
      // The usual case: the gateway runs on the default embedded database. It is the only one
      // that may open it, so the seed cannot write beside it.
      process.stderr.write(
        `npm run seed: the embedded database in ${err.dataDir} is open in process ${err.holder.pid} (${err.holder.command}).\n` +
          `Stop that process (Ctrl-C in its terminal, or kill ${err.holder.pid}), run \`npm run seed\`, then start the gateway again; ` +
          `or run the gateway and the seed on PostgreSQL (DATABASE_URL), where they can share the database.\n`,
      );
      process.exit(DATA_DIR_LOCKED_EXIT);
    }
    process.stderr.write(`seed failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
