// The Seald dashboard's demo team for `npm run seed` (src/tools/seed.ts calls it): a team
// (`seald-demo`) with its administrator and a member, a team API key (printed once), a domain
// validation key, a prevalidated connector, invited emails, a JWT shared secret, sign-in attempts
// and the events all of that leaves; then (part 2) devices, messages with per-device keys,
// accesses and an entrusted key, a backup admin key with a backup, and lost accounts in several
// states. Written through the real GraphQL operations, as the seed's
// other data is. Idempotent: when the team exists nothing is done (but a team seeded before part 2
// gets part 2's data once, when it has no admin key yet); its users are reused when they exist.
import { graphql, type GraphQLSchema } from 'graphql';
import type { Config } from '../config.js';
import { createAuthz, type AppDeps, type Context } from '../context.js';
import { AccessTokens } from '../core/auth/jwt.js';
import type { Principal } from '../core/auth/principal.js';
import type { Database } from '../core/db.js';
import { RateLimits } from '../core/rate-limit/index.js';
import { createLoaders } from '../loaders.js';
import { authenticate } from '../modules/auth/auth.service.js';
import { findOrganizationBySlug } from '../modules/organizations/organization.repo.js';
import { findUserByUsername } from '../modules/users/user.repo.js';
import { countAdminKeys } from '../modules/recovery/recovery.repo.js';
import { fromGlobalId, toGlobalId } from '../core/graphql/node.js';
import { findEffectiveRoles } from '../modules/organizations/organization.repo.js';
import { randomBytes } from 'node:crypto';
import { buildSchema } from '../schema.js';
import { seedSealdKeys } from './seed-seald-keys.js';

export const SEALD_TEAM = 'seald-demo';
export const SEALD_DOMAIN = 'seald-demo.example.com';
const ADMIN = 'sealdadmin';
const MEMBER = 'sealdmember';
const LOST = 'sealdlost';
export const sealdDemoPassword = (username: string) => `${username}-demo-password`;

/** One operation as `principal`; throws on errors and userErrors (the seed must not half-succeed silently). */
async function exec(schema: GraphQLSchema, deps: AppDeps, principal: Principal, source: string, variables: Record<string, unknown> = {}): Promise<any> {
  const ctx: Context = { requestId: 'seed-seald', ip: '127.0.0.1', userAgent: 'npm run seed', db: deps.db, deps, principal, authz: createAuthz(deps.db, principal), loaders: createLoaders(deps.db) };
  const r = await graphql({ schema, source, variableValues: variables, contextValue: ctx });
  const userErrors = (Object.values(r.data ?? {})[0] as { userErrors?: { message: string }[] } | null)?.userErrors ?? [];
  if (r.errors?.length || userErrors.length) throw new Error(`seed-seald: ${source.slice(0, 50)}…: ${[...(r.errors ?? []), ...userErrors].map((e) => e.message).join('; ')}`);
  return r.data;
}

export async function seedSealdDemo(db: Database, config: Config, log: (s: string) => void = console.log): Promise<boolean> {
  const existing = await findOrganizationBySlug(db, SEALD_TEAM);
  if (existing) {
    // A team seeded before part 2 existed gets its messages and recovery data once.
    if ((await countAdminKeys(db, existing.id)) > 0) {
      log('seald demo team already present: nothing to do');
      return false;
    }
    return withDeps(db, config, async (run, schemaDeps) => {
      const teamAdmin = await principalOf(db, ADMIN);
      const key = (await run(teamAdmin, `mutation($i: CreatePersonalAccessTokenInput!) { createPersonalAccessToken(input: $i) { token userErrors { message } } }`, { i: { username: ADMIN, name: 'seald demo key (messages and recovery)', scopes: ['API'], organizationId: toGlobalId('Organization', existing.id) } }))
        .createPersonalAccessToken.token as string;
      await seedSealdMessagesAndRecovery(db, config, run, await authenticate(schemaDeps, key), toGlobalId('Organization', existing.id));
      log(`seald demo team "${SEALD_TEAM}": messages, admin keys, backup keys and lost accounts added`);
      return true;
    });
  }
  const schema = await buildSchema();
  const accessTokens = await AccessTokens.load(db, { privateKeyPem: config.jwt.privateKeyPem, issuer: config.jwt.issuer, ttlSeconds: config.jwt.accessTokenTtlSeconds });
  const rateLimits = await RateLimits.open(db, config);
  const deps: AppDeps = { db, config, accessTokens, rateLimits };
  try {
    const admin = await findUserByUsername(db, config.admin.username);
    if (!admin) throw new Error('seed-seald: the instance admin is missing (run the bootstrap first)');
    const asUser = (u: { id: string; username: string; isAdmin: boolean }): Principal => ({ kind: 'user', userId: u.id, username: u.username, isInstanceAdmin: u.isAdmin, credential: { type: 'access_token', expiresAt: new Date(Date.now() + 3600_000) } });
    const run = (p: Principal, source: string, variables?: Record<string, unknown>) => exec(schema, deps, p, source, variables);

    for (const name of [ADMIN, MEMBER]) {
      if (await findUserByUsername(db, name)) continue;
      await run(asUser(admin), `mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } userErrors { message } } }`, {
        i: { username: name, email: `${name}@example.com`, skipConfirmation: true, password: sealdDemoPassword(name), displayName: name === ADMIN ? 'Seald Admin' : 'Seald Member' },
      });
    }
    const teamAdmin = asUser((await findUserByUsername(db, ADMIN))!);
    const member = asUser((await findUserByUsername(db, MEMBER))!);
    const team = (await run(teamAdmin, `mutation { createOrganization(input: { slug: "${SEALD_TEAM}", name: "Seald demo team" }) { organization { id } userErrors { message } } }`)).createOrganization.organization.id as string;
    const invite = await run(teamAdmin, `mutation($i: InviteToOrganizationInput!) { inviteToOrganization(input: $i) { invitation { id } userErrors { message } } }`, { i: { organizationId: team, username: MEMBER } });
    await run(member, `mutation($i: InvitationIdInput!) { acceptInvitation(input: $i) { invitation { id } userErrors { message } } }`, { i: { id: invite.inviteToOrganization.invitation.id } });

    // The team's API key: what X-DASHBOARD-API-KEY carries. Shown this once.
    const key = (await run(teamAdmin, `mutation($i: CreatePersonalAccessTokenInput!) { createPersonalAccessToken(input: $i) { token userErrors { message } } }`, { i: { username: ADMIN, name: 'seald demo key', scopes: ['API'], organizationId: team } }))
      .createPersonalAccessToken.token as string;
    const asTeam = await authenticate(deps, key);
    const dk = (await run(asTeam, `mutation { createDomainValidationKey(input: { domain: "${SEALD_DOMAIN}" }) { domainValidationKey { uuid } userErrors { message } } }`)).createDomainValidationKey.domainValidationKey.uuid as string;
    await run(asTeam, `mutation($i: CreateConnectorInput!) { createConnector(input: $i) { connector { uuid } userErrors { message } } }`, {
      i: { type: 'EMAIL', value: `${MEMBER}@${SEALD_DOMAIN}`, userId: (await run(member, `{ viewer { id } }`)).viewer.id, domainValidationKeyId: dk, force: false },
    });
    for (const email of ['new-hire@example.com', 'contractor@example.com']) {
      await run(asTeam, `mutation($i: InviteTeamEmailInput!) { inviteTeamEmail(input: $i) { invitation { id } userErrors { message } } }`, { i: { email } });
    }
    await run(asTeam, `mutation { createJwtSharedSecret(input: { permissions: [2] }) { jwtSharedSecret { uuid } userErrors { message } } }`);
    // Devices with keys, a revoked one, a group with key copies, its sigchain and a renewal (issue 24).
    await seedSealdKeys(run, { admin: teamAdmin, member, asTeam }, team);
    // Sign-in attempts for the login log: one failed, one that works.
    await exec(schema, deps, { kind: 'anonymous' }, `mutation { login(input: { login: "${MEMBER}", password: "not-the-password" }) { userErrors { code } } }`).catch(() => undefined);
    await run({ kind: 'anonymous' }, `mutation { login(input: { login: "${MEMBER}", password: "${sealdDemoPassword(MEMBER)}" }) { accessToken userErrors { message } } }`);
    await seedSealdMessagesAndRecovery(db, config, run, asTeam, team);
    log(`seald demo team "${SEALD_TEAM}": ${ADMIN} / ${MEMBER} (password "<username>-demo-password"); its API key (X-DASHBOARD-API-KEY), shown once: ${key}`);
    return true;
  } finally {
    await rateLimits.close();
  }
}

type Run = (p: Principal, source: string, variables?: Record<string, unknown>) => Promise<any>;

const asUserRow = (u: { id: string; username: string; isAdmin: boolean }): Principal => ({ kind: 'user', userId: u.id, username: u.username, isInstanceAdmin: u.isAdmin, credential: { type: 'access_token', expiresAt: new Date(Date.now() + 3600_000) } });

async function principalOf(db: Database, username: string): Promise<Principal> {
  const u = await findUserByUsername(db, username);
  if (!u) throw new Error(`seed-seald: ${username} is missing`);
  return asUserRow(u);
}

/** The seed's dependencies for one run (schema, tokens, rate limits), closed afterwards. */
async function withDeps<T>(db: Database, config: Config, body: (run: Run, deps: AppDeps) => Promise<T>): Promise<T> {
  const schema = await buildSchema();
  const accessTokens = await AccessTokens.load(db, { privateKeyPem: config.jwt.privateKeyPem, issuer: config.jwt.issuer, ttlSeconds: config.jwt.accessTokenTtlSeconds });
  const rateLimits = await RateLimits.open(db, config);
  const deps: AppDeps = { db, config, accessTokens, rateLimits };
  try {
    return await body((p, source, variables) => exec(schema, deps, p, source, variables), deps);
  } finally {
    await rateLimits.close();
  }
}

/** Key material as an SDK would send it: random bytes, base64 (nothing here can decrypt it). */
const keyBytes = (n: number) => randomBytes(n).toString('base64');

/**
 * Part 2 of the demo team: devices with public keys, messages with per-device keys, accesses,
 * an entrusted key and a read; a backup admin key with a member's backup; lost accounts in the
 * states 0, 4, 5 and 6. `asTeam` is the team admin's API-key principal; `team` its global ID.
 */
async function seedSealdMessagesAndRecovery(db: Database, config: Config, run: Run, asTeam: Principal, team: string): Promise<void> {
  const admin = await principalOf(db, ADMIN);
  const member = await principalOf(db, MEMBER);
  if (!(await findUserByUsername(db, LOST))) {
    await run(await principalOf(db, config.admin.username), `mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } userErrors { message } } }`, {
      i: { username: LOST, email: `${LOST}@example.com`, skipConfirmation: true, password: sealdDemoPassword(LOST), displayName: 'Seald Lost Devices' },
    });
  }
  const lost = await principalOf(db, LOST);
  const teamUuid = fromGlobalId(team)!.id;
  if (!(await findEffectiveRoles(db, (lost as { userId: string }).userId, [teamUuid])).has(teamUuid)) {
    const invite = await run(admin, `mutation($i: InviteToOrganizationInput!) { inviteToOrganization(input: $i) { invitation { id } userErrors { message } } }`, { i: { organizationId: team, username: LOST } });
    await run(lost, `mutation($i: InvitationIdInput!) { acceptInvitation(input: $i) { invitation { id } userErrors { message } } }`, { i: { id: invite.inviteToOrganization.invitation.id } });
  }
  const userGid = (p: Principal) => toGlobalId('User', (p as { userId: string }).userId);

  // Devices: the user's newest active one (the key side of the seed registered them), else one
  // registered now, as the SDK does (registerDevice: the user's sigchain records it).
  const device = async (p: Principal, name: string): Promise<string> => {
    const newest = await run(asTeam, `query($u: ID!) { devicePublicKeys(userId: $u) { id } }`, { u: userGid(p) });
    if (newest.devicePublicKeys) return newest.devicePublicKeys.id as string;
    const made = await run(p, `mutation($i: RegisterDeviceInput!) { registerDevice(input: $i) { device { id } userErrors { message } } }`, {
      i: { name, encryptionPublicKey: keyBytes(294), signingPublicKey: keyBytes(294) },
    });
    return made.registerDevice.device.id as string;
  };
  const adminLaptop = await device(admin, 'admin laptop');
  const memberPhone = await device(member, 'member phone');
  const lostOld = await device(lost, 'lost old phone');

  const message = async (p: Principal, recipients: Principal[], devices: string[], metadata: Record<string, unknown>, emails: string[] = []) =>
    (
      await run(p, `mutation($i: CreateMessageInput!) { createMessage(input: $i) { message { id } userErrors { message } } }`, {
        i: { organizationId: team, recipientIds: recipients.map(userGid), recipientEmails: emails, metadata, keys: devices.map((deviceId) => ({ deviceId, encryptedMessageKey: keyBytes(256) })) },
      })
    ).createMessage.message.id as string;
  await message(admin, [member], [adminLaptop, memberPhone], { title: 'Welcome to the team' });
  const shared = await message(member, [admin], [memberPhone, adminLaptop], { title: 'Contract draft' }, ['lawyer@example.org']);
  await run(asTeam, `mutation($i: AddMessageEntrustedKeyInput!) { addMessageEntrustedKey(input: $i) { entrustedKey { id } userErrors { message } } }`, { i: { messageId: shared, email: 'lawyer@example.org', messageKey: keyBytes(256) } });
  await run(admin, `mutation($i: RecordMessageReadInput!) { recordMessageRead(input: $i) { access { readCount } userErrors { message } } }`, { i: { messageId: shared } });
  for (const title of ['Payslip', 'Onboarding notes']) await message(admin, [lost], [adminLaptop, lostOld], { title });

  // A backup admin key, and the member's backup for it (the lost user has none: notify_missing has someone to mail).
  const adminKey = (await run(asTeam, `mutation($i: CreateAdminKeyInput!) { createAdminKey(input: $i) { adminKey { id } userErrors { message } } }`, { i: { name: 'Demo backup key', encryptedAdminKey: keyBytes(1200), publicAdminKey: keyBytes(294) } }))
    .createAdminKey.adminKey.id as string;
  await run(member, `mutation($i: CreateBackupKeyInput!) { createBackupKey(input: $i) { backupKey { id } userErrors { message } } }`, { i: { organizationId: team, adminKeyId: adminKey, deviceId: memberPhone, encryptedBackupKey: keyBytes(1200) } });

  // Lost accounts: the lost user's first recovery cancelled (5), the second one done (4); the member's first superseded (6) by an open one (0).
  const open = async (p: Principal) =>
    (await run(asTeam, `mutation($i: CreateLostAccountInput!) { createLostAccount(input: $i) { lostAccount { id } userErrors { message } } }`, { i: { userId: userGid(p), deviceName: 'new phone', encryptionPublicKey: keyBytes(294), signingPublicKey: keyBytes(294) } }))
      .createLostAccount.lostAccount.id as string;
  const step = (mutation: string, input: string, i: Record<string, unknown>) => run(asTeam, `mutation($i: ${input}!) { ${mutation}(input: $i) { lostAccount { state } userErrors { message } } }`, { i });
  const cancelled = await open(lost);
  await step('lostAccountCreateDevice', 'LostAccountCreateDeviceInput', { lostAccountId: cancelled, deviceName: 'phone (abandoned)' });
  await step('cancelLostAccount', 'LostAccountIdInput', { lostAccountId: cancelled });
  const recovered = await open(lost);
  await step('lostAccountCreateDevice', 'LostAccountCreateDeviceInput', { lostAccountId: recovered, deviceName: 'new phone' });
  await step('lostAccountValidateSigchain', 'LostAccountValidateSigchainInput', { lostAccountId: recovered, sigchainTransaction: { type: 'add_device', signature: keyBytes(64) }, force: false });
  const missing = (await run(asTeam, `query($id: ID!) { teamLostAccount(id: $id) { missingMessageKeys { items { messageId } } } }`, { id: recovered })).teamLostAccount.missingMessageKeys.items as { messageId: string }[];
  await step('lostAccountAddMissingKeys', 'LostAccountAddMissingKeysInput', { lostAccountId: recovered, keys: missing.map((m) => ({ messageId: m.messageId, token: keyBytes(256) })) });
  await open(member);
  await open(member);
}
