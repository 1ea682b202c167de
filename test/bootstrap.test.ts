// First start on an empty database: the admin, the default organization, the password file,
// ADMIN_TOKEN; a second start changes nothing.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { personalAccessTokens } from '../schema/auth.js';
import { eventLogs } from '../schema/logs.js';
import { memberships, organizations } from '../schema/organizations.js';
import { users } from '../schema/users.js';
import { bootstrap } from '../src/modules/bootstrap/bootstrap.service.js';
import { DRIVERS, openTestDatabase, tempDir, testConfig } from './helpers/gateway.js';

describe.each(DRIVERS)('bootstrap on %s', (driver) => {
  it('creates an admin who owns the default organization, with a generated password written once (0600)', async () => {
    const handle = await openTestDatabase(driver);
    try {
      const dataDir = tempDir();
      const config = testConfig({ ADMIN_PASSWORD: '', ADMIN_TOKEN: '', DATA_DIR: dataDir, ADMIN_USERNAME: 'root', ADMIN_EMAIL: 'root@example.org' });
      const printed: string[] = [];
      const first = await bootstrap(handle.db, config, (l) => printed.push(l));
      expect(first.createdAdmin).toBe(true);
      const file = join(dataDir, 'initial_admin_password');
      expect(first.passwordFile).toBe(file);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const password = readFileSync(file, 'utf8').trim();
      expect(password.length).toBeGreaterThanOrEqual(20);
      expect(printed.join('\n')).toContain(password);

      const [admin] = await handle.db.select().from(users);
      expect(admin).toMatchObject({ username: 'root', isAdmin: true, state: 'active' });
      const [org] = await handle.db.select().from(organizations);
      expect(org!.slug).toBe('default');
      const [m] = await handle.db.select().from(memberships);
      expect(m).toMatchObject({ userId: admin!.id, organizationId: org!.id, role: 'owner' });
      expect((await handle.db.select().from(eventLogs).where(eq(eventLogs.action, 'instance.bootstrap'))).length).toBe(1);

      // A second start: nothing new, nothing printed, the password file untouched.
      const again: string[] = [];
      const second = await bootstrap(handle.db, config, (l) => again.push(l));
      expect(second).toEqual({ createdAdmin: false, createdToken: false });
      expect(again).toEqual([]);
      expect((await handle.db.select().from(users)).length).toBe(1);
      expect(readFileSync(file, 'utf8').trim()).toBe(password);
    } finally {
      await handle.close();
    }
  });

  it('uses ADMIN_PASSWORD without writing a file, and binds ADMIN_TOKEN to the default organization', async () => {
    const handle = await openTestDatabase(driver);
    try {
      const dataDir = tempDir();
      const token = 'deploy-token-abcdefghijklmnop';
      const config = testConfig({ ADMIN_PASSWORD: 'chosen-password', ADMIN_TOKEN: token, DATA_DIR: dataDir });
      const r = await bootstrap(handle.db, config, () => {});
      expect(r).toEqual({ createdAdmin: true, createdToken: true });
      expect(existsSync(join(dataDir, 'initial_admin_password'))).toBe(false);
      const [row] = await handle.db.select().from(personalAccessTokens);
      const [org] = await handle.db.select().from(organizations);
      expect(row).toMatchObject({ name: 'ADMIN_TOKEN', organizationId: org!.id, scopes: ['api'], revokedAt: null });
      expect(row!.tokenHash).not.toContain(token);
      // Idempotent: a restart with the same token adds nothing.
      expect((await bootstrap(handle.db, config, () => {})).createdToken).toBe(false);
      expect((await handle.db.select().from(personalAccessTokens)).length).toBe(1);
    } finally {
      await handle.close();
    }
  });
});
