// Live events: eventLogAdded and viewerEventAdded over graphql-ws on /graphql, fed by the event
// log's NOTIFY (a trigger in the writing transaction). Authentication in connection_init,
// replay from a cursor with no gap or duplicate at the seam, visibility as eventLogs, only
// committed events, limits, slow consumers, revocation closing the socket, and (PostgreSQL) two
// gateways on one database: events and revocations cross processes.
import type { AddressInfo } from 'node:net';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { openDatabase } from '../src/core/db.js';
import { eventMatches, eventVisibleTo, adminOrganizationIdsOf, listEventLogs } from '../src/modules/logs/event-log.repo.js';
import { insertEventLog } from '../src/modules/logs/log.repo.js';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { createDatabaseFromTemplate } from './helpers/postgres.js';

const EVENT_FIELDS = 'cursor event { id action user { username } }';
const CREATE_ORG = `mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id } userErrors { code message } } }`;

interface Added {
  cursor: string;
  event: { id: string; action: string; user: { username: string } | null };
}

async function listen(t: TestGateway): Promise<string> {
  await t.gw.app.listen({ port: 0, host: '127.0.0.1' });
  return `ws://127.0.0.1:${(t.gw.app.server.address() as AddressInfo).port}/graphql`;
}

/** A graphql-ws client that records how its socket closed. */
function wsClient(url: string, token: string | null) {
  const closes: { code: number; reason: string }[] = [];
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: token ? { Authorization: `Bearer ${token}` } : {},
    on: { closed: (e) => closes.push({ code: (e as { code: number }).code, reason: (e as { reason: string }).reason }) },
  });
  return { client, closes };
}

/** Collects a subscription's results; `next(n)` waits for n more (or fails after a while). */
function collect(client: Client, query: string, variables: Record<string, unknown> = {}) {
  const items: Added[] = [];
  const errors: unknown[] = [];
  let done = false;
  const waiters: (() => void)[] = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  const stop = client.subscribe<Record<string, Added>>(
    { query, variables },
    {
      next: (r) => {
        if (r.errors) errors.push(...r.errors);
        if (r.data) items.push(Object.values(r.data)[0]!);
        wake();
      },
      error: (e) => {
        errors.push(e);
        done = true;
        wake();
      },
      complete: () => {
        done = true;
        wake();
      },
    },
  );
  return {
    items,
    errors,
    stop,
    get done() {
      return done;
    },
    async until(pred: () => boolean, ms = 10_000) {
      const deadline = Date.now() + ms;
      while (!pred()) {
        if (Date.now() > deadline) throw new Error(`timed out; have ${JSON.stringify(items.map((i) => i.event.action))}, errors ${JSON.stringify(errors)}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 50);
        });
      }
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let slugN = 0;
const slug = () => `live-${process.pid}-${++slugN}`;

describe.each(DRIVERS)('subscriptions (%s)', (driver) => {
  let t: TestGateway;
  let url: string;
  let aliceToken: string;
  let bobToken: string;

  beforeAll(async () => {
    t = await startTestGateway(driver, { env: { SUBSCRIPTIONS_PER_USER: '3' } });
    url = await listen(t);
    await t.createUser({ username: 'alice', password: 'alice-password-1', email: 'alice@example.com' });
    await t.createUser({ username: 'bob', password: 'bob-password-12', email: 'bob@example.com' });
    aliceToken = await t.login('alice', 'alice-password-1');
    bobToken = await t.login('bob', 'bob-password-12');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses a connection without a credential or with a bad one (4403)', async () => {
    for (const token of [null, 'not-a-token']) {
      const { client, closes } = wsClient(url, token);
      const s = collect(client, `subscription { eventLogAdded { ${EVENT_FIELDS} } }`);
      await s.until(() => s.done);
      expect(closes[0]?.code).toBe(4403);
      await client.dispose();
    }
  });

  it('streams committed events live, in order, with cursors that page eventLogs', async () => {
    const { client } = wsClient(url, ADMIN.token);
    const s = collect(client, `subscription { eventLogAdded(filter: { actionIn: ["organization.create"] }) { ${EVENT_FIELDS} } }`);
    await sleep(300); // subscribed
    const slugs = [slug(), slug(), slug()];
    for (const sl of slugs) expect((await t.gql(CREATE_ORG, { i: { slug: sl, name: sl } }, { token: ADMIN.token })).body.data.createOrganization.userErrors).toEqual([]);
    await s.until(() => s.items.length >= 3);
    expect(s.items.map((i) => i.event.action)).toEqual(['organization.create', 'organization.create', 'organization.create']);
    expect(s.items.every((i) => i.event.user?.username === ADMIN.username)).toBe(true);
    // The cursor is the eventLogs list's (most recent first): after the last delivered come the first two.
    const page = await t.gql(`query($c: String!) { eventLogs(first: 2, after: $c, filter: { actionIn: ["organization.create"] }) { nodes { id } } }`, { c: s.items[2]!.cursor }, { token: ADMIN.token });
    expect(page.body.data.eventLogs.nodes.map((n: { id: string }) => n.id)).toEqual([s.items[1]!.event.id, s.items[0]!.event.id]);
    s.stop();
    await client.dispose();
  });

  it('replays everything after a cursor, then goes live, without gap or duplicate at the seam', async () => {
    const filter = { actionIn: ['organization.create'] };
    const first = await t.gql(CREATE_ORG, { i: { slug: slug(), name: 'seam 0' } }, { token: ADMIN.token });
    expect(first.body.data.createOrganization.userErrors).toEqual([]);
    const head = await t.gql(`query($f: EventLogFilterInput) { eventLogs(first: 1, filter: $f) { edges { cursor node { id } } } }`, { f: filter }, { token: ADMIN.token });
    const after = head.body.data.eventLogs.edges[0].cursor as string;
    // Made while nobody listens: only the replay can give them.
    const missed: string[] = [];
    for (let n = 1; n <= 3; n++) await t.gql(CREATE_ORG, { i: { slug: slug(), name: `seam ${n}` } }, { token: ADMIN.token });
    const ids = await t.gql(`query($f: EventLogFilterInput) { eventLogs(first: 3, filter: $f) { nodes { id } } }`, { f: filter }, { token: ADMIN.token });
    missed.push(...ids.body.data.eventLogs.nodes.map((n: { id: string }) => n.id).reverse());

    const { client } = wsClient(url, ADMIN.token);
    const s = collect(client, `subscription($f: EventLogFilterInput, $a: String) { eventLogAdded(filter: $f, after: $a) { ${EVENT_FIELDS} } }`, { f: filter, a: after });
    // Writes racing the replay: each must arrive exactly once, after the replayed ones.
    const racing = Promise.all([1, 2].map((n) => t.gql(CREATE_ORG, { i: { slug: slug(), name: `race ${n}` } }, { token: ADMIN.token })));
    await racing;
    await s.until(() => s.items.length >= 5);
    await sleep(300);
    const got = s.items.map((i) => i.event.id);
    expect(got.slice(0, 3)).toEqual(missed);
    expect(new Set(got).size).toBe(got.length);
    expect(got).toHaveLength(5);
    // Resuming from the last cursor gives nothing old again.
    s.stop();
    const again = collect(client, `subscription($f: EventLogFilterInput, $a: String) { eventLogAdded(filter: $f, after: $a) { ${EVENT_FIELDS} } }`, { f: filter, a: s.items[4]!.cursor });
    await t.gql(CREATE_ORG, { i: { slug: slug(), name: 'after resume' } }, { token: ADMIN.token });
    await again.until(() => again.items.length >= 1);
    await sleep(200);
    expect(again.items).toHaveLength(1);
    expect(got).not.toContain(again.items[0]!.event.id);
    again.stop();
    await client.dispose();
  });

  it('shows each subscriber only what eventLogs shows them; viewerEventAdded gives changes made to the viewer', async () => {
    const bob = wsClient(url, bobToken);
    const all = collect(bob.client, `subscription { eventLogAdded { ${EVENT_FIELDS} } }`);
    const mine = collect(bob.client, `subscription { viewerEventAdded { ${EVENT_FIELDS} } }`);
    await sleep(300);
    // Alice's organization: not Bob's business.
    const org = await t.gql(CREATE_ORG, { i: { slug: slug(), name: 'alice org' } }, { token: aliceToken });
    const orgId = org.body.data.createOrganization.organization.id as string;
    // Then Alice invites Bob: an event about Bob (he is its second user), visible to him.
    const add = await t.gql(
      `mutation($i: InviteToOrganizationInput!) { inviteToOrganization(input: $i) { userErrors { code message } } }`,
      { i: { organizationId: orgId, username: 'bob' } },
      { token: aliceToken },
    );
    expect(add.body.errors ?? add.body.data.inviteToOrganization.userErrors).toEqual([]);
    await all.until(() => all.items.length >= 1);
    await mine.until(() => mine.items.length >= 1);
    await sleep(300);
    expect(all.items.map((i) => i.event.action)).toEqual(['invitation.create']);
    expect(mine.items.map((i) => i.event.action)).toEqual(['invitation.create']);
    await bob.client.dispose();
  });

  it('serves only subscriptions over WebSocket, and bounds them per user', async () => {
    const { client } = wsClient(url, aliceToken);
    const q = collect(client, `query { viewer { username } }`);
    await q.until(() => q.done);
    expect(JSON.stringify(q.errors)).toMatch(/Only subscriptions/);
    // SUBSCRIPTIONS_PER_USER=3 in this gateway.
    const subs = [1, 2, 3].map(() => collect(client, `subscription { eventLogAdded { ${EVENT_FIELDS} } }`));
    await sleep(500);
    const fourth = collect(client, `subscription { eventLogAdded { ${EVENT_FIELDS} } }`);
    await fourth.until(() => fourth.done || fourth.errors.length > 0);
    expect(JSON.stringify(fourth.errors)).toMatch(/At most 3 open subscriptions/);
    expect(subs.every((s) => !s.done)).toBe(true);
    // A closed one frees its place.
    subs[0]!.stop();
    await sleep(300);
    const fifth = collect(client, `subscription { eventLogAdded { ${EVENT_FIELDS} } }`);
    await sleep(500);
    expect(fifth.errors).toEqual([]);
    await client.dispose();
  });

  it('refuses a forged cursor as bad input, not a database error', async () => {
    const { client } = wsClient(url, aliceToken);
    for (const a of ['WyIyMDIwLTEzLTQ1IiwienoiXQ', 'not base64 !', Buffer.from('[1]').toString('base64url')]) {
      const s = collect(client, `subscription($a: String) { eventLogAdded(after: $a) { ${EVENT_FIELDS} } }`, { a });
      await s.until(() => s.done || s.errors.length > 0);
      expect(JSON.stringify(s.errors)).toMatch(/BAD_USER_INPUT/);
      expect(JSON.stringify(s.errors)).not.toMatch(/select|params/i);
    }
    await client.dispose();
  });

  it('closes the socket (4401) when its token is revoked', async () => {
    const created = await t.gql(
      `mutation($i: CreatePersonalAccessTokenInput!) { createPersonalAccessToken(input: $i) { token personalAccessToken { id } userErrors { code } } }`,
      { i: { username: 'alice', name: 'live', scopes: ['API'] } },
      { token: aliceToken },
    );
    const { token, personalAccessToken } = created.body.data.createPersonalAccessToken;
    const { client, closes } = wsClient(url, token);
    const s = collect(client, `subscription { eventLogAdded { ${EVENT_FIELDS} } }`);
    await sleep(300);
    const revoked = await t.gql(`mutation($i: RevokePersonalAccessTokenInput!) { revokePersonalAccessToken(input: $i) { userErrors { code } } }`, { i: { id: personalAccessToken.id } }, { token: aliceToken });
    expect(revoked.body.data.revokePersonalAccessToken.userErrors).toEqual([]);
    await s.until(() => closes.length > 0 || s.done);
    expect(closes[0]?.code).toBe(4401);
    await client.dispose();
  });

  it('hears only committed events, and the in-memory rule agrees with the list', async () => {
    const heard: string[] = [];
    const stop = await t.db.listen('igw_event_log', (p) => heard.push(p));
    try {
      await t.db.db
        .transaction(async (tx) => {
          await insertEventLog(tx, { action: 'test.rolledBack', actorUserId: null, ip: null });
          throw new Error('roll back');
        })
        .catch(() => {});
      const kept = await insertEventLog(t.db.db, { action: 'test.committed', actorUserId: null, ip: null });
      for (let i = 0; i < 50 && !heard.length; i++) await sleep(20);
      await sleep(100);
      expect(heard).toEqual([`${kept.id} test.committed`]);
    } finally {
      await stop();
    }
    // Every (scope, filter) pair: the rows eventLogs returns are exactly those the live rule keeps.
    const users = await t.gql(`{ users(first: 10) { nodes { id username } } }`, {}, { token: ADMIN.token });
    const idOf = (u: string) => Buffer.from(users.body.data.users.nodes.find((n: { username: string }) => n.username === u).id, 'base64url').toString().split(':')[1]!;
    const everything = await listEventLogs(t.db.db, { all: true }, {}, { direction: 'forward', size: 100, cursor: null });
    for (const who of ['alice', 'bob']) {
      const scope = { all: false as const, userId: idOf(who), withinOrganizationId: null };
      const admins = await adminOrganizationIdsOf(t.db.db, scope);
      for (const filter of [{}, { actionIn: ['organization.create'] }, { userId: idOf('bob') }, { subjectUserId: idOf(who) }]) {
        const listed = (await listEventLogs(t.db.db, scope, filter, { direction: 'forward', size: 100, cursor: null })).map((r) => r.event.id);
        const kept = everything.filter((r) => eventVisibleTo(r.event, scope, admins) && eventMatches(r.event, filter)).map((r) => r.event.id);
        expect(kept, `${who} ${JSON.stringify(filter)}`).toEqual(listed);
      }
    }
  });
});

describe('a subscriber that does not keep up', () => {
  it('is ended, not buffered without bound', async () => {
    const t = await startTestGateway('pglite', { env: { SUBSCRIPTION_QUEUE_EVENTS: '2' } });
    try {
      let overflowed = false;
      const admin = await t.gql(`{ viewer { id } }`, {}, { token: ADMIN.token });
      expect(admin.status).toBe(200);
      const principal = (await import('../src/context.js')).createContext(t.gw.deps, { requestId: 't', ip: null, userAgent: null }, ADMIN.token);
      const it = await t.gw.deps.liveEvents!.open((await principal).principal, {}, null, () => (overflowed = true));
      // Nobody reads: the third queued event ends the subscription.
      for (let n = 0; n < 4; n++) await t.gql(CREATE_ORG, { i: { slug: slug(), name: `slow ${n}` } }, { token: ADMIN.token });
      for (let i = 0; i < 100 && !overflowed; i++) await sleep(20);
      expect(overflowed).toBe(true);
      const results: string[] = [];
      await expect(
        (async () => {
          for await (const e of it) results.push(e.row.action);
        })(),
      ).rejects.toThrow(/does not keep up/);
      expect(results.length).toBeLessThanOrEqual(2);
      expect(t.gw.deps.liveEvents!.openCount).toBe(0);
    } finally {
      await t.close();
    }
  });
});

describe.runIf(DRIVERS.includes('postgres'))('two gateways on one PostgreSQL', () => {
  it('a subscriber on A hears writes made through B; a token revoked through B is refused by A at once', async () => {
    const { url: dbUrl, drop } = await createDatabaseFromTemplate(process.env.TEST_DATABASE_URL!, inject('postgresTemplate')!);
    // Credentials cached for 5 s: only the revocation notice can make A refuse at once.
    const env = { TOKEN_CACHE_TTL_MS: '5000' };
    const a = await startTestGateway('postgres', { env, database: await openDatabase({ databaseUrl: dbUrl, poolMax: 3 }) });
    const b = await startTestGateway('postgres', { env, database: await openDatabase({ databaseUrl: dbUrl, poolMax: 3 }) });
    try {
      const wsUrl = await listen(a);
      const { client } = wsClient(wsUrl, ADMIN.token);
      const s = collect(client, `subscription { eventLogAdded(filter: { actionIn: ["organization.create"] }) { ${EVENT_FIELDS} } }`);
      await sleep(300);
      for (let n = 0; n < 3; n++) await b.gql(CREATE_ORG, { i: { slug: slug(), name: `via b ${n}` } }, { token: ADMIN.token });
      await s.until(() => s.items.length >= 3);
      expect(s.items.map((i) => i.event.action)).toEqual(['organization.create', 'organization.create', 'organization.create']);
      await client.dispose();

      const created = await a.gql(
        `mutation($i: CreatePersonalAccessTokenInput!) { createPersonalAccessToken(input: $i) { token personalAccessToken { id } } }`,
        { i: { username: ADMIN.username, name: 'crossing', scopes: ['API'] } },
        { token: ADMIN.token },
      );
      const { token, personalAccessToken } = created.body.data.createPersonalAccessToken;
      expect((await a.gql(`{ viewer { username } }`, {}, { token })).status).toBe(200); // now cached in A
      await b.gql(`mutation($i: RevokePersonalAccessTokenInput!) { revokePersonalAccessToken(input: $i) { userErrors { code } } }`, { i: { id: personalAccessToken.id } }, { token: ADMIN.token });
      let status = 200;
      for (let i = 0; i < 50 && status === 200; i++) {
        await sleep(20);
        status = (await a.gql(`{ viewer { username } }`, {}, { token })).status;
      }
      expect(status).toBe(401);
    } finally {
      await a.close();
      await b.close();
      await drop();
    }
  });
});
