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
});
