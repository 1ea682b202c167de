// A fluent seed helper for tests: real rows through the real repositories, no mocks.
//   const s = seed(t); const alice = await s.user('alice'); const acme = await s.org('acme', { owner: alice });
//   await s.member(acme, bob, 'admin'); const jwt = await s.tokenFor(alice);
import type { Role } from '../../src/core/auth/policy.js';
import { fromGlobalId, toGlobalId } from '../../src/core/graphql/node.js';
import { insertMembership, insertOrganization, type OrganizationRow } from '../../src/modules/organizations/organization.repo.js';
import type { UserRow } from '../../src/modules/users/user.repo.js';
import type { TestGateway } from './gateway.js';

export interface Seed {
  /** A user with password `<username>-password` and email `<username>@example.com`. */
  user(username: string, opts?: { isAdmin?: boolean; state?: 'active' | 'blocked' | 'disabled'; email?: string | null }): Promise<UserRow>;
  org(slug: string, opts?: { owner?: UserRow; parent?: OrganizationRow; name?: string }): Promise<OrganizationRow>;
  member(org: OrganizationRow, user: UserRow, role?: Role): Promise<void>;
  /** A fresh access token for the user (through the real login mutation). */
  tokenFor(user: UserRow): Promise<string>;
  /** An API token of the user bound to `org` (a team's API key in the Seald dialect), through the graph. */
  apiKey(user: UserRow, org: OrganizationRow): Promise<string>;
  /** A device of the user with (distinct, base64) public keys, registered as the SDK does: the graph's registerDevice. */
  device(user: UserRow, name: string): Promise<{ id: string }>;
  gid(type: string, row: { id: string }): string;
}

/** Distinct base64 key material for `name` (48 bytes, as the tests' public keys are). */
const keyOf = (name: string) => Buffer.from(name.repeat(48).slice(0, 48)).toString('base64');

export function seed(t: TestGateway): Seed {
  return {
    async user(username, opts = {}) {
      return t.createUser({
        username,
        password: `${username}-password`,
        email: opts.email === null ? undefined : (opts.email ?? `${username}@example.com`),
        isAdmin: opts.isAdmin,
        state: opts.state,
      });
    },
    async org(slug, opts = {}) {
      const org = await insertOrganization(t.db.db, { slug, name: opts.name ?? `Org ${slug}`, parentId: opts.parent?.id ?? null });
      if (opts.owner) await insertMembership(t.db.db, { userId: opts.owner.id, organizationId: org.id, role: 'owner' });
      return org;
    },
    async member(org, user, role = 'member') {
      await insertMembership(t.db.db, { userId: user.id, organizationId: org.id, role });
    },
    tokenFor: (user) => t.login(user.username, `${user.username}-password`),
    async apiKey(user, org) {
      const token = await t.login(user.username, `${user.username}-password`);
      const r = await t.gql(`mutation($i: CreatePersonalAccessTokenInput!) { createPersonalAccessToken(input: $i) { token userErrors { message } } }`, {
        i: { username: user.username, name: 'test key', scopes: ['API'], organizationId: toGlobalId('Organization', org.id) },
      }, { token });
      const made = r.body.data?.createPersonalAccessToken;
      if (!made?.token) throw new Error(`createPersonalAccessToken failed: ${JSON.stringify(r.body)}`);
      return made.token as string;
    },
    async device(user, name) {
      const token = await t.login(user.username, `${user.username}-password`);
      const r = await t.gql(`mutation($i: RegisterDeviceInput!) { registerDevice(input: $i) { device { id } userErrors { code field message } } }`, {
        i: { name, encryptionPublicKey: keyOf(`e${name}`), signingPublicKey: keyOf(`s${name}`) },
      }, { token });
      const made = r.body.data?.registerDevice;
      if (!made?.device || made.userErrors.length) throw new Error(`registerDevice failed: ${JSON.stringify(r.body)}`);
      return { id: fromGlobalId(made.device.id)!.id };
    },
    gid: (type, row) => toGlobalId(type, row.id),
  };
}
