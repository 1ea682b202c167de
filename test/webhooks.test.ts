// Webhooks end to end against a real HTTP receiver on 127.0.0.1: registration (admins only,
// URLs checked, the secret shown once), deliveries signed and sent once per event through the
// outbox, action filters, events of sub-organizations, nothing for a rolled-back change, retries,
// an endpoint disabled after failing deliveries (with its event and an email to its owner), the
// delivery log, and (PostgreSQL) two gateways delivering each event once between them.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { outbox } from '../schema/outbox.js';
import { webhooks } from '../schema/webhooks.js';
import { isSealed } from '../src/core/auth/sealed.js';
import { eventLogs } from '../schema/logs.js';
import { openDatabase } from '../src/core/db.js';
import { isPrivateAddress } from '../src/core/net/outbound.js';
import { insertEventLog } from '../src/modules/logs/log.repo.js';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { createDatabaseFromTemplate } from './helpers/postgres.js';

interface Hit {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Records every POST; `answer(path, n)` decides the status of the n-th hit on a path (default 200). */
async function receiver(answer: (path: string, n: number) => number = () => 200) {
  const hits: Hit[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const path = req.url ?? '/';
      hits.push({ path, headers: req.headers, body });
      res.statusCode = answer(path, hits.filter((h) => h.path === path).length);
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { hits, base, close: () => new Promise<void>((r) => server.close(() => r())) };
}

// MASTER_KEY: signing secrets are stored sealed, and deliveries are still signed with the secret shown once.
const ENV = { MASTER_KEY: 'ab'.repeat(32), WEBHOOK_DELIVERY: 'true', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', OUTBOX_INTERVAL_MS: '100', OUTBOX_RETRY_BASE_MS: '20', WEBHOOK_DISABLE_AFTER: '2' };
const CREATE_ORG = `mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id } userErrors { code message } } }`;
const CREATE_HOOK = `mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { webhook { id url actions enabled } secret userErrors { code field message } } }`;
const RENAME = `mutation($i: UpdateOrganizationInput!) { updateOrganization(input: $i) { userErrors { code message } } }`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(pred: () => boolean | Promise<boolean>, what: string, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const verify = (secret: string, h: Hit) => {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(h.headers['x-webhook-signature']));
  if (!m) return false;
  return createHmac('sha256', secret).update(`${m[1]}.${h.body}`).digest('hex') === m[2];
};

let n = 0;
const slug = () => `hook-${process.pid}-${++n}`;

describe.each(DRIVERS)('webhooks (%s)', (driver) => {
  let t: TestGateway;
  let rx: Awaited<ReturnType<typeof receiver>>;
  let orgId: string;
  let bobToken: string;

  beforeAll(async () => {
    rx = await receiver((path, k) => (path === '/flaky' && k <= 2 ? 500 : path === '/down' ? 503 : 200));
    t = await startTestGateway(driver, { env: ENV });
    await t.createUser({ username: 'bob', password: 'bob-password-12', email: 'bob@example.com' });
    bobToken = await t.login('bob', 'bob-password-12');
    const org = await t.gql(CREATE_ORG, { i: { slug: slug(), name: 'Hooked' } }, { token: ADMIN.token });
    orgId = org.body.data.createOrganization.organization.id;
  });
  afterAll(async () => {
    await t?.close();
    await rx?.close();
  });

  it('is registered by the organization’s admins only, to a checked URL, with its secret shown once', async () => {
    const refused = await t.gql(CREATE_HOOK, { i: { organizationId: orgId, url: `${rx.base}/x` } }, { token: bobToken });
    // Not his organization to see: answered as if it did not exist.
    expect(refused.body.errors[0].extensions.code).toBe('NOT_FOUND');
    for (const [url, why] of [
      ['ftp://example.com/', /http/],
      ['http://10.1.2.3/hook', /private/],
      ['http://localhost:9/hook', /private/],
      ['http://user:pw@127.0.0.1/', /credentials/],
      [`${rx.base}/${'x'.repeat(3000)}`, /2048/],
    ] as const) {
      const r = await t.gql(CREATE_HOOK, { i: { organizationId: orgId, url } }, { token: ADMIN.token });
      expect(r.body.data.createWebhook.userErrors[0]?.message, url).toMatch(why);
    }
    const badAction = await t.gql(CREATE_HOOK, { i: { organizationId: orgId, url: `${rx.base}/x`, actions: ['drop table'] } }, { token: ADMIN.token });
    expect(badAction.body.data.createWebhook.userErrors[0].field).toBe('actions');
    const ok = await t.gql(CREATE_HOOK, { i: { organizationId: orgId, url: `${rx.base}/all` } }, { token: ADMIN.token });
    expect(ok.body.data.createWebhook.userErrors).toEqual([]);
    expect(ok.body.data.createWebhook.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    // At rest it is sealed under MASTER_KEY (ENV), never the secret shown.
    const [stored] = await t.db.db.select().from(webhooks);
    expect(isSealed(stored!.secret)).toBe(true);
    expect(stored!.secret).not.toContain(ok.body.data.createWebhook.secret);
    const listed = await t.gql(`query($id: ID!) { node(id: $id) { ... on Organization { webhooks { url enabled } } } }`, { id: orgId }, { token: ADMIN.token });
    expect(listed.body.data.node.webhooks).toEqual([{ url: `${rx.base}/all`, enabled: true }]);
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');
    const bobSees = await t.gql(`query($id: ID!) { node(id: $id) { ... on Organization { webhooks { url } } } }`, { id: orgId }, { token: bobToken });
    expect(bobSees.body.data.node).toBeNull();
    // The delivery log of that first endpoint starts with its own creation.
    await until(() => rx.hits.some((h) => h.path === '/all'), 'the webhook.create delivery');
    await t.gql(`mutation($i: DeleteWebhookInput!) { deleteWebhook(input: $i) { userErrors { code } } }`, { i: { id: ok.body.data.createWebhook.webhook.id } }, { token: ADMIN.token });
  });

  it('delivers each matching event once, signed, including events of sub-organizations', async () => {
    const made = await t.gql(CREATE_HOOK, { i: { organizationId: orgId, url: `${rx.base}/updates`, actions: ['organization.update'] } }, { token: ADMIN.token });
    const secret = made.body.data.createWebhook.secret as string;
    const child = await t.gql(CREATE_ORG, { i: { slug: slug(), name: 'Child', parentId: orgId } }, { token: ADMIN.token });
    const childId = child.body.data.createOrganization.organization.id;
    await t.gql(RENAME, { i: { id: orgId, name: 'Hooked, renamed' } }, { token: ADMIN.token });
    await t.gql(RENAME, { i: { id: childId, name: 'Child, renamed' } }, { token: ADMIN.token });
    await until(() => rx.hits.filter((h) => h.path === '/updates').length >= 2, 'two deliveries');
    await sleep(500);
    const got = rx.hits.filter((h) => h.path === '/updates');
    expect(got).toHaveLength(2);
    for (const h of got) {
      expect(verify(secret, h)).toBe(true);
      expect(verify('whsec_wrong', h)).toBe(false);
      expect(h.headers['x-webhook-event']).toBe('organization.update');
      expect(h.headers['content-type']).toBe('application/json');
      expect(JSON.parse(h.body)).toMatchObject({ action: 'organization.update' });
    }
    expect(new Set(got.map((h) => JSON.parse(h.body).organizationId))).toEqual(new Set([orgId, childId]));
    expect(new Set(got.map((h) => h.headers['x-webhook-id'])).size).toBe(2);
  });

  it('queues nothing for a change that rolls back', async () => {
    const orgUuid = Buffer.from(orgId, 'base64url').toString().split(':')[1]!;
    let eventId = '';
    await t.db.db
      .transaction(async (tx) => {
        eventId = (await insertEventLog(tx, { action: 'organization.update', organizationId: orgUuid, actorUserId: null, ip: null })).id;
        const queued = await tx.select().from(outbox).where(eq(outbox.channel, 'webhook'));
        expect(queued.some((r) => (r.payload as { eventId?: string }).eventId === eventId)).toBe(true); // inside: queued with it
        throw new Error('roll back');
      })
      .catch(() => {});
    const after = await t.db.db.select().from(outbox).where(eq(outbox.channel, 'webhook'));
    expect(after.some((r) => (r.payload as { eventId?: string }).eventId === eventId)).toBe(false);
    expect(await t.db.db.select().from(eventLogs).where(eq(eventLogs.id, eventId))).toEqual([]);
  });

  it('retries a failing endpoint with backoff, and shows the attempts in its delivery log', async () => {
    const made = await t.gql(CREATE_HOOK, { i: { organizationId: orgId, url: `${rx.base}/flaky`, actions: ['organization.update'] } }, { token: ADMIN.token });
    const id = made.body.data.createWebhook.webhook.id;
    await t.gql(RENAME, { i: { id: orgId, name: 'Flaky rename' } }, { token: ADMIN.token });
    await until(() => rx.hits.filter((h) => h.path === '/flaky').length >= 3, 'three attempts');
    const flaky = rx.hits.filter((h) => h.path === '/flaky');
    expect(new Set(flaky.map((h) => h.headers['x-webhook-id'])).size).toBe(1); // one delivery, tried three times
    await until(async () => {
      const log = await t.gql(`query($id: ID!) { node(id: $id) { ... on Webhook { deliveries(first: 5) { nodes { status attempts lastError } } } } }`, { id }, { token: ADMIN.token });
      const d = log.body.data.node.deliveries.nodes[0];
      return d?.status === 'SENT' && d.attempts === 3;
    }, 'the delivery marked sent after 3 attempts');
  });

  it('disables an endpoint whose deliveries keep failing, logs it and tells its owner', async () => {
    const made = await t.gql(CREATE_HOOK, { i: { organizationId: orgId, url: `${rx.base}/down`, actions: ['organization.update'] } }, { token: ADMIN.token });
    const id = made.body.data.createWebhook.webhook.id;
    // WEBHOOK_DISABLE_AFTER=2: two deliveries given up on.
    await t.gql(RENAME, { i: { id: orgId, name: 'Down 1' } }, { token: ADMIN.token });
    await t.gql(RENAME, { i: { id: orgId, name: 'Down 2' } }, { token: ADMIN.token });
    await until(async () => {
      const w = await t.gql(`query($id: ID!) { node(id: $id) { ... on Webhook { enabled disabledReason consecutiveFailures } } }`, { id }, { token: ADMIN.token });
      return w.body.data.node.enabled === false;
    }, 'the endpoint disabled', 30_000);
    const w = await t.gql(`query($id: ID!) { node(id: $id) { ... on Webhook { disabledReason consecutiveFailures } } }`, { id }, { token: ADMIN.token });
    expect(w.body.data.node.disabledReason).toMatch(/HTTP 503/);
    const events = await t.gql(`{ eventLogs(first: 5, filter: { actionIn: ["webhook.disable"] }) { nodes { action } } }`, {}, { token: ADMIN.token });
    expect(events.body.data.eventLogs.nodes).toHaveLength(1);
    const mail = await t.db.db.select().from(outbox).where(and(eq(outbox.template, 'webhook_disabled'), eq(outbox.recipient, ADMIN.email)));
    expect(mail).toHaveLength(1);
    // Disabled: later events queue nothing for it.
    const before = rx.hits.filter((h) => h.path === '/down').length;
    await t.gql(RENAME, { i: { id: orgId, name: 'Down 3' } }, { token: ADMIN.token });
    await sleep(800);
    expect(rx.hits.filter((h) => h.path === '/down').length).toBe(before);
  });
});

describe('outbound addresses', () => {
  it('counts loopback, private, link-local and mapped addresses as private', () => {
    for (const ip of ['127.0.0.1', '10.0.0.5', '172.20.1.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::']) expect(isPrivateAddress(ip), ip).toBe(true);
    for (const ip of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8']) expect(isPrivateAddress(ip), ip).toBe(false);
  });
});

describe.runIf(DRIVERS.includes('postgres'))('webhooks with two gateways on one PostgreSQL', () => {
  it('delivers each event once between them', async () => {
    const rx = await receiver();
    const { url, drop } = await createDatabaseFromTemplate(process.env.TEST_DATABASE_URL!, inject('postgresTemplate')!);
    const a = await startTestGateway('postgres', { env: ENV, database: await openDatabase({ databaseUrl: url, poolMax: 3 }) });
    const b = await startTestGateway('postgres', { env: ENV, database: await openDatabase({ databaseUrl: url, poolMax: 3 }) });
    try {
      const org = await a.gql(CREATE_ORG, { i: { slug: slug(), name: 'Twice' } }, { token: ADMIN.token });
      const id = org.body.data.createOrganization.organization.id;
      await a.gql(CREATE_HOOK, { i: { organizationId: id, url: `${rx.base}/both`, actions: ['organization.update'] } }, { token: ADMIN.token });
      for (let k = 0; k < 10; k++) await (k % 2 ? a : b).gql(RENAME, { i: { id, name: `Twice ${k}` } }, { token: ADMIN.token });
      await until(() => rx.hits.length >= 10, 'ten deliveries');
      await sleep(800);
      expect(rx.hits).toHaveLength(10);
      expect(new Set(rx.hits.map((h) => h.headers['x-webhook-id'])).size).toBe(10);
    } finally {
      await a.close();
      await b.close();
      await drop();
      await rx.close();
    }
  });
});
