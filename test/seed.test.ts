// npm run seed: the demo data goes in through the real mutations, once, on either driver.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/core/db.js';
import { demoPassword, seedDemo } from '../src/tools/seed.js';
import { DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';

describe.each(DRIVERS)('demo seed on %s', (driver) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(driver);
  });
  afterAll(() => t.close());

  it('creates a small connected graph that a demo user can explore, and is idempotent', async () => {
    expect(await seedDemo(t.db.db, t.config, () => {})).toBe(true);
    expect(await seedDemo(t.db.db, t.config, () => {})).toBe(false);
    const token = await t.login('alice', demoPassword('alice'));
    const r = await t.gql(
      `{ organization(slug: "acme") { children { nodes { slug children { nodes { slug } } } } memberships { nodes { role user { username } } } groups { nodes { name } } invitations { nodes { status inviteeIdentifier } } }
         viewer { ownedMessages { nodes { metadata accesses { user { username } readCount } } } } }`,
      {},
      { token },
    );
    expect(r.body.errors).toBeUndefined();
    const acme = r.body.data.organization;
    expect(acme.children.nodes.map((c: { slug: string }) => c.slug)).toEqual(['acme.engineering', 'acme.sales']);
    expect(acme.children.nodes[0].children.nodes).toEqual([{ slug: 'acme.engineering.web' }]);
    expect(acme.memberships.nodes.map((m: { role: string; user: { username: string } }) => `${m.user.username}:${m.role}`)).toEqual(['alice:OWNER', 'bob:ADMIN', 'carol:MEMBER']);
    expect(acme.groups.nodes).toEqual([{ name: 'Everyone' }]);
    expect(acme.invitations.nodes.some((i: { status: string; inviteeIdentifier: string }) => i.status === 'PENDING' && i.inviteeIdentifier === 'frank@example.com')).toBe(true);
    const [msg] = r.body.data.viewer.ownedMessages.nodes;
    expect(msg.metadata).toEqual({ subject: 'Quarterly plan' });
    expect(msg.accesses.find((a: { user: { username: string } }) => a.user.username === 'bob').readCount).toBe(1);
    const [events] = rowsOf<{ n: number }>(await t.db.db.execute(sql`select count(*)::int as n from event_logs`));
    expect(Number(events!.n)).toBeGreaterThan(20);
  });

  it('adds only what is missing, per entity: a deleted user comes back with their membership, the rest stays as it is', async () => {
    const admin = t.config.admin.token!;
    const before = await t.gql(`{ user(username: "erin") { id } organization(slug: "globex") { memberships { totalCount } groups { totalCount } } }`, {}, { token: admin });
    expect(before.body.data.organization.memberships.totalCount).toBe(2);
    const del = await t.gql(`mutation($i: UserIdInput!) { deleteUser(input: $i) { userErrors { message } } }`, { i: { id: before.body.data.user.id } }, { token: admin });
    expect(del.body.errors).toBeUndefined();
    const logs: string[] = [];
    expect(await seedDemo(t.db.db, t.config, (l) => logs.push(l))).toBe(true);
    expect(logs.join()).toMatch(/added 2 missing/); // erin, and her membership of globex
    const after = await t.gql(`{ user(username: "erin") { id } organization(slug: "globex") { memberships { nodes { user { username } } } groups { totalCount } } }`, {}, { token: admin });
    expect(after.body.data.user.id).not.toBe(before.body.data.user.id);
    expect(after.body.data.organization.memberships.nodes.map((m: { user: { username: string } }) => m.user.username).sort()).toEqual(['bob', 'erin']);
    expect(after.body.data.organization.groups.totalCount).toBe(1);
    expect(await seedDemo(t.db.db, t.config, () => {})).toBe(false);
  });
});

describe('demo seed on a database that already holds some of its names', () => {
  it('keeps what is there and adds the rest (it used to fail on an existing username)', async () => {
    const t = await startTestGateway('pglite');
    try {
      await t.createUser({ username: 'carol', password: 'carols-own-password', email: 'carol@elsewhere.example' });
      await t.gql(`mutation { createOrganization(input: { slug: "globex", name: "Globex (already here)" }) { organization { id } } }`, {}, { token: t.config.admin.token! });
      expect(await seedDemo(t.db.db, t.config, () => {})).toBe(true);
      // carol keeps her own password; the seed joined her to acme all the same.
      await t.login('carol', 'carols-own-password');
      const r = await t.gql(`{ organization(slug: "globex") { name } acme: organization(slug: "acme") { memberships { nodes { user { username } } } } }`, {}, { token: t.config.admin.token! });
      expect(r.body.data.organization.name).toBe('Globex (already here)');
      expect(r.body.data.acme.memberships.nodes.map((m: { user: { username: string } }) => m.user.username)).toContain('carol');
      expect(await seedDemo(t.db.db, t.config, () => {})).toBe(false);
    } finally {
      await t.close();
    }
  });
});
