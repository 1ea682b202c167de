// The event log: who sees which events (instance admins all, organization admins their
// organization's, users their own), the dashboard filters, most-recent-first keyset pages
// (exact to the microsecond), the relations on User, Organization and Message, and the
// benchmark "logs" query in a flat number of statements.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageRow } from '../src/modules/messages/message.repo.js';
import type { OrganizationRow } from '../src/modules/organizations/organization.repo.js';
import type { UserRow } from '../src/modules/users/user.repo.js';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { seedContent, type ContentSeed } from './helpers/seed-content.js';
import { seed, type Seed } from './helpers/seed.js';

const LIST = `query($f: EventLogFilterInput, $first: Int, $after: String, $last: Int, $before: String) {
  eventLogs(filter: $f, first: $first, after: $after, last: $last, before: $before) {
    nodes { id action occurredAt email ip geo deviceId user { username } user2 { username } message { id } organization { slug } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount } }`;

describe.each(DRIVERS)('event logs on %s', (driver) => {
  let t: TestGateway;
  let s: Seed;
  let c: ContentSeed;
  const u: Record<string, UserRow> = {};
  const tok: Record<string, string> = {};
  let acme: OrganizationRow;
  let msg: MessageRow;
  const at = (min: number) => new Date(Date.UTC(2024, 0, 1, 0, min));

  beforeAll(async () => {
    t = await startTestGateway(driver);
    s = seed(t);
    c = seedContent(t);
    for (const name of ['ann', 'ben', 'boss', 'zed']) {
      u[name] = await s.user(name);
      tok[name] = await s.tokenFor(u[name]);
    }
    acme = await s.org('acme', { owner: u.boss });
    await s.member(acme, u.ann);
    msg = await c.message(u.ann, { recipients: [u.ben], organization: acme });
    await c.event({ action: 'message.create', occurredAt: at(1), actorUserId: u.ann.id, messageId: msg.id, organizationId: acme.id, ip: '203.0.113.1', geo: { country: 'FR' } });
    await c.event({ action: 'message.read', occurredAt: at(2), actorUserId: u.ben.id, messageId: msg.id, organizationId: acme.id });
    await c.event({ action: 'message.revoke', occurredAt: at(3), actorUserId: u.ann.id, user2Id: u.ben.id, messageId: msg.id, organizationId: acme.id });
    await c.event({ action: 'login', occurredAt: at(4), actorUserId: u.zed.id, email: 'Zed@Example.com' });
    await c.event({ action: 'message.revoke', occurredAt: at(5), actorUserId: u.ann.id, email: 'ext@example.com', organizationId: acme.id });
  });
  afterAll(() => t.close());

  const gid = (row: { id: string }, type = 'User') => s.gid(type, row);
  const actions = (r: any) => r.body.data.eventLogs.nodes.map((n: any) => n.action);
  const list = (token: string | undefined, v: Record<string, unknown> = {}) => t.gql(LIST, v, token ? { token } : {});

  it('shows instance admins everything, most recent first', async () => {
    const r = await list(ADMIN.token, { f: { dateLt: '2024-01-02T00:00:00Z' } });
    expect(r.body.errors).toBeUndefined();
    expect(actions(r)).toEqual(['message.revoke', 'login', 'message.revoke', 'message.read', 'message.create']);
    const first = r.body.data.eventLogs.nodes[4];
    expect(first).toMatchObject({ ip: '203.0.113.1', geo: { country: 'FR' }, user: { username: 'ann' }, message: { id: gid(msg, 'Message') }, organization: { slug: 'acme' } });
    expect(r.body.data.eventLogs.totalCount).toBe(5);
  });

  it('shows organization admins their organization’s events, and users the events they are part of', async () => {
    expect(actions(await list(tok.boss, { f: { dateLt: '2024-01-02T00:00:00Z' } }))).toEqual(['message.revoke', 'message.revoke', 'message.read', 'message.create']);
    const ben = await list(tok.ben, { f: { dateLt: '2024-01-02T00:00:00Z' } });
    expect(actions(ben)).toEqual(['message.revoke', 'message.read']);
    expect(ben.body.data.eventLogs.nodes[0]).toMatchObject({ user: { username: 'ann' }, user2: { username: 'ben' } });
    expect(actions(await list(tok.zed))).toEqual(['login']);
    expect(actions(await list(undefined))).toEqual([]);
  });

  it('filters by dates, user (actor or second user), message, email and actions', async () => {
    const f = async (filter: Record<string, unknown>) => actions(await list(ADMIN.token, { f: { dateLt: '2024-01-02T00:00:00Z', ...filter } }));
    expect(await f({ dateGt: at(2).toISOString(), dateLt: at(5).toISOString() })).toEqual(['login', 'message.revoke']);
    expect(await f({ user: gid(u.ben) })).toEqual(['message.revoke', 'message.read']);
    expect(await f({ message: gid(msg, 'Message') })).toEqual(['message.revoke', 'message.read', 'message.create']);
    expect(await f({ email: 'zed@example.COM' })).toEqual(['login']);
    expect(await f({ actionIn: ['login', 'message.read'] })).toEqual(['login', 'message.read']);
    expect(await f({ actionIn: [] })).toEqual([]);
    expect((await list(ADMIN.token, { f: { user: 'nope' } })).body.errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('pages forward and backward with keyset cursors exact to the microsecond', async () => {
    // Three events within the same millisecond: a cursor rounded to milliseconds would skip some.
    for (const micro of ['100', '200', '300']) {
      await t.db.db.execute(sql`insert into event_logs (id, occurred_at, action, actor_user_id) values (gen_random_uuid(), ${`2025-06-01 00:00:00.000${micro}+00`}::timestamptz, ${'tick.' + micro}, ${u.zed.id}::uuid)`);
    }
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 3; i++) {
      const r: any = await list(ADMIN.token, { f: { actionIn: ['tick.100', 'tick.200', 'tick.300'] }, first: 1, after });
      seen.push(...actions(r));
      after = r.body.data.eventLogs.pageInfo.endCursor;
      expect(r.body.data.eventLogs.pageInfo.hasNextPage).toBe(i < 2);
    }
    expect(seen).toEqual(['tick.300', 'tick.200', 'tick.100']);
    const back = await list(ADMIN.token, { f: { actionIn: ['tick.100', 'tick.200', 'tick.300'] }, last: 2 });
    expect(actions(back)).toEqual(['tick.200', 'tick.100']);
    expect(back.body.data.eventLogs.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    const before = await list(ADMIN.token, { f: { actionIn: ['tick.100', 'tick.200', 'tick.300'] }, last: 5, before: back.body.data.eventLogs.pageInfo.startCursor });
    expect(actions(before)).toEqual(['tick.300']);
  });

  it('adds User.eventLogs (as actor, actions filter), Organization.eventLogs and Message.eventLogs', async () => {
    const q = `query($u: ID!, $o: String!, $m: ID!) {
      user: node(id: $u) { ... on User { eventLogs(first: 10, actionIn: ["message.revoke", "message.read"]) { nodes { action } totalCount } } }
      organization(slug: $o) { eventLogs(first: 2) { nodes { action } pageInfo { hasNextPage } } }
      message(id: $m) { eventLogs { nodes { action } } } }`;
    const v = { u: gid(u.ann), o: 'acme', m: gid(msg, 'Message') };
    const admin = (await t.gql(q, v, { token: ADMIN.token })).body.data;
    expect(admin.user.eventLogs).toEqual({ nodes: [{ action: 'message.revoke' }, { action: 'message.revoke' }], totalCount: 2 });
    expect(admin.organization.eventLogs).toEqual({ nodes: [{ action: 'message.revoke' }, { action: 'message.revoke' }], pageInfo: { hasNextPage: true } });
    expect(admin.message.eventLogs.nodes.map((n: any) => n.action)).toEqual(['message.revoke', 'message.read', 'message.create']);
    const ben = (await t.gql(q, v, { token: tok.ben })).body.data;
    expect(ben.user.eventLogs.nodes).toEqual([{ action: 'message.revoke' }]);
    expect(ben.organization).toBeNull();
    // Ben received the message, so he sees it, but only the events he took part in.
    expect(ben.message.eventLogs.nodes).toEqual([{ action: 'message.revoke' }, { action: 'message.read' }]);
  });

  it('pages nested event logs per parent, forward and backward, for a batch of parents', async () => {
    const q = `query($a: ID!, $b: ID!, $after: String, $last: Int, $first: Int, $before: String) {
      a: node(id: $a) { ... on User { eventLogs(first: $first, after: $after, last: $last, before: $before) { nodes { action occurredAt } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }
      b: node(id: $b) { ... on User { eventLogs(first: $first, after: $after, last: $last, before: $before) { nodes { action } } } } }`;
    const v = { a: gid(u.ann), b: gid(u.ben) };
    const p1 = (await t.gql(q, { ...v, first: 2 }, { token: ADMIN.token })).body.data;
    expect(p1.a.eventLogs.nodes.map((n: any) => n.occurredAt)).toEqual([at(5).toISOString(), at(3).toISOString()]);
    expect(p1.a.eventLogs.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(p1.b.eventLogs.nodes).toEqual([{ action: 'message.read' }]);
    const p2 = (await t.gql(q, { ...v, first: 2, after: p1.a.eventLogs.pageInfo.endCursor }, { token: ADMIN.token })).body.data;
    expect(p2.a.eventLogs.nodes.map((n: any) => n.action)).toEqual(['message.create']);
    expect(p2.a.eventLogs.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const back = (await t.gql(q, { ...v, last: 2 }, { token: ADMIN.token })).body.data;
    expect(back.a.eventLogs.nodes.map((n: any) => n.occurredAt)).toEqual([at(3).toISOString(), at(1).toISOString()]);
    expect(back.a.eventLogs.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const before = (await t.gql(q, { ...v, last: 5, before: back.a.eventLogs.pageInfo.startCursor }, { token: ADMIN.token })).body.data;
    expect(before.a.eventLogs.nodes.map((n: any) => n.action)).toEqual(['message.revoke']);
  });

  it('finds one event by node id only when visible', async () => {
    const id = (await list(ADMIN.token, { f: { actionIn: ['login'] } })).body.data.eventLogs.nodes[0].id;
    const q = `query($id: ID!) { node(id: $id) { ... on EventLog { action } } }`;
    expect((await t.gql(q, { id }, { token: tok.zed })).body.data.node).toEqual({ action: 'login' });
    expect((await t.gql(q, { id }, { token: tok.ann })).body.data.node).toBeNull();
  });

  it('shows an event’s message only to who may read it', async () => {
    const secret = await c.message(u.ann, { recipients: [u.ben] });
    await c.event({ action: 'message.read', occurredAt: at(30), actorUserId: u.zed.id, messageId: secret.id });
    const q = `query($id: ID!) { node(id: $id) { ... on User {
      eventLogs(first: 5, actionIn: ["message.read", "login"]) { nodes { action message { id owner { username } } } } } } }`;
    const run = async (token: string) => {
      const r = await t.gql(q, { id: gid(u.zed) }, { token });
      expect(r.body.errors).toBeUndefined();
      return r.body.data.node.eventLogs.nodes;
    };
    // Zed took part in the event, but the message is Ann's to Ben: the event shows, its message does not.
    expect(await run(tok.zed)).toEqual([{ action: 'message.read', message: null }, { action: 'login', message: null }]);
    expect(await run(ADMIN.token)).toEqual([
      { action: 'message.read', message: { id: gid(secret, 'Message'), owner: { username: 'ann' } } },
      { action: 'login', message: null },
    ]);
  });

  it('answers the benchmark "logs" query in a flat number of statements', async () => {
    const heavy = await s.user('heavy');
    const owners: UserRow[] = [];
    for (let i = 0; i < 20; i++) owners.push(await s.user(`owner${i}`));
    const q = `query($id: ID!, $actions: [String!]) { node(id: $id) { ... on User {
      eventLogs(first: 50, actionIn: $actions) { nodes { id occurredAt action message { owner { username } } } } } } }`;
    const count = async () => {
      const before = t.db.statementCount;
      const r = await t.gql(q, { id: gid(heavy), actions: ['login', 'message.create', 'message.read'] }, { token: ADMIN.token });
      expect(r.body.errors).toBeUndefined();
      return { n: t.db.statementCount - before, nodes: r.body.data.node.eventLogs.nodes };
    };
    await t.gql(`{ viewer { username } }`, {}, { token: ADMIN.token }); // token last-used write happens here
    for (let i = 0; i < 20; i++) {
      const m = await c.message(owners[i]!);
      await c.event({ action: i % 2 ? 'message.read' : 'message.create', occurredAt: new Date(Date.UTC(2024, 1, 1, 0, i)), actorUserId: heavy.id, messageId: m.id });
      if (i === 0) {
        const one = await count();
        expect(one.nodes).toHaveLength(1);
        expect(one.nodes[0].message.owner.username).toBe('owner0');
        (globalThis as any).__one = one.n;
      }
    }
    await c.event({ action: 'logout', occurredAt: new Date(Date.UTC(2024, 2, 1)), actorUserId: heavy.id });
    const twenty = await count();
    expect(twenty.nodes).toHaveLength(20);
    expect(twenty.nodes[0].message.owner.username).toBe('owner19');
    expect(new Set(twenty.nodes.map((n: any) => n.message.owner.username)).size).toBe(20);
    const one = (globalThis as any).__one as number;
    // authentication (1) + user (1) + event logs (1) + messages joined with owners (1)
    expect(twenty.n).toBe(one);
    expect(one).toBeLessThanOrEqual(4);
    console.log(`[event logs ${driver}] logs query statements: 1 event → ${one}, 20 events → ${twenty.n}`);
  });

  // The list reads a scope's events as the union of three branches (actor, second user, the
  // organizations it administers; event-log.repo.ts): an event in more than one of them is
  // still listed and counted once.
  it('lists and counts an event once when it is visible for several reasons', async () => {
    await c.event({ action: 'member.update', occurredAt: at(10), actorUserId: u.ben.id, user2Id: u.ben.id, organizationId: acme.id });
    const window = { f: { dateGt: at(9).toISOString(), dateLt: at(11).toISOString() } };
    for (const token of [tok.ben!, tok.boss!, ADMIN.token]) {
      const r = await list(token, window);
      expect(r.body.errors).toBeUndefined();
      expect(actions(r)).toEqual(['member.update']);
      expect(r.body.data.eventLogs.totalCount).toBe(1);
    }
    expect(actions(await list(tok.zed, window))).toEqual([]);
  });
});
