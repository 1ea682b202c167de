// The login log as read through GraphQL: newest first, a user sees only their own attempts,
// instance admins everyone's; filters, cursors, node(id), and User.loginLogs batched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginLogs } from '../schema/logs.js';
import { users as usersTable } from '../schema/users.js';
import type { UserRow } from '../src/modules/users/user.repo.js';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { seed, type Seed } from './helpers/seed.js';

const LOGIN = `mutation($i: LoginInput!) { login(input: $i) { accessToken userErrors { code } } }`;
const LIST = `query($f: LoginLogFilterInput, $first: Int, $after: String, $last: Int, $before: String) {
  loginLogs(filter: $f, first: $first, after: $after, last: $last, before: $before) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    nodes { id success ip userAgent location failureReason createdAt user { username } } } }`;

describe.each(DRIVERS)('login logs on %s', (driver) => {
  let t: TestGateway;
  let s: Seed;
  const u: Record<string, UserRow> = {};
  const tok: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestGateway(driver);
    s = seed(t);
    for (const name of ['lara', 'moe']) u[name] = await s.user(name);
    const attempt = (login: string, password: string) => t.gql(LOGIN, { i: { login, password } }, { headers: { 'user-agent': `agent-${login}` } });
    await attempt('lara', 'wrong');
    await attempt('lara', 'lara-password');
    await attempt('moe', 'wrong');
    await attempt('ghost', 'whatever');
    tok.lara = await s.tokenFor(u.lara!);
    tok.moe = await s.tokenFor(u.moe!);
  });
  afterAll(() => t.close());

  it('shows a user their own attempts only, newest first', async () => {
    const r = await t.gql(LIST, {}, { token: tok.lara });
    const c = r.body.data.loginLogs;
    expect(c.totalCount).toBe(3);
    expect(c.nodes.map((n: { success: boolean }) => n.success)).toEqual([true, true, false]);
    expect(c.nodes.every((n: { user: { username: string } }) => n.user.username === 'lara')).toBe(true);
    expect(c.nodes[2]).toMatchObject({ failureReason: 'invalid_credentials', userAgent: 'agent-lara' });
    expect(c.nodes[0].ip).toBeTruthy();
    const times = c.nodes.map((n: { createdAt: string }) => new Date(n.createdAt).getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('filters by success, and reads someone else’s log as empty', async () => {
    const failed = await t.gql(LIST, { f: { success: false } }, { token: tok.lara });
    expect(failed.body.data.loginLogs.nodes).toHaveLength(1);
    const others = await t.gql(LIST, { f: { user: s.gid('User', u.moe!) } }, { token: tok.lara });
    expect(others.body.data.loginLogs).toMatchObject({ totalCount: 0, nodes: [] });
    expect((await t.gql(LIST, {})).body.data.loginLogs.nodes).toEqual([]);
  });

  it('shows instance admins every attempt, including unknown logins, and any user’s', async () => {
    const all = await t.gql(LIST, { first: 100 }, { token: ADMIN.token });
    const total = (await t.db.db.select().from(loginLogs)).length;
    expect(all.body.data.loginLogs.totalCount).toBe(total);
    expect(all.body.data.loginLogs.nodes.some((n: { user: unknown; success: boolean }) => n.user === null && !n.success)).toBe(true);
    const moe = await t.gql(LIST, { f: { user: s.gid('User', u.moe!), success: false } }, { token: ADMIN.token });
    expect(moe.body.data.loginLogs).toMatchObject({ totalCount: 1, nodes: [{ user: { username: 'moe' }, failureReason: 'invalid_credentials' }] });
  });

  it('pages forward and backward with cursors', async () => {
    const p1 = (await t.gql(LIST, { first: 2 }, { token: tok.lara })).body.data.loginLogs;
    expect(p1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const p2 = (await t.gql(LIST, { first: 2, after: p1.pageInfo.endCursor }, { token: tok.lara })).body.data.loginLogs;
    expect(p2.nodes).toHaveLength(1);
    expect(p2.pageInfo.hasNextPage).toBe(false);
    const back = (await t.gql(LIST, { last: 2, before: p2.pageInfo.startCursor }, { token: tok.lara })).body.data.loginLogs;
    expect(back.nodes.map((n: { id: string }) => n.id)).toEqual(p1.nodes.map((n: { id: string }) => n.id));
  });

  it('serves node(id) to the owner and instance admins only', async () => {
    const [first] = (await t.gql(LIST, { first: 1 }, { token: tok.lara })).body.data.loginLogs.nodes;
    const q = `query($id: ID!) { node(id: $id) { id ... on LoginLog { success } } }`;
    expect((await t.gql(q, { id: first.id }, { token: tok.lara })).body.data.node).toEqual({ id: first.id, success: true });
    expect((await t.gql(q, { id: first.id }, { token: ADMIN.token })).body.data.node).toEqual({ id: first.id, success: true });
    expect((await t.gql(q, { id: first.id }, { token: tok.moe })).body.data.node).toBeNull();
  });

  it('adds User.loginLogs: the user’s own (or an admin’s view), empty for others', async () => {
    const mine = await t.gql(`{ viewer { loginLogs(first: 2) { totalCount nodes { success } } } }`, {}, { token: tok.moe });
    expect(mine.body.data.viewer.loginLogs).toEqual({ totalCount: 2, nodes: [{ success: true }, { success: false }] });
    const q = `query($id: ID!) { node(id: $id) { ... on User { loginLogs { totalCount } } } }`;
    expect((await t.gql(q, { id: s.gid('User', u.moe!) }, { token: tok.lara })).body.data.node.loginLogs.totalCount).toBe(0);
    expect((await t.gql(q, { id: s.gid('User', u.moe!) }, { token: ADMIN.token })).body.data.node.loginLogs.totalCount).toBe(2);
  });

  it('loads User.loginLogs for 1 or 20 users with the same number of statements', async () => {
    for (let i = 0; i < 20; i++) {
      const user = await s.user(`ll-bulk-${String(i).padStart(2, '0')}`);
      for (let k = 0; k < 3; k++) await t.db.db.insert(loginLogs).values({ userId: user.id, success: k > 0, ip: '127.0.0.1' });
    }
    const q = `query($ids: [ID!]!) { nodes(ids: $ids) { ... on User { username loginLogs(first: 2) { totalCount nodes { success user { username } } } } } }`;
    const users = (await t.db.db.select().from(usersTable)).filter((r) => r.username.startsWith('ll-bulk-'));
    const count = async (n: number) => {
      const ids = users.slice(0, n).map((r) => s.gid('User', r));
      const before = t.db.statementCount;
      const r = await t.gql(q, { ids }, { token: ADMIN.token });
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data.nodes).toHaveLength(n);
      for (const node of r.body.data.nodes) expect(node.loginLogs).toMatchObject({ totalCount: 3, nodes: [{ success: true }, { success: true }] });
      return t.db.statementCount - before;
    };
    const one = await count(1);
    const twenty = await count(20);
    expect(twenty).toBe(one);
  });
});
