// Invitations: who may invite whom and how, the one-pending-per-invitee rule, answering
// (accept/reject) by the invitee only, resend/revoke, expiry computed on read, the event-log
// and outbox rows written in the change's own transaction, the connections, and batching.
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventLogs } from '../schema/logs.js';
import { invitations, memberships, organizationMemberships } from '../schema/organizations.js';
import { outbox } from '../schema/outbox.js';
import type { OrganizationRow } from '../src/modules/organizations/organization.repo.js';
import type { UserRow } from '../src/modules/users/user.repo.js';
import { insertContact } from '../src/modules/users/user.repo.js';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { seed, type Seed } from './helpers/seed.js';

const FIELDS = `id status role method inviteeEmail inviteePhone inviteeIdentifier sentAt validUntil acceptedAt declinedAt revokedAt createdAt
  organizationName organizationSlug organization { slug } inviteeUser { username } inviteeOrganization { slug } invitedBy { username }`;
const INVITE = `mutation($i: InviteToOrganizationInput!) { inviteToOrganization(input: $i) { invitation { ${FIELDS} } userErrors { code field message } } }`;
const op = (name: string) => `mutation($id: ID!) { ${name}(input: { id: $id }) { invitation { ${FIELDS} } userErrors { code field message } } }`;
const ACCEPT = op('acceptInvitation');
const REJECT = op('rejectInvitation');
const REVOKE = op('revokeInvitation');
const RESEND = op('resendInvitation');
const LIST = `query($f: InvitationFilterInput, $first: Int, $after: String) {
  invitations(filter: $f, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id status inviteeIdentifier organizationSlug } } }`;

const uuidOf = (gid: string) => Buffer.from(gid, 'base64url').toString('utf8').split(':')[1]!;

describe.each(DRIVERS)('invitations on %s', (driver) => {
  let t: TestGateway;
  let s: Seed;
  const tok: Record<string, string> = {};
  const u: Record<string, UserRow> = {};
  let acme: OrganizationRow;
  let beta: OrganizationRow;
  let acmeId: string;

  beforeAll(async () => {
    t = await startTestGateway(driver);
    s = seed(t);
    for (const name of ['alice', 'bob', 'carol', 'dave', 'erin', 'fred', 'gina', 'hank']) {
      u[name] = await s.user(name);
      tok[name] = await s.tokenFor(u[name]!);
    }
    acme = await s.org('acme', { owner: u.alice });
    await s.member(acme, u.bob!, 'admin');
    await s.member(acme, u.carol!, 'member');
    beta = await s.org('beta', { owner: u.dave });
    acmeId = s.gid('Organization', acme);
  });
  afterAll(() => t.close());

  const invite = async (input: Record<string, unknown>, token = tok.bob!) => {
    const r = await t.gql(INVITE, { i: { organizationId: acmeId, ...input } }, { token });
    return { r, p: r.body.data?.inviteToOrganization };
  };
  const act = async (query: string, id: string, token: string) => {
    const r = await t.gql(query, { id }, { token });
    const p = r.body.data ? Object.values(r.body.data)[0] as any : undefined;
    return { r, p };
  };
  const outboxFor = (invitationGid: string) => t.db.db.select().from(outbox).where(sql`${outbox.payload}->>'invitationId' = ${invitationGid}`);
  const eventsFor = (action: string, invitationUuid: string) =>
    t.db.db.select().from(eventLogs).where(and(eq(eventLogs.action, action), sql`${eventLogs.data}->>'invitationId' = ${invitationUuid}`));

  describe('inviteToOrganization', () => {
    it('invites an existing user by username: pending, MEMBER, valid 7 days, logged, no message', async () => {
      const { p } = await invite({ username: 'dave' });
      expect(p.userErrors).toEqual([]);
      const inv = p.invitation;
      expect(inv).toMatchObject({
        status: 'PENDING', role: 'MEMBER', method: 'WEBSITE', inviteeEmail: null, inviteeIdentifier: 'dave',
        organizationName: 'Org acme', organizationSlug: 'acme', organization: { slug: 'acme' }, inviteeUser: { username: 'dave' }, invitedBy: { username: 'bob' },
      });
      const days = (new Date(inv.validUntil).getTime() - new Date(inv.sentAt).getTime()) / 86_400_000;
      expect(days).toBeCloseTo(7, 3);
      expect(await outboxFor(inv.id)).toHaveLength(0);
      const [event] = await eventsFor('invitation.create', uuidOf(inv.id));
      expect(event).toMatchObject({ organizationId: acme.id, actorUserId: u.bob!.id, user2Id: u.dave!.id });
    });

    it('invites an email address: an outbox email in the same commit; an address of a user links that user', async () => {
      const { p } = await invite({ email: 'new.person@example.org' });
      expect(p.userErrors).toEqual([]);
      expect(p.invitation).toMatchObject({ method: 'EMAIL', inviteeEmail: 'new.person@example.org', inviteeUser: null, inviteeIdentifier: 'new.person@example.org' });
      const [msg] = await outboxFor(p.invitation.id);
      expect(msg).toMatchObject({ channel: 'email', template: 'invitation', recipient: 'new.person@example.org', status: 'pending', organizationId: acme.id });
      expect(msg!.subject).toContain('Org acme');
      expect(msg!.body).toContain(p.invitation.id);
      expect(msg!.payload).toMatchObject({ organizationSlug: 'acme', role: 'MEMBER', invitedBy: 'bob' });

      const linked = await invite({ email: 'ERIN@example.com' });
      expect(linked.p.invitation).toMatchObject({ method: 'EMAIL', inviteeUser: { username: 'erin' } });
    });

    it('invites a phone number: an outbox SMS', async () => {
      const { p } = await invite({ phone: '+1 (555) 010-9999' });
      expect(p.userErrors).toEqual([]);
      expect(p.invitation).toMatchObject({ method: 'PHONE', inviteePhone: '+15550109999' });
      const [msg] = await outboxFor(p.invitation.id);
      expect(msg).toMatchObject({ channel: 'sms', recipient: '+15550109999', subject: null });
      const again = await invite({ phone: '+15550109999' });
      expect(again.p.userErrors[0]).toMatchObject({ code: 'CONFLICT', field: 'phone' });
      // Without its "+" (the accounts dialect's form) it is the same E.164 number.
      const bare = await invite({ phone: '1 555 010 9999' });
      expect(bare.p.userErrors[0]).toMatchObject({ code: 'CONFLICT', field: 'phone' });
      const other = await invite({ phone: '15550108888' });
      expect(other.p.invitation).toMatchObject({ method: 'PHONE', inviteePhone: '+15550108888' });
    });

    it('lets only owners invite as OWNER', async () => {
      const byAdmin = await invite({ username: 'fred', role: 'OWNER' });
      expect(byAdmin.r.body.errors[0].extensions.code).toBe('FORBIDDEN');
      const byOwner = await invite({ username: 'fred', role: 'OWNER' }, tok.alice);
      expect(byOwner.p.userErrors).toEqual([]);
      expect(byOwner.p.invitation.role).toBe('OWNER');
    });

    it('refuses members (FORBIDDEN), outsiders (NOT_FOUND, like a missing organization) and anonymous callers', async () => {
      expect((await invite({ username: 'gina' }, tok.carol)).r.body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect((await invite({ username: 'gina' }, tok.erin)).r.body.errors[0].extensions.code).toBe('NOT_FOUND');
      const missing = await t.gql(INVITE, { i: { organizationId: s.gid('Organization', { id: '00000000-0000-7000-8000-000000000000' }), username: 'gina' } }, { token: tok.bob });
      expect(missing.body.errors[0].extensions.code).toBe('NOT_FOUND');
      const garbage = await t.gql(INVITE, { i: { organizationId: 'nope', username: 'gina' } }, { token: tok.bob });
      expect(garbage.body.errors[0].extensions.code).toBe('NOT_FOUND');
      const anon = await t.gql(INVITE, { i: { organizationId: acmeId, username: 'gina' } });
      expect(anon.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(await t.db.db.select().from(invitations).where(eq(invitations.inviteeUserId, u.gina!.id))).toHaveLength(0);
    });

    it('reports unknown usernames and organizations as NOT_FOUND', async () => {
      expect((await invite({ username: 'nobody' })).r.body.errors[0].extensions.code).toBe('NOT_FOUND');
      expect((await invite({ organization: 'no-such-org' })).r.body.errors[0].extensions.code).toBe('NOT_FOUND');
    });

    it('answers CONFLICT for members and for a second pending invitation, and queues nothing then', async () => {
      const member = await invite({ username: 'carol' });
      expect(member.p.userErrors[0]).toMatchObject({ code: 'CONFLICT', field: 'username' });
      const memberEmail = await invite({ email: 'carol@example.com' });
      expect(memberEmail.p.userErrors[0]).toMatchObject({ code: 'CONFLICT', field: 'email' });

      const first = await invite({ email: 'twice@example.org' });
      expect(first.p.userErrors).toEqual([]);
      const before = await t.db.db.select().from(outbox);
      const events = await t.db.db.select().from(eventLogs).where(eq(eventLogs.action, 'invitation.create'));
      const second = await invite({ email: 'Twice@Example.org' }, tok.alice);
      expect(second.p).toMatchObject({ invitation: null, userErrors: [{ code: 'CONFLICT', field: 'email' }] });
      expect(await t.db.db.select().from(outbox)).toHaveLength(before.length);
      expect(await t.db.db.select().from(eventLogs).where(eq(eventLogs.action, 'invitation.create'))).toHaveLength(events.length);
      // A user already invited by username cannot be invited again through their email either.
      const viaEmail = await invite({ email: 'dave@example.com' });
      expect(viaEmail.p.userErrors[0]).toMatchObject({ code: 'CONFLICT', field: 'email' });
    });

    it('validates the input with the field at fault', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{}, 'username'],
        [{ username: 'gina', email: 'g@example.org' }, 'email'],
        [{ email: 'not-an-email' }, 'email'],
        [{ phone: '12' }, 'phone'],
        [{ phone: '0475 12 34 56' }, 'phone'],
        [{ email: `${'x'.repeat(65)}@example.org` }, 'email'],
        [{ username: 'gina', validUntil: new Date(Date.now() - 1000).toISOString() }, 'validUntil'],
        [{ username: 'gina', validUntil: new Date(Date.now() + 31 * 86_400_000).toISOString() }, 'validUntil'],
        [{ organization: 'acme' }, 'organization'],
        [{ organization: 'beta', role: 'ADMIN' }, 'role'],
      ];
      for (const [input, field] of cases) {
        const { p } = await invite(input, tok.alice);
        expect(p.userErrors[0], JSON.stringify(input)).toMatchObject({ code: 'VALIDATION_FAILED', field });
      }
      // A NUL cannot be stored: the input guard refuses it before the service runs (core/input-guard.ts).
      for (const input of [{ phone: '+1555\u00000109999' }, { email: 'nul\u0000@example.org' }]) {
        const { r } = await invite(input, tok.alice);
        expect(r.body.errors?.[0]?.extensions?.code, JSON.stringify(input)).toBe('BAD_USER_INPUT');
      }
      const ok = await invite({ username: 'gina', validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString() });
      expect(ok.p.userErrors).toEqual([]);
    });
  });

  describe('answering', () => {
    it('lets the invited user accept: the membership and the event commit together; a second accept is PRECONDITION_FAILED', async () => {
      const { p } = await invite({ username: 'hank', role: 'ADMIN' }, tok.alice);
      const id = p.invitation.id;
      // Not visible to others: NOT_FOUND; visible to the admin, who still may not answer: FORBIDDEN.
      expect((await act(ACCEPT, id, tok.erin!)).r.body.errors[0].extensions.code).toBe('NOT_FOUND');
      expect((await act(ACCEPT, id, tok.carol!)).r.body.errors[0].extensions.code).toBe('NOT_FOUND');
      expect((await act(ACCEPT, id, tok.bob!)).r.body.errors[0].extensions.code).toBe('FORBIDDEN');

      const accepted = await act(ACCEPT, id, tok.hank!);
      expect(accepted.p.userErrors).toEqual([]);
      expect(accepted.p.invitation).toMatchObject({ status: 'ACCEPTED', inviteeUser: { username: 'hank' } });
      expect(accepted.p.invitation.acceptedAt).not.toBeNull();
      const [m] = await t.db.db.select().from(memberships).where(and(eq(memberships.organizationId, acme.id), eq(memberships.userId, u.hank!.id)));
      expect(m!.role).toBe('admin');
      const [event] = await eventsFor('invitation.accept', uuidOf(id));
      expect(event).toMatchObject({ actorUserId: u.hank!.id, organizationId: acme.id });
      expect((event!.data as { membershipId: string }).membershipId).toBe(m!.id);

      const again = await act(ACCEPT, id, tok.hank!);
      expect(again.p).toMatchObject({ invitation: null, userErrors: [{ code: 'PRECONDITION_FAILED', field: 'id' }] });
      expect((await act(REJECT, id, tok.hank!)).p.userErrors[0].code).toBe('PRECONDITION_FAILED');
    });

    it('lets a user who owns the invited email accept, linking their account', async () => {
      const { p } = await invite({ email: 'later@example.org' });
      const ivy = await s.user('ivy', { email: 'Later@Example.org' });
      const ivyTok = await s.tokenFor(ivy);
      const mine = await t.gql(`{ invitations(filter: { status: PENDING }) { nodes { id } } }`, {}, { token: ivyTok });
      expect(mine.body.data.invitations.nodes.map((n: { id: string }) => n.id)).toContain(p.invitation.id);
      const r = await act(ACCEPT, p.invitation.id, ivyTok);
      expect(r.p.userErrors).toEqual([]);
      expect(r.p.invitation).toMatchObject({ status: 'ACCEPTED', inviteeUser: { username: 'ivy' } });
      expect(await t.db.db.select().from(memberships).where(and(eq(memberships.organizationId, acme.id), eq(memberships.userId, ivy.id)))).toHaveLength(1);
    });

    it('lets the invitee reject: REJECTED with declinedAt; then nothing else answers it', async () => {
      // Gina's invitation comes from the validation test above.
      const { id } = await pendingFor(u.gina!.id);
      const r = await act(REJECT, id, tok.gina!);
      expect(r.p.userErrors).toEqual([]);
      expect(r.p.invitation.status).toBe('REJECTED');
      expect(r.p.invitation.declinedAt).not.toBeNull();
      expect(await eventsFor('invitation.reject', uuidOf(id))).toHaveLength(1);
      expect((await act(ACCEPT, id, tok.gina!)).p.userErrors[0].code).toBe('PRECONDITION_FAILED');
    });

    it('treats a pending invitation past validUntil as EXPIRED: on read, in filters and in accept; a new one may then be sent', async () => {
      const { p } = await invite({ email: 'slow@example.org' });
      const id = p.invitation.id;
      await t.db.db.update(invitations).set({ validUntil: new Date(Date.now() - 60_000) }).where(eq(invitations.id, uuidOf(id)));
      const read = await t.gql(`query($id: ID!) { invitation(id: $id) { status } }`, { id }, { token: tok.bob });
      expect(read.body.data.invitation.status).toBe('EXPIRED');
      const expired = await t.gql(LIST, { f: { organization: acmeId, status: 'EXPIRED' } }, { token: tok.bob });
      expect(expired.body.data.invitations.nodes.map((n: { id: string }) => n.id)).toContain(id);
      const pending = await t.gql(LIST, { f: { organization: acmeId, status: 'PENDING', email: 'slow@example.org' } }, { token: tok.bob });
      expect(pending.body.data.invitations.nodes).toEqual([]);

      const slow = await s.user('slow', { email: 'slow@example.org' });
      const r = await act(ACCEPT, id, await s.tokenFor(slow));
      expect(r.p.userErrors[0]).toMatchObject({ code: 'PRECONDITION_FAILED' });
      expect(r.p.userErrors[0].message).toContain('expired');

      const fresh = await invite({ email: 'slow@example.org' });
      expect(fresh.p.userErrors).toEqual([]);
      const [old] = await t.db.db.select().from(invitations).where(eq(invitations.id, uuidOf(id)));
      expect(old!.status).toBe('expired');
    });

    it('invites an organization: an owner of that organization accepts, creating an organization membership', async () => {
      const { p } = await invite({ organization: 'beta', role: 'MEMBER' });
      expect(p.userErrors).toEqual([]);
      expect(p.invitation).toMatchObject({ method: 'WEBSITE', inviteeOrganization: { slug: 'beta' }, inviteeIdentifier: 'beta' });
      const id = p.invitation.id;
      // The owner of beta sees it; a user invited nowhere does not.
      const seen = await t.gql(LIST, { f: {} }, { token: tok.dave });
      expect(seen.body.data.invitations.nodes.map((n: { id: string }) => n.id)).toContain(id);
      expect((await act(ACCEPT, id, tok.erin!)).r.body.errors[0].extensions.code).toBe('NOT_FOUND');
      const r = await act(ACCEPT, id, tok.dave!);
      expect(r.p.userErrors).toEqual([]);
      expect(r.p.invitation.status).toBe('ACCEPTED');
      const rows = await t.db.db.select().from(organizationMemberships).where(eq(organizationMemberships.organizationId, acme.id));
      expect(rows).toMatchObject([{ memberOrganizationId: beta.id, role: 'member' }]);
      const again = await invite({ organization: s.gid('Organization', beta) });
      expect(again.p.userErrors[0]).toMatchObject({ code: 'CONFLICT', field: 'organization' });
    });
  });

  const pendingFor = async (userId: string) => {
    const [row] = await t.db.db.select().from(invitations).where(and(eq(invitations.inviteeUserId, userId), eq(invitations.status, 'pending')));
    return { id: s.gid('Invitation', row!) };
  };

  describe('managing', () => {
    it('revokes a pending invitation (admins): REVOKED, logged; the invitee can no longer accept', async () => {
      const { p } = await invite({ email: 'revoke.me@example.org' });
      const id = p.invitation.id;
      expect((await act(REVOKE, id, tok.carol!)).r.body.errors[0].extensions.code).toBe('NOT_FOUND');
      expect((await act(REVOKE, id, tok.erin!)).r.body.errors[0].extensions.code).toBe('NOT_FOUND');
      const r = await act(REVOKE, id, tok.bob!);
      expect(r.p.userErrors).toEqual([]);
      expect(r.p.invitation.status).toBe('REVOKED');
      expect(r.p.invitation.revokedAt).not.toBeNull();
      expect(await eventsFor('invitation.revoke', uuidOf(id))).toHaveLength(1);
      const who = await s.user('revokee', { email: 'revoke.me@example.org' });
      expect((await act(ACCEPT, id, await s.tokenFor(who))).p.userErrors[0].code).toBe('PRECONDITION_FAILED');
      expect((await act(REVOKE, id, tok.bob!)).p.userErrors[0].code).toBe('PRECONDITION_FAILED');
    });

    it('resends a pending invitation: new sentAt, validUntil 7 days further, a new outbox message; not a revoked one', async () => {
      const { p } = await invite({ email: 'resend.me@example.org', validUntil: new Date(Date.now() + 2 * 86_400_000).toISOString() });
      const id = p.invitation.id;
      await new Promise((r) => setTimeout(r, 20));
      const r = await act(RESEND, id, tok.bob!);
      expect(r.p.userErrors).toEqual([]);
      expect(new Date(r.p.invitation.sentAt).getTime()).toBeGreaterThan(new Date(p.invitation.sentAt).getTime());
      expect(new Date(r.p.invitation.validUntil).getTime() - new Date(p.invitation.validUntil).getTime()).toBe(7 * 86_400_000);
      expect(await outboxFor(id)).toHaveLength(2);
      expect(await eventsFor('invitation.resend', uuidOf(id))).toHaveLength(1);
      expect((await act(RESEND, id, tok.carol!)).r.body.errors[0].extensions.code).toBe('NOT_FOUND');

      // Never more than 30 days ahead, however often it is resent.
      for (let i = 0; i < 5; i++) await act(RESEND, id, tok.bob!);
      const [row] = await t.db.db.select().from(invitations).where(eq(invitations.id, uuidOf(id)));
      expect(row!.validUntil.getTime()).toBeLessThanOrEqual(Date.now() + 30 * 86_400_000 + 1000);

      await act(REVOKE, id, tok.bob!);
      const outboxBefore = (await outboxFor(id)).length;
      const late = await act(RESEND, id, tok.bob!);
      expect(late.p.userErrors[0]).toMatchObject({ code: 'PRECONDITION_FAILED', field: 'id' });
      expect(await outboxFor(id)).toHaveLength(outboxBefore);
    });

    it('answers NOT_FOUND for unknown invitation ids', async () => {
      for (const q of [ACCEPT, REJECT, REVOKE, RESEND]) {
        expect((await act(q, s.gid('Invitation', { id: '00000000-0000-7000-8000-000000000001' }), tok.alice!)).r.body.errors[0].extensions.code).toBe('NOT_FOUND');
        expect((await act(q, acmeId, tok.alice!)).r.body.errors[0].extensions.code).toBe('NOT_FOUND');
      }
      const r = await t.gql(`query($id: ID!) { invitation(id: $id) { id } }`, { id: 'garbage' }, { token: tok.alice });
      expect(r.body.data.invitation).toBeNull();
    });
  });

  describe('reading', () => {
    it('lists by visibility: admins their organization’s, users what is addressed to them, instance admins everything', async () => {
      const all = await t.gql(LIST, { first: 100 }, { token: ADMIN.token });
      const total = all.body.data.invitations.totalCount;
      expect(total).toBe((await t.db.db.select().from(invitations)).length);

      const forBob = await t.gql(LIST, { first: 100, f: { organization: acmeId } }, { token: tok.bob });
      expect(forBob.body.data.invitations.nodes.every((n: { organizationSlug: string }) => n.organizationSlug === 'acme')).toBe(true);
      expect(forBob.body.data.invitations.totalCount).toBe((await t.db.db.select().from(invitations).where(eq(invitations.organizationId, acme.id))).length);

      // Carol is only a member: nothing of acme's, nothing addressed to her.
      const forCarol = await t.gql(LIST, { first: 100 }, { token: tok.carol });
      expect(forCarol.body.data.invitations).toMatchObject({ totalCount: 0, nodes: [] });

      // Erin sees the one addressed to her email, with the organization's name but not the organization.
      const forErin = await t.gql(`{ invitations { nodes { inviteeEmail organizationName organization { slug } } } }`, {}, { token: tok.erin });
      expect(forErin.body.data.invitations.nodes).toEqual([{ inviteeEmail: 'ERIN@example.com', organizationName: 'Org acme', organization: null }]);

      const byEmail = await t.gql(LIST, { f: { email: 'new.PERSON@example.org' } }, { token: tok.alice });
      expect(byEmail.body.data.invitations.nodes).toHaveLength(1);
      expect((await t.gql(LIST, {}, {})).body.data.invitations.nodes).toEqual([]);
    });

    it('pages newest first with cursors', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const r: any = await t.gql(LIST, { first: 3, after, f: { organization: acmeId } }, { token: tok.alice });
        const c = r.body.data.invitations;
        seen.push(...c.nodes.map((n: { id: string }) => n.id));
        if (!c.pageInfo.hasNextPage) break;
        after = c.pageInfo.endCursor;
      }
      const rows = await t.db.db.select().from(invitations).where(eq(invitations.organizationId, acme.id));
      expect(seen).toEqual(rows.map((r) => r.id).sort().reverse().map((id) => s.gid('Invitation', { id })));
    });

    it('adds Organization.invitations (admins) and User.invitations (the user), with status filters', async () => {
      const q = `query($id: ID!) { node(id: $id) { ... on Organization { invitations(first: 50, status: ACCEPTED) { totalCount nodes { status } } } } }`;
      const byOwner = await t.gql(q, { id: acmeId }, { token: tok.alice });
      const accepted = byOwner.body.data.node.invitations;
      expect(accepted.totalCount).toBeGreaterThanOrEqual(3);
      expect(accepted.nodes.every((n: { status: string }) => n.status === 'ACCEPTED')).toBe(true);
      const byMember = await t.gql(q, { id: acmeId }, { token: tok.carol });
      expect(byMember.body.data.node.invitations).toEqual({ totalCount: 0, nodes: [] });

      const mine = `{ viewer { invitations { totalCount nodes { organizationSlug status } } } }`;
      const erin = await t.gql(mine, {}, { token: tok.erin });
      expect(erin.body.data.viewer.invitations).toEqual({ totalCount: 1, nodes: [{ organizationSlug: 'acme', status: 'PENDING' }] });
      const other = await t.gql(`query($id: ID!) { node(id: $id) { ... on User { invitations { totalCount } } } }`, { id: s.gid('User', u.erin!) }, { token: tok.bob });
      expect(other.body.data.node.invitations.totalCount).toBe(0);
    });

    it('serves node(id) for invitations with the same visibility', async () => {
      const [row] = await t.db.db.select().from(invitations).where(eq(invitations.inviteeEmail, 'ERIN@example.com'));
      const id = s.gid('Invitation', row!);
      const q = `query($id: ID!) { node(id: $id) { id ... on Invitation { status } } }`;
      expect((await t.gql(q, { id }, { token: tok.erin })).body.data.node).toEqual({ id, status: 'PENDING' });
      expect((await t.gql(q, { id }, { token: tok.bob })).body.data.node).toEqual({ id, status: 'PENDING' });
      expect((await t.gql(q, { id }, { token: tok.carol })).body.data.node).toBeNull();
    });

    it('loads Organization.invitations for 1 or 20 organizations with the same number of statements', async () => {
      const owner = await s.user('bulk-owner');
      const ownerTok = await s.tokenFor(owner);
      for (let i = 0; i < 20; i++) {
        const org = await s.org(`inv-bulk-${String(i).padStart(2, '0')}`, { owner });
        for (let k = 0; k < 3; k++) {
          await t.db.db.insert(invitations).values({ organizationId: org.id, inviteeEmail: `p${k}@bulk.example`, method: 'email', invitedById: owner.id, validUntil: new Date(Date.now() + 86_400_000) });
        }
      }
      const q = `query($n: Int!) { organizations(first: $n, filter: { slugContains: "inv-bulk-" }) {
        nodes { slug invitations(first: 2) { totalCount nodes { id status inviteeEmail organizationSlug invitedBy { username } } } } } }`;
      const count = async (n: number) => {
        const before = t.db.statementCount;
        const r = await t.gql(q, { n }, { token: ownerTok });
        expect(r.body.errors).toBeUndefined();
        expect(r.body.data.organizations.nodes).toHaveLength(n);
        for (const o of r.body.data.organizations.nodes) expect(o.invitations).toMatchObject({ totalCount: 3, nodes: [{ status: 'PENDING' }, { status: 'PENDING' }] });
        return t.db.statementCount - before;
      };
      const one = await count(1);
      const twenty = await count(20);
      expect(twenty).toBe(one);
    });

    it('loads User.invitations for 1 or 20 users with the same number of statements', async () => {
      const owner = await s.user('recv-owner');
      const org = await s.org('recv-org', { owner });
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) {
        const user = await s.user(`recv-${String(i).padStart(2, '0')}`);
        ids.push(s.gid('User', user));
        // One by account, one by email address (linked only through the user's contact).
        await t.db.db.insert(invitations).values({ organizationId: org.id, inviteeUserId: user.id, invitedById: owner.id, validUntil: new Date(Date.now() + 86_400_000) });
        const other = await s.org(`recv-other-${i}`, { owner });
        await t.db.db.insert(invitations).values({ organizationId: other.id, inviteeEmail: `recv-${String(i).padStart(2, '0')}@example.com`, method: 'email', validUntil: new Date(Date.now() + 86_400_000) });
      }
      const q = `query($ids: [ID!]!) { nodes(ids: $ids) { ... on User { invitations(first: 5) { totalCount nodes { status organizationSlug } } } } }`;
      const count = async (n: number) => {
        const before = t.db.statementCount;
        const r = await t.gql(q, { ids: ids.slice(0, n) }, { token: ADMIN.token });
        expect(r.body.errors).toBeUndefined();
        for (const node of r.body.data.nodes) expect(node.invitations.totalCount).toBe(2);
        return t.db.statementCount - before;
      };
      const one = await count(1);
      expect(await count(20)).toBe(one);
    });
  });
});

describe.runIf(DRIVERS.includes('postgres'))('invitations under concurrency on postgres', () => {
  let t: TestGateway;
  let s: Seed;
  beforeAll(async () => {
    t = await startTestGateway('postgres');
    s = seed(t);
  });
  afterAll(() => t.close());

  it('lets exactly one of two concurrent accepts succeed', async () => {
    const owner = await s.user('race-owner');
    const ownerTok = await s.tokenFor(owner);
    for (let i = 0; i < 5; i++) {
      const org = await s.org(`race-${i}`, { owner });
      const invitee = await s.user(`racer-${i}`);
      const tokA = await s.tokenFor(invitee);
      const tokB = await s.tokenFor(invitee);
      const inv = await t.gql(INVITE, { i: { organizationId: s.gid('Organization', org), username: invitee.username } }, { token: ownerTok });
      const id = inv.body.data.inviteToOrganization.invitation.id;
      const results = await Promise.all([tokA, tokB].map((token) => t.gql(ACCEPT, { id }, { token })));
      const payloads = results.map((r) => r.body.data.acceptInvitation);
      expect(payloads.filter((p) => p.userErrors.length === 0)).toHaveLength(1);
      expect(payloads.filter((p) => p.userErrors[0]?.code === 'PRECONDITION_FAILED')).toHaveLength(1);
      expect(await t.db.db.select().from(memberships).where(eq(memberships.organizationId, org.id))).toHaveLength(2);
      expect(await t.db.db.select().from(eventLogs).where(and(eq(eventLogs.action, 'invitation.accept'), eq(eventLogs.organizationId, org.id)))).toHaveLength(1);
    }
  });

  it('lets exactly one of two concurrent invitations of the same email through, with exactly one outbox message', async () => {
    const owner = await s.user('dup-owner');
    const org = await s.org('dup', { owner });
    const tok = await s.tokenFor(owner);
    const results = await Promise.all(
      [1, 2, 3].map(() => t.gql(INVITE, { i: { organizationId: s.gid('Organization', org), email: 'same@example.org' } }, { token: tok })),
    );
    const payloads = results.map((r) => r.body.data.inviteToOrganization);
    expect(payloads.filter((p) => p.userErrors.length === 0)).toHaveLength(1);
    expect(payloads.filter((p) => p.userErrors[0]?.code === 'CONFLICT')).toHaveLength(2);
    expect(await t.db.db.select().from(outbox).where(eq(outbox.organizationId, org.id))).toHaveLength(1);
  });

  it('lets a user who adds the invited email later accept it, and nobody before', async () => {
    const owner = await s.user('mid-owner');
    const org = await s.org('mid', { owner });
    const r = await t.gql(INVITE, { i: { organizationId: s.gid('Organization', org), email: 'mid@example.org' } }, { token: await s.tokenFor(owner) });
    const id = r.body.data.inviteToOrganization.invitation.id;
    const stranger = await s.user('mid-stranger');
    const denied = await t.gql(ACCEPT, { id }, { token: await s.tokenFor(stranger) });
    expect(denied.body.errors[0].extensions.code).toBe('NOT_FOUND');
    await insertContact(t.db.db, { userId: stranger.id, type: 'email', value: 'mid@example.org' });
    const ok = await t.gql(ACCEPT, { id }, { token: await s.tokenFor(stranger) });
    expect(ok.body.data.acceptInvitation.userErrors).toEqual([]);
  });
});
