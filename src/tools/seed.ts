// npm run seed — a small demo data set to explore in GraphiQL: organizations with
// sub-organizations, users, groups, an invitation, messages and the events they leave. Written
// through the real GraphQL mutations (so every rule, event row and outbox message applies),
// as the instance admin, on the configured database (PGlite in ./data by default).
import 'reflect-metadata';
import { graphql, type GraphQLSchema } from 'graphql';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { createAuthz, type AppDeps, type Context } from '../context.js';
import { AccessTokens } from '../core/auth/jwt.js';
import type { Principal } from '../core/auth/principal.js';
import { openDatabase, type Database } from '../core/db.js';
import { RateLimits } from '../core/rate-limit/index.js';
import { createLoaders } from '../loaders.js';
import { bootstrap } from '../modules/bootstrap/bootstrap.service.js';
import { findUserByUsername } from '../modules/users/user.repo.js';
import { buildSchema } from '../schema.js';
import { seedIyo } from './seed-iyo.js';

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

export async function seedDemo(db: Database, config: Config, log: (s: string) => void = console.log): Promise<boolean> {
  if (await findUserByUsername(db, 'alice')) {
    log('demo data already present: nothing to do');
    return false;
  }
  const schema = await buildSchema();
  const accessTokens = await AccessTokens.load(db, { privateKeyPem: config.jwt.privateKeyPem, issuer: config.jwt.issuer, ttlSeconds: config.jwt.accessTokenTtlSeconds });
  // The seed signs nobody in and is charged nothing; services still expect the process's limits.
  const rateLimits = await RateLimits.open(db, config);
  const deps: AppDeps = { db, config, accessTokens, rateLimits };
  const principals = new Map<string, Principal>([['admin', await principalOf(db, config.admin.username)]]);
  const run = runner(schema, deps, principals);

  const ids: Record<string, string> = {};
  for (const name of DEMO_USERS) {
    const r = await run(`mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } userErrors { field message } } }`, {
      i: { username: name, email: `${name}@example.com`, skipConfirmation: true, password: demoPassword(name), displayName: name[0]!.toUpperCase() + name.slice(1) },
    });
    ids[name] = r.createUser.user.id;
    principals.set(name, await principalOf(db, name));
  }

  const org = async (slug: string, name: string, as: string, parentId?: string) =>
    (await run(`mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id } userErrors { field message } } }`, { i: { slug, name, parentId } }, as))
      .createOrganization.organization.id as string;
  const acme = await org('acme', 'Acme Corporation', 'alice');
  const eng = await org('acme.engineering', 'Acme Engineering', 'alice', acme);
  await org('acme.engineering.web', 'Web team', 'alice', eng);
  await org('acme.sales', 'Acme Sales', 'alice', acme);
  const globex = await org('globex', 'Globex', 'bob');

  // Members join the way people do: an owner invites, the invitee accepts.
  const join = async (organizationId: string, username: string, role: string, by: string) => {
    const r = await run(`mutation($i: InviteToOrganizationInput!) { inviteToOrganization(input: $i) { invitation { id } userErrors { field message } } }`, { i: { organizationId, username, role } }, by);
    await run(`mutation($i: InvitationIdInput!) { acceptInvitation(input: $i) { invitation { id } userErrors { field message } } }`, { i: { id: r.inviteToOrganization.invitation.id } }, username);
  };
  await join(acme, 'bob', 'ADMIN', 'alice');
  await join(acme, 'carol', 'MEMBER', 'alice');
  await join(eng, 'dave', 'MEMBER', 'alice');
  await join(globex, 'erin', 'MEMBER', 'bob');

  const group = async (organizationId: string, name: string, memberIds: string[], adminIds: string[], as: string) =>
    run(`mutation($i: CreateGroupInput!) { createGroup(input: $i) { group { id } userErrors { field message } } }`, { i: { organizationId, name, memberIds, adminIds } }, as);
  await group(acme, 'Everyone', [ids.alice!, ids.bob!, ids.carol!], [ids.alice!], 'alice');
  await group(eng, 'Engineering', [ids.alice!, ids.dave!], [ids.dave!], 'alice');
  await group(globex, 'Founders', [ids.bob!, ids.erin!], [ids.bob!], 'bob');

  const message = async (as: string, subject: string, recipientIds: string[], organizationId?: string) =>
    (await run(`mutation($i: CreateMessageInput!) { createMessage(input: $i) { message { id } userErrors { field message } } }`, { i: { metadata: { subject }, recipientIds, organizationId } }, as)).createMessage
      .message.id as string;
  const m1 = await message('alice', 'Quarterly plan', [ids.bob!, ids.carol!], acme);
  await message('dave', 'Release notes', [ids.alice!], eng);
  await message('bob', 'Welcome to Globex', [ids.erin!], globex);
  await run(`mutation($i: RecordMessageReadInput!) { recordMessageRead(input: $i) { message { id } userErrors { field message } } }`, { i: { messageId: m1 } }, 'bob');

  // A pending invitation by email, with its message waiting in the outbox.
  await run(
    `mutation($i: InviteToOrganizationInput!) { inviteToOrganization(input: $i) { invitation { id } userErrors { field message } } }`,
    { i: { organizationId: acme, email: 'frank@example.com', role: 'MEMBER' } },
    'alice',
  );
  await seedIyo(run, log);
  log(`demo data: ${DEMO_USERS.length} users (password "<username>-demo-password"), 5 organizations, 3 groups, 3 messages, 5 invitations`);
  await rateLimits.close();
  return true;
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
  } finally {
    await handle.close();
  }
}

if (process.argv[1]?.endsWith('seed.js')) {
  main().catch((err) => {
    process.stderr.write(`seed failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
