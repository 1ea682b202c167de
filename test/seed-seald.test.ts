// npm run seed's Seald demo team: made through the real operations, once, and the dashboard
// routes have something to show with the API key it prints.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { adminKeys } from '../schema/seald-msgs.js';
import { findOrganizationBySlug } from '../src/modules/organizations/organization.repo.js';
import { SEALD_TEAM, seedSealdDemo } from '../src/tools/seed-seald.js';
import { DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';

describe.each(DRIVERS)('seald demo seed on %s', (driver) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(driver);
  });
  afterAll(() => t.close());

  it('adds a team with an API key, a domain validation key, connectors, invited emails, logs, messages, admin keys and lost accounts; a second run does nothing', async () => {
    const lines: string[] = [];
    expect(await seedSealdDemo(t.db.db, t.config, (s) => lines.push(s))).toBe(true);
    expect(await seedSealdDemo(t.db.db, t.config, () => {})).toBe(false);
    const key = /shown once: (igw_\S+)/.exec(lines.join('\n'))![1]!;
    const get = async (url: string) => {
      const r = await t.gw.app.inject({ method: 'GET', url: `/dashboardapi/v2/${url}`, headers: { 'x-dashboard-api-key': key } });
      expect(r.statusCode, url).toBe(200);
      return r.json();
    };
    expect((await get('admin/status/')).team.name).toBe('Seald demo team');
    expect((await get('apitokens/')).count).toBe(1);
    expect((await get('domainvalidationkeys/')).results).toEqual([expect.objectContaining({ domain: 'seald-demo.example.com' })]);
    const users = (await get('users/')).results as { id: string; display_name: string }[];
    expect(users.map((u) => u.display_name).sort()).toEqual(['Seald Admin', 'Seald Lost Devices', 'Seald Member']);
    const member = users.find((u) => u.display_name === 'Seald Member')!;
    expect((await get(`connectors/?user=${member.id}`)).results.map((c: { value: string }) => c.value)).toContain('sealdmember@seald-demo.example.com');
    expect((await get('invitedemails/')).count).toBe(2);
    expect((await get('jwtsharedsecret/')).count).toBe(1);
    expect((await get('eventlogs/')).count).toBeGreaterThanOrEqual(5);
    const keys = (await get(`keys/?user=${member.id}`)).results as { state: string }[];
    expect(keys.map((k) => k.state)).toEqual(['revoked', 'active']);
    const groups = (await get('groups/')).results as { id: string; group_name: string; key_generation: number }[];
    expect(groups).toEqual([expect.objectContaining({ group_name: 'Demo group', key_generation: 2 })]);
    expect((await get(`groups/${groups[0]!.id}/members/`)).count).toBe(2);
    expect((await get(`groups/${groups[0]!.id}/groupdevices/`)).results.filter((d: { has_key: boolean }) => d.has_key)).toHaveLength(2);
    expect((await get(`users/${member.id}/sigchain/`)).map((x: { transaction: { operation?: string } }) => x.transaction.operation)).toEqual(['device.register', 'device.register', 'device.revoke']);
    expect((await get(`loginlogs/?user=${member.id}`)).results.map((l: { success: boolean }) => l.success).sort()).toEqual([false, true]);
    // Part 2: messages with accesses and entrusted keys, an admin key, lost accounts in several states.
    const messages = (await get('messages/')).results as { id: string; meta_data: { title: string } }[];
    expect(messages.map((m) => m.meta_data.title).sort()).toEqual(['Contract draft', 'Onboarding notes', 'Payslip', 'Welcome to the team']);
    const contract = messages.find((m) => m.meta_data.title === 'Contract draft')!;
    expect((await get(`messages/${contract.id}/`)).nb_read).toBe(1);
    expect((await get(`messageaccesses/?message=${contract.id}`)).count).toBe(2);
    expect((await get(`entrustedmessagekeys/?message=${contract.id}`)).results).toEqual([expect.objectContaining({ created_for_email: 'lawyer@example.org' })]);
    const adminKeys = (await get('adminkeys/')).results as { id: string }[];
    expect(adminKeys).toHaveLength(1);
    expect((await get(`adminkeys/${adminKeys[0]!.id}/`)).stats).toBe('1/3');
    expect(((await get('lostaccounts/')).results as { state: number }[]).map((a) => a.state).sort()).toEqual([0, 4, 5, 6]);
  });

  it('gives a team seeded before part 2 (no admin key yet) its messages and recovery data once', async () => {
    const team = await findOrganizationBySlug(t.db.db, SEALD_TEAM);
    await t.db.db.delete(adminKeys).where(eq(adminKeys.organizationId, team!.id));
    const lines: string[] = [];
    expect(await seedSealdDemo(t.db.db, t.config, (s) => lines.push(s))).toBe(true);
    expect(lines.join('\n')).toMatch(/admin keys, backup keys and lost accounts added/);
    expect(await seedSealdDemo(t.db.db, t.config, () => {})).toBe(false);
  });
});
