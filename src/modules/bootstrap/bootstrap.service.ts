// First start on an empty database: the instance admin, who owns the `default` organization,
// and (when ADMIN_TOKEN is set) an API token with exactly that value, so deployments and tests
// can automate without a password.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Config } from '../../config.js';
import { hashPassword } from '../../core/auth/passwords.js';
import { ANONYMOUS } from '../../core/auth/principal.js';
import { hashToken, newPassword } from '../../core/auth/secrets.js';
import type { Database } from '../../core/db.js';
import { issueToken } from '../auth/auth.service.js';
import { findTokenByHash } from '../auth/token.repo.js';
import { recordEvent } from '../logs/event-log.service.js';
import { findOrganizationBySlug, insertMembership, insertOrganization } from '../organizations/organization.repo.js';
import { countUsers, findUserByUsername, insertContact, insertUser } from '../users/user.repo.js';

const BOOTSTRAP_LOCK_KEY = 7_240_002;
export const DEFAULT_ORGANIZATION_SLUG = 'default';

export interface BootstrapResult {
  createdAdmin: boolean;
  createdToken: boolean;
  /** Set when the admin password was generated; already written to passwordFile. */
  passwordFile?: string;
}

export async function bootstrap(
  db: Database,
  config: Pick<Config, 'admin' | 'dataDir'>,
  print: (line: string) => void = (l) => process.stderr.write(l + '\n'),
): Promise<BootstrapResult> {
  const { admin } = config;
  const generated = admin.password ? undefined : newPassword();
  const password = admin.password ?? generated!;
  // Hash outside the transaction: argon2 is deliberately slow.
  const passwordHash = await hashPassword(password);
  const actor = { principal: ANONYMOUS, ip: null };

  const result = await db.transaction(async (tx) => {
    // Processes sharing one database take turns; the second one finds the admin in place.
    await tx.execute(sql`select pg_advisory_xact_lock(${BOOTSTRAP_LOCK_KEY})`);
    let createdAdmin = false;
    let createdToken = false;
    if ((await countUsers(tx)) === 0) {
      const user = await insertUser(tx, { username: admin.username, displayName: 'Administrator', isAdmin: true, passwordHash, confirmedAt: new Date() });
      await insertContact(tx, { userId: user.id, type: 'email', value: admin.email, isPrimary: true, validatedAt: new Date() });
      const org = await insertOrganization(tx, { slug: DEFAULT_ORGANIZATION_SLUG, name: 'Default organization' });
      await insertMembership(tx, { userId: user.id, organizationId: org.id, role: 'owner' });
      await recordEvent(tx, actor, { action: 'instance.bootstrap', user2Id: user.id, organizationId: org.id });
      createdAdmin = true;
    }
    if (admin.token && !(await findTokenByHash(tx, hashToken(admin.token)))) {
      const user = await findUserByUsername(tx, admin.username);
      if (!user) throw new Error(`ADMIN_TOKEN is set but user "${admin.username}" (ADMIN_USERNAME) does not exist`);
      const org = await findOrganizationBySlug(tx, DEFAULT_ORGANIZATION_SLUG);
      await issueToken(tx, actor, { userId: user.id, organizationId: org?.id ?? null, name: 'ADMIN_TOKEN', scopes: ['api'], expiresAt: null, plaintext: admin.token });
      createdToken = true;
    }
    return { createdAdmin, createdToken };
  });

  if (!result.createdAdmin || !generated) return result;
  // Written only after the admin row is committed; readable by the owner alone.
  mkdirSync(config.dataDir, { recursive: true });
  const passwordFile = join(config.dataDir, 'initial_admin_password');
  writeFileSync(passwordFile, generated + '\n', { mode: 0o600 });
  chmodSync(passwordFile, 0o600);
  // Shown once, on the console and not in the JSON log stream, like GitLab's initial root password.
  print(`\nInitial admin account: ${admin.username} / ${generated}\n(also written to ${passwordFile}; change it after signing in)\n`);
  return { ...result, passwordFile };
}
