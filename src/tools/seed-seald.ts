// The Seald dashboard's demo team for `npm run seed` (src/tools/seed.ts calls it): a team
// (`seald-demo`) with its administrator and a member, a team API key (printed once), a domain
// validation key, a prevalidated connector, invited emails, a JWT shared secret, sign-in attempts
// and the events all of that leaves. Written through the real GraphQL operations, as the seed's
// other data is. Idempotent: when the team exists nothing is done; its users are reused when they
// exist already.
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
import { buildSchema } from '../schema.js';
import { seedSealdKeys } from './seed-seald-keys.js';

export const SEALD_TEAM = 'seald-demo';
export const SEALD_DOMAIN = 'seald-demo.example.com';
const ADMIN = 'sealdadmin';
const MEMBER = 'sealdmember';
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
  if (await findOrganizationBySlug(db, SEALD_TEAM)) {
    log('seald demo team already present: nothing to do');
    return false;
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
    log(`seald demo team "${SEALD_TEAM}": ${ADMIN} / ${MEMBER} (password "<username>-demo-password"); its API key (X-DASHBOARD-API-KEY), shown once: ${key}`);
    return true;
  } finally {
    await rateLimits.close();
  }
}
