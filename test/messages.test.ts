// Messages: who sees them (owner, live recipients, organization admins, instance admins), the
// dashboard filters, the changes (create, revoke, allow download, self-destruct, read) with
// their event-log rows, and User.ownedMessages / receivedMessages.
import { desc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventLogs } from '../schema/logs.js';
import type { OrganizationRow } from '../src/modules/organizations/organization.repo.js';
import type { UserRow } from '../src/modules/users/user.repo.js';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { seedContent, type ContentSeed } from './helpers/seed-content.js';
import { seed, type Seed } from './helpers/seed.js';

const MSG_FIELDS = `id metadata allowDownload selfDestructAt isService owner { username } organization { slug } recipients { username }
  accesses { email revoked revokedAt readCount readFirstAt readLastAt user { username } addedBy { username } } viewerCanManage`;
const CREATE = `mutation($i: CreateMessageInput!) { createMessage(input: $i) { message { ${MSG_FIELDS} } userErrors { code field message } } }`;
const REVOKE = `mutation($i: RevokeMessageAccessInput!) { revokeMessageAccess(input: $i) { message { id } revokedAccesses { email user { username } revoked } userErrors { code field message } } }`;
const ALLOW = `mutation($i: SetMessageAllowDownloadInput!) { setMessageAllowDownload(input: $i) { message { allowDownload } userErrors { code field } } }`;
const DESTRUCT = `mutation($i: SetMessageSelfDestructDateInput!) { setMessageSelfDestructDate(input: $i) { message { selfDestructAt } userErrors { code field message } } }`;
const READ = `mutation($i: RecordMessageReadInput!) { recordMessageRead(input: $i) { access { readCount readFirstAt readLastAt } userErrors { code field message } } }`;
const MESSAGE = `query($id: ID!) { message(id: $id) { ${MSG_FIELDS} } }`;

describe.each(DRIVERS)('messages on %s', (driver) => {
  let t: TestGateway;
  let s: Seed;
  let c: ContentSeed;
  const u: Record<string, UserRow> = {};
  const tok: Record<string, string> = {};
  let acme: OrganizationRow;

  beforeAll(async () => {
    t = await startTestGateway(driver);
    s = seed(t);
    c = seedContent(t);
    for (const name of ['olga', 'rita', 'rob', 'adel', 'eve']) {
      u[name] = await s.user(name);
      tok[name] = await s.tokenFor(u[name]);
    }
    acme = await s.org('acme', { owner: u.adel });
    await s.member(acme, u.olga);
  });
  afterAll(() => t.close());

  const gid = (row: { id: string }, type = 'User') => s.gid(type, row);
  const lastEvent = async () => (await t.db.db.select().from(eventLogs).orderBy(desc(eventLogs.occurredAt), desc(eventLogs.id)).limit(1))[0]!;
  const create = async (token: string, i: Record<string, unknown>) => (await t.gql(CREATE, { i }, { token })).body;

  let m1: string;

  describe('createMessage', () => {
    it('creates a message with user and email recipients in an organization, and logs it', async () => {
      const r = await create(tok.olga, {
        metadata: { subject: 'Q3', tags: ['finance'] },
        recipientIds: [gid(u.rita), gid(u.rob)],
        recipientEmails: ['Ext@Example.org'],
        organizationId: gid(acme, 'Organization'),
      });
      expect(r.errors).toBeUndefined();
      const p = r.data.createMessage;
      expect(p.userErrors).toEqual([]);
      expect(p.message).toMatchObject({
        metadata: { subject: 'Q3', tags: ['finance'] },
        allowDownload: true,
        isService: false,
        owner: { username: 'olga' },
        organization: { slug: 'acme' },
        recipients: [{ username: 'rita' }, { username: 'rob' }],
        viewerCanManage: true,
      });
      expect(p.message.accesses).toHaveLength(3);
      expect(p.message.accesses).toContainEqual(expect.objectContaining({ email: 'Ext@Example.org', user: null, addedBy: { username: 'olga' }, readCount: 0 }));
      m1 = p.message.id;
      expect(await lastEvent()).toMatchObject({ action: 'message.create', actorUserId: u.olga.id, organizationId: acme.id });
    });

    it('validates recipients, dates and service flags', async () => {
      expect((await create(tok.olga, { recipientEmails: ['not-an-email'] })).data.createMessage.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: 'recipientEmails.0' });
      // NUL cannot be stored in PostgreSQL text: the input guard refuses it before anything runs (not a 500).
      const nul = await create(tok.olga, { recipientEmails: ['ok@example.org', 'nul\u0000@example.org'] });
      expect(nul.errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining('i.recipientEmails.1') });
      expect((await create(tok.olga, { selfDestructAt: '2001-01-01T00:00:00Z' })).data.createMessage.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: 'selfDestructAt' });
      expect((await create(tok.olga, { recipientIds: ['nope'] })).errors[0].extensions.code).toBe('NOT_FOUND');
      expect((await create(tok.olga, { isService: true })).errors[0].extensions.code).toBe('FORBIDDEN');
      expect((await create(tok.eve, { organizationId: gid(acme, 'Organization') })).errors[0].extensions.code).toBe('NOT_FOUND');
      expect((await t.gql(CREATE, { i: {} })).body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('visibility', () => {
    it('shows a message to its owner, recipients, organization admins and instance admins only', async () => {
      for (const who of ['olga', 'rita', 'adel']) expect((await t.gql(MESSAGE, { id: m1 }, { token: tok[who] })).body.data.message.id).toBe(m1);
      expect((await t.gql(MESSAGE, { id: m1 }, { token: ADMIN.token })).body.data.message.id).toBe(m1);
      expect((await t.gql(MESSAGE, { id: m1 }, { token: tok.eve })).body.data.message).toBeNull();
      expect((await t.gql(MESSAGE, { id: m1 })).body.data.message).toBeNull();
      // A recipient sees only their own access and themselves as recipient.
      const asRita = (await t.gql(MESSAGE, { id: m1 }, { token: tok.rita })).body.data.message;
      expect(asRita).toMatchObject({ viewerCanManage: false, recipients: [{ username: 'rita' }], accesses: [{ user: { username: 'rita' } }] });
    });

    it('lists with the dashboard filters, newest first, in keyset pages', async () => {
      const svc = await c.message(u.rob, { recipients: [u.olga], isService: true, metadata: { kind: 'notice' } });
      await c.message(u.eve, { metadata: { subject: 'private' } });
      const q = `query($f: MessageFilterInput, $after: String) { messages(first: 2, after: $after, filter: $f) { nodes { id metadata owner { username } } pageInfo { hasNextPage endCursor } totalCount } }`;
      const olga = (await t.gql(q, {}, { token: tok.olga })).body.data.messages;
      expect(olga.totalCount).toBe(2);
      expect(olga.nodes.map((n: any) => n.id)).toEqual([gid(svc, 'Message'), m1]);
      expect((await t.gql(q, { f: { onlyVisible: true } }, { token: tok.olga })).body.data.messages.nodes.map((n: any) => n.id)).toEqual([m1]);
      expect((await t.gql(q, { f: { metaDataContains: { tags: ['finance'] } } }, { token: ADMIN.token })).body.data.messages.nodes.map((n: any) => n.id)).toEqual([m1]);
      expect((await t.gql(q, { f: { owner: gid(u.eve) } }, { token: tok.olga })).body.data.messages.nodes).toEqual([]);
      expect((await t.gql(q, { f: { owner: gid(u.eve) } }, { token: ADMIN.token })).body.data.messages.totalCount).toBe(1);
      expect((await t.gql(q, { f: { recipient: gid(u.rob) } }, { token: ADMIN.token })).body.data.messages.nodes.map((n: any) => n.id)).toEqual([m1]);
      const all = (await t.gql(q, {}, { token: ADMIN.token })).body.data.messages;
      expect(all.pageInfo.hasNextPage).toBe(true);
      const rest = (await t.gql(q, { after: all.pageInfo.endCursor }, { token: ADMIN.token })).body.data.messages;
      expect([...all.nodes, ...rest.nodes].map((n: any) => n.id)).toHaveLength(3);
      expect(rest.pageInfo.hasNextPage).toBe(false);
    });

    it('adds User.ownedMessages and User.receivedMessages, filtered by what you may see', async () => {
      const q = `query($id: ID!) { node(id: $id) { ... on User { ownedMessages { nodes { id } } receivedMessages { nodes { id owner { username } } } } } }`;
      const robAsAdmin = (await t.gql(q, { id: gid(u.rob) }, { token: ADMIN.token })).body.data.node;
      expect(robAsAdmin.ownedMessages.nodes).toHaveLength(1);
      expect(robAsAdmin.receivedMessages.nodes).toEqual([{ id: m1, owner: { username: 'olga' } }]);
      const robAsEve = (await t.gql(q, { id: gid(u.rob) }, { token: tok.eve })).body.data.node;
      expect(robAsEve).toEqual({ ownedMessages: { nodes: [] }, receivedMessages: { nodes: [] } });
    });
  });

  describe('changes', () => {
    it('records reads for recipients only', async () => {
      const first = (await t.gql(READ, { i: { messageId: m1 } }, { token: tok.rita })).body.data.recordMessageRead;
      expect(first.userErrors).toEqual([]);
      expect(first.access.readCount).toBe(1);
      const second = (await t.gql(READ, { i: { messageId: m1 } }, { token: tok.rita })).body.data.recordMessageRead;
      expect(second.access).toMatchObject({ readCount: 2, readFirstAt: first.access.readFirstAt });
      expect(await lastEvent()).toMatchObject({ action: 'message.read', actorUserId: u.rita.id, messageId: expect.any(String) });
      const owner = (await t.gql(READ, { i: { messageId: m1 } }, { token: tok.olga })).body.data.recordMessageRead;
      expect(owner.userErrors[0]).toMatchObject({ code: 'PRECONDITION_FAILED', field: 'messageId' });
      expect((await t.gql(READ, { i: { messageId: m1 } }, { token: tok.eve })).body.errors[0].extensions.code).toBe('NOT_FOUND');
    });

    it('sets allow-download and the self-destruct date (owner and organization admins)', async () => {
      expect((await t.gql(ALLOW, { i: { messageId: m1, allowDownload: false } }, { token: tok.adel })).body.data.setMessageAllowDownload).toEqual({
        message: { allowDownload: false },
        userErrors: [],
      });
      expect(await lastEvent()).toMatchObject({ action: 'message.setAllowDownload', actorUserId: u.adel.id });
      expect((await t.gql(ALLOW, { i: { messageId: m1, allowDownload: true } }, { token: tok.rita })).body.errors[0].extensions.code).toBe('FORBIDDEN');
      const future = new Date(Date.now() + 86_400_000).toISOString();
      expect((await t.gql(DESTRUCT, { i: { messageId: m1, date: future } }, { token: tok.olga })).body.data.setMessageSelfDestructDate.message.selfDestructAt).toBe(future);
      expect(await lastEvent()).toMatchObject({ action: 'message.setSelfDestructDate' });
      const past = (await t.gql(DESTRUCT, { i: { messageId: m1, date: '2000-01-01T00:00:00Z' } }, { token: tok.olga })).body.data.setMessageSelfDestructDate;
      expect(past.userErrors).toEqual([{ code: 'VALIDATION_FAILED', field: 'date', message: 'Must be in the future' }]);
      expect((await t.gql(DESTRUCT, { i: { messageId: m1, date: null } }, { token: tok.olga })).body.data.setMessageSelfDestructDate.message.selfDestructAt).toBeNull();
    });

    it('revokes one user, one email or everyone (owner and organization admins)', async () => {
      const one = (await t.gql(REVOKE, { i: { messageId: m1, userId: gid(u.rob) } }, { token: tok.olga })).body.data.revokeMessageAccess;
      expect(one).toMatchObject({ userErrors: [], revokedAccesses: [{ user: { username: 'rob' }, revoked: true }] });
      expect(await lastEvent()).toMatchObject({ action: 'message.revoke', user2Id: u.rob.id });
      // Rob no longer sees it; asking again finds nothing to revoke.
      expect((await t.gql(MESSAGE, { id: m1 }, { token: tok.rob })).body.data.message).toBeNull();
      const again = (await t.gql(REVOKE, { i: { messageId: m1, userId: gid(u.rob) } }, { token: tok.olga })).body.data.revokeMessageAccess;
      expect(again.userErrors[0]).toMatchObject({ code: 'PRECONDITION_FAILED', field: 'userId' });
      const email = (await t.gql(REVOKE, { i: { messageId: m1, email: 'ext@example.ORG' } }, { token: tok.adel })).body.data.revokeMessageAccess;
      expect(email.revokedAccesses).toEqual([{ email: 'Ext@Example.org', user: null, revoked: true }]);
      expect(await lastEvent()).toMatchObject({ action: 'message.revoke', email: 'ext@example.ORG' });
      const none = (await t.gql(REVOKE, { i: { messageId: m1 } }, { token: tok.olga })).body.data.revokeMessageAccess;
      expect(none.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect((await t.gql(REVOKE, { i: { messageId: m1, everyone: true } }, { token: tok.rita })).body.errors[0].extensions.code).toBe('FORBIDDEN');
      const all = (await t.gql(REVOKE, { i: { messageId: m1, everyone: true } }, { token: tok.olga })).body.data.revokeMessageAccess;
      expect(all.revokedAccesses).toEqual([{ email: null, user: { username: 'rita' }, revoked: true }]);
      const asOwner = (await t.gql(MESSAGE, { id: m1 }, { token: tok.olga })).body.data.message;
      expect(asOwner.recipients).toEqual([]);
      expect(asOwner.accesses.every((a: any) => a.revoked && a.revokedAt)).toBe(true);
      expect((await t.gql(REVOKE, { i: { messageId: 'bm9wZQ', everyone: true } }, { token: tok.olga })).body.errors[0].extensions.code).toBe('NOT_FOUND');
    });
  });
});
