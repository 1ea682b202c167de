// Tenant-owned writes match the organization too (core/auth/tenant.ts, CONVENTIONS #9): a write
// called with a row's right id but another organization's id changes nothing, on a real database.
// The services always pass the row they read; these calls forge the key on purpose.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupMembers, groups } from '../schema/groups.js';
import { messages } from '../schema/messages.js';
import { invitations, memberships } from '../schema/organizations.js';
import type { Principal } from '../src/core/auth/principal.js';
import { confiningOrganizationOf, tenantScopeOf, tokenOrganizationOf } from '../src/core/auth/tenant.js';
import { deleteGroup, deleteGroupMembers, setGroupMemberAdmin, updateGroup, type GroupRow } from '../src/modules/groups/group.repo.js';
import { insertInvitation, transitionPending, type InvitationRow } from '../src/modules/invitations/invitation.repo.js';
import { updateMessage, type MessageRow } from '../src/modules/messages/message.repo.js';
import { deleteMembership, findMembership, updateMembershipRole, type MembershipRow, type OrganizationRow } from '../src/modules/organizations/organization.repo.js';
import type { UserRow } from '../src/modules/users/user.repo.js';
import { DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { seedContent } from './helpers/seed-content.js';
import { seed } from './helpers/seed.js';

describe('the tenant rule', () => {
  const user = (isInstanceAdmin: boolean, organizationId: string | null, type: 'access_token' | 'personal_access_token' = 'personal_access_token'): Principal => ({
    kind: 'user',
    userId: 'u1',
    username: 'u',
    isInstanceAdmin,
    credential: type === 'access_token' ? { type, expiresAt: new Date() } : { type, tokenId: 't', organizationId, scopes: ['api'] },
  });

  it('confines organization-bound tokens of ordinary users, never instance admins, never anonymous callers', () => {
    expect(tenantScopeOf({ kind: 'anonymous' })).toBeNull();
    expect(tenantScopeOf(user(true, 'o1'))).toEqual({ all: true });
    expect(tenantScopeOf(user(false, 'o1'))).toEqual({ all: false, userId: 'u1', withinOrganizationId: 'o1' });
    expect(tenantScopeOf(user(false, null))).toEqual({ all: false, userId: 'u1', withinOrganizationId: null });
    expect(tenantScopeOf(user(false, null, 'access_token'))).toEqual({ all: false, userId: 'u1', withinOrganizationId: null });
    // A token keeps its binding whoever holds it (new tokens inherit it); only the confinement spares admins.
    expect(tokenOrganizationOf(user(true, 'o1'))).toBe('o1');
    expect(confiningOrganizationOf(user(true, 'o1'))).toBeNull();
    expect(confiningOrganizationOf(user(false, 'o1'))).toBe('o1');
  });
});

describe.each(DRIVERS)('tenant-owned writes on %s', (driver) => {
  let t: TestGateway;
  let acme: OrganizationRow;
  let other: OrganizationRow;
  let owner: UserRow;
  let member: UserRow;
  let group: GroupRow;
  let membership: MembershipRow;
  let invitation: InvitationRow;
  let message: MessageRow;
  let looseMessage: MessageRow;

  beforeAll(async () => {
    t = await startTestGateway(driver);
    const s = seed(t);
    const c = seedContent(t);
    owner = await s.user('owner');
    member = await s.user('member');
    const outsider = await s.user('outsider');
    acme = await s.org('acme', { owner });
    other = await s.org('other', { owner: outsider });
    await s.member(acme, member);
    membership = (await findMembership(t.db.db, acme.id, member.id))!;
    group = await c.group(acme, 'Engineering', { members: [member], admins: [owner] });
    invitation = await insertInvitation(t.db.db, { organizationId: acme.id, inviteeEmail: 'someone@example.org', invitedById: owner.id, validUntil: new Date(Date.now() + 86_400_000) });
    message = await c.message(owner, { organization: acme });
    looseMessage = await c.message(owner);
  });
  afterAll(() => t.close());

  const db = () => t.db.db;
  const forged = <R extends { id: string }>(row: R) => ({ id: row.id, organizationId: other.id });

  it('leaves a group alone when the organization does not match', async () => {
    expect(await updateGroup(db(), forged(group), { name: 'Renamed' })).toBeUndefined();
    expect(await deleteGroup(db(), forged(group))).toBeUndefined();
    const [row] = await db().select().from(groups).where(eq(groups.id, group.id));
    expect(row).toMatchObject({ name: 'Engineering', organizationId: acme.id });
    // The right key does reach it.
    expect(await updateGroup(db(), group, { name: 'Platform' })).toMatchObject({ id: group.id, name: 'Platform' });
  });

  it("leaves a group's members alone when the group's organization does not match", async () => {
    expect(await setGroupMemberAdmin(db(), forged(group), member.id, true)).toBeUndefined();
    expect(await deleteGroupMembers(db(), forged(group), [member.id, owner.id])).toEqual([]);
    const rows = await db().select().from(groupMembers).where(eq(groupMembers.groupId, group.id));
    expect(rows.map((r) => [r.userId, r.isAdmin]).sort()).toEqual([[member.id, false], [owner.id, true]].sort());
    expect(await setGroupMemberAdmin(db(), group, member.id, true)).toMatchObject({ userId: member.id, isAdmin: true });
  });

  it('leaves a membership alone when the organization does not match', async () => {
    expect(await updateMembershipRole(db(), forged(membership), 'owner')).toBeUndefined();
    expect(await deleteMembership(db(), forged(membership))).toBeUndefined();
    const [row] = await db().select().from(memberships).where(eq(memberships.id, membership.id));
    expect(row).toMatchObject({ role: 'member', organizationId: acme.id });
    expect(await updateMembershipRole(db(), membership, 'admin')).toMatchObject({ id: membership.id, role: 'admin' });
  });

  it('leaves an invitation alone when the organization does not match', async () => {
    expect(await transitionPending(db(), forged(invitation), { status: 'revoked', revokedAt: new Date() }, { requireValid: false })).toBeUndefined();
    const [row] = await db().select().from(invitations).where(eq(invitations.id, invitation.id));
    expect(row).toMatchObject({ status: 'pending', revokedAt: null });
    expect(await transitionPending(db(), invitation, { status: 'revoked', revokedAt: new Date() }, { requireValid: false })).toMatchObject({ status: 'revoked' });
  });

  it('leaves a message alone when the organization does not match, including one outside any organization', async () => {
    expect(await updateMessage(db(), forged(message), { allowDownload: !message.allowDownload })).toBeUndefined();
    expect(await updateMessage(db(), { id: message.id, organizationId: null }, { allowDownload: !message.allowDownload })).toBeUndefined();
    expect(await updateMessage(db(), forged(looseMessage), { allowDownload: !looseMessage.allowDownload })).toBeUndefined();
    const rows = await db().select().from(messages);
    expect(rows.find((r) => r.id === message.id)?.allowDownload).toBe(message.allowDownload);
    expect(rows.find((r) => r.id === looseMessage.id)?.allowDownload).toBe(looseMessage.allowDownload);
    expect(await updateMessage(db(), message, { allowDownload: !message.allowDownload })).toMatchObject({ allowDownload: !message.allowDownload });
    expect(await updateMessage(db(), looseMessage, { allowDownload: !looseMessage.allowDownload })).toMatchObject({ allowDownload: !looseMessage.allowDownload });
  });
});
