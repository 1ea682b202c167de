// The outbox worker against a real (tiny, in-process) SMTP server on 127.0.0.1: delivery,
// attempts and giving up, permanent refusals, backoff, channels without a sender, the
// start/stop lifecycle, the operators' outboxMessages query, and (PostgreSQL) two workers
// never sending one row twice.
import type { AddressInfo } from 'node:net';
import { eq, inArray } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../schema/outbox.js';
import { createLogger } from '../src/core/logger.js';
import { enqueue } from '../src/modules/outbox/outbox.service.js';
import { OutboxWorker, smtpSender, startOutboxWorker } from '../src/modules/outbox/outbox.worker.js';
import { ADMIN, DRIVERS, startTestGateway, testConfig, type TestGateway } from './helpers/gateway.js';
import { seed, type Seed } from './helpers/seed.js';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** An SMTP server that accepts everything except `reject*@` (550, permanent) and `later*@` (451, transient). */
async function startSmtp(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, cb) {
      if (address.address.startsWith('reject')) return cb(Object.assign(new Error('No such mailbox'), { responseCode: 550 }));
      if (address.address.startsWith('later')) return cb(Object.assign(new Error('Try again later'), { responseCode: 451 }));
      cb();
    },
    onData(stream, session, cb) {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      stream.on('end', () => {
        received.push({ from: (session.envelope.mailFrom as { address: string }).address, to: session.envelope.rcptTo.map((r) => r.address), raw });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const OUTBOX = `query($status: OutboxStatus, $first: Int, $after: String) { outboxMessages(status: $status, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } nodes { id channel template recipient subject body payload status attempts lastError createdAt sentAt organization { slug } } } }`;
const INVITE = `mutation($i: InviteToOrganizationInput!) { inviteToOrganization(input: $i) { invitation { id } userErrors { code field } } }`;

const silent = createLogger('silent');

describe.each(DRIVERS)('outbox on %s', (driver) => {
  let t: TestGateway;
  let s: Seed;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let ownerTok: string;
  let orgId: string;
  const workers: { stop(): Promise<void> }[] = [];

  beforeAll(async () => {
    t = await startTestGateway(driver);
    s = seed(t);
    smtp = await startSmtp();
    const owner = await s.user('olga');
    ownerTok = await s.tokenFor(owner);
    orgId = s.gid('Organization', await s.org('mailers', { owner }));
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    // Each test starts from an empty queue: earlier leftovers are set aside, not deleted.
    await t.db.db.update(outbox).set({ status: 'failed', lastError: 'set aside by test' }).where(eq(outbox.status, 'pending'));
    smtp.received.length = 0;
  });
  afterAll(async () => {
    await smtp.close();
    await t.close();
  });

  const worker = (opts: Partial<ConstructorParameters<typeof OutboxWorker>[1]> = {}, url = smtp.url) => {
    const sender = smtpSender(url, 'gateway@example.test');
    const w = new OutboxWorker(t.db.db, { senders: { email: sender.send }, intervalMs: 50, lockRows: driver === 'postgres', retryBaseMs: 0, logger: silent, ...opts });
    workers.push({ stop: async () => (await w.stop(), sender.close()) });
    return w;
  };
  const inviteEmail = async (email: string) => {
    const r = await t.gql(INVITE, { i: { organizationId: orgId, email } }, { token: ownerTok });
    expect(r.body.data.inviteToOrganization.userErrors).toEqual([]);
    return r.body.data.inviteToOrganization.invitation.id as string;
  };
  const rowFor = async (recipient: string) => (await t.db.db.select().from(outbox).where(eq(outbox.recipient, recipient)))[0]!;

  it('starts no worker without SMTP_URL; queued messages stay pending and readable by instance admins', async () => {
    expect(startOutboxWorker(t.db, testConfig(), silent)).toBeNull();
    const id = await inviteEmail('reader@example.org');
    const r = await t.gql(OUTBOX, { status: 'PENDING' }, { token: ADMIN.token });
    const [m] = r.body.data.outboxMessages.nodes;
    expect(m).toMatchObject({ channel: 'EMAIL', template: 'invitation', recipient: 'reader@example.org', status: 'PENDING', attempts: 0, sentAt: null, organization: { slug: 'mailers' } });
    expect(m.payload.invitationId).toBe(id);
    expect(m.body).toContain(id);
  });

  it('delivers through SMTP and marks the row sent; SMS rows (no sender) stay pending', async () => {
    const id = await inviteEmail('deliver.me@example.org');
    await t.gql(INVITE, { i: { organizationId: orgId, phone: '+15550001111' } }, { token: ownerTok });
    const result = await worker().drainOnce();
    expect(result).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail!.to).toEqual(['deliver.me@example.org']);
    expect(mail!.from).toBe('gateway@example.test');
    expect(mail!.raw).toContain('Subject: Invitation to join Org mailers');
    expect(mail!.raw.replace(/=\r?\n/g, '')).toContain(id);
    expect(await rowFor('deliver.me@example.org')).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
    expect((await rowFor('deliver.me@example.org')).sentAt).not.toBeNull();
    expect(await rowFor('+15550001111')).toMatchObject({ status: 'pending', attempts: 0 });

    // Nothing left for the email channel: a second drain sends nothing again.
    expect(await worker().drainOnce()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(smtp.received).toHaveLength(1);
  });

  it('gives up at once on a permanent refusal (5xx), keeping the error', async () => {
    await inviteEmail('reject.me@example.org');
    expect(await worker().drainOnce()).toEqual({ sent: 0, retrying: 0, failed: 1 });
    const row = await rowFor('reject.me@example.org');
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row.lastError).toMatch(/No such mailbox|550/);
  });

  it('counts transient failures and marks the row failed after maxAttempts', async () => {
    await inviteEmail('later.maybe@example.org');
    const w = worker({ maxAttempts: 3 });
    expect(await w.drainOnce()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    expect(await rowFor('later.maybe@example.org')).toMatchObject({ status: 'pending', attempts: 1 });
    expect(await w.drainOnce()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    expect(await w.drainOnce()).toEqual({ sent: 0, retrying: 0, failed: 1 });
    expect(await rowFor('later.maybe@example.org')).toMatchObject({ status: 'failed', attempts: 3 });
    expect(await w.drainOnce()).toEqual({ sent: 0, retrying: 0, failed: 0 });
  });

  it('keeps a row when the server is unreachable, backs off, and delivers once it is back', async () => {
    await inviteEmail('patient@example.org');
    const down = await startSmtp();
    const downUrl = down.url;
    await down.close();
    expect(await worker({}, downUrl).drainOnce()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    const row = await rowFor('patient@example.org');
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row.lastError).toBeTruthy();
    // With a long backoff the next attempt is not due yet.
    expect(await worker({ retryBaseMs: 3_600_000 }).drainOnce()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(await worker().drainOnce()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(await rowFor('patient@example.org')).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
  });

  it('runs on its own once started from SMTP_URL, and stops cleanly', async () => {
    const started = startOutboxWorker(t.db, testConfig({ SMTP_URL: `${smtp.url}?from=robot%40example.test`, OUTBOX_INTERVAL_MS: '100' }), silent);
    expect(started).not.toBeNull();
    workers.push(started!);
    await inviteEmail('polled@example.org');
    const deadline = Date.now() + 10_000;
    while ((await rowFor('polled@example.org')).status !== 'sent' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect((await rowFor('polled@example.org')).status).toBe('sent');
    expect(smtp.received.map((m) => m.from)).toEqual(['robot@example.test']);
    await started!.stop();
    await inviteEmail('after-stop@example.org');
    await new Promise((r) => setTimeout(r, 300));
    expect((await rowFor('after-stop@example.org')).status).toBe('pending');
  });

  it('lets only instance admins read the outbox, newest first with cursors', async () => {
    await enqueue(t.db.db, { channel: 'email', template: 'password_reset', recipient: 'one@example.org', body: 'one' });
    await enqueue(t.db.db, { channel: 'email', template: 'password_reset', recipient: 'two@example.org', body: 'two' });
    const first = await t.gql(OUTBOX, { first: 1, status: 'PENDING' }, { token: ADMIN.token });
    const c = first.body.data.outboxMessages;
    expect(c).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true }, nodes: [{ recipient: 'two@example.org' }] });
    const next = await t.gql(OUTBOX, { first: 1, status: 'PENDING', after: c.pageInfo.endCursor }, { token: ADMIN.token });
    expect(next.body.data.outboxMessages).toMatchObject({ pageInfo: { hasNextPage: false }, nodes: [{ recipient: 'one@example.org' }] });

    const node = await t.gql(`query($id: ID!) { node(id: $id) { ... on OutboxMessage { recipient } } }`, { id: c.nodes[0].id }, { token: ADMIN.token });
    expect(node.body.data.node).toEqual({ recipient: 'two@example.org' });
    const hidden = await t.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: c.nodes[0].id }, { token: ownerTok });
    expect(hidden.body.data.node).toBeNull();

    expect((await t.gql(OUTBOX, {}, { token: ownerTok })).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await t.gql(OUTBOX, {})).body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});

describe.runIf(DRIVERS.includes('postgres'))('outbox workers side by side on postgres', () => {
  let t: TestGateway;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeAll(async () => {
    t = await startTestGateway('postgres');
    smtp = await startSmtp();
  });
  afterAll(async () => {
    await smtp.close();
    await t.close();
  });

  it('never sends a row twice: FOR UPDATE SKIP LOCKED splits the queue between workers', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push((await enqueue(t.db.db, { channel: 'email', template: 'invitation', recipient: `bulk${i}@example.org`, subject: `n${i}`, body: `message ${i}` })).id);
    const senders = [smtpSender(smtp.url, 'a@example.test'), smtpSender(smtp.url, 'b@example.test')];
    const ws = senders.map((snd) => new OutboxWorker(t.db.db, { senders: { email: snd.send }, intervalMs: 10, batchSize: 5, lockRows: true, retryBaseMs: 0 }));
    for (let round = 0; round < 10; round++) await Promise.all(ws.map((w) => w.drainOnce()));
    senders.forEach((snd) => snd.close());
    const rows = await t.db.db.select().from(outbox).where(inArray(outbox.id, ids));
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
    const recipients = smtp.received.flatMap((m) => m.to);
    expect(recipients).toHaveLength(30);
    expect(new Set(recipients).size).toBe(30);
    // Both workers took part.
    expect(new Set(smtp.received.map((m) => m.from)).size).toBe(2);
  });
});
