// The key side of the Seald demo team (issue 24), for seed-seald.ts: each user registers devices
// with public keys (their sigchains record it), one old device is revoked by the team, and a
// group is made with its keys, members and device key copies, its sigchain started and its keys
// renewed once (so it has an earlier key set). All through the real GraphQL operations; the key
// material is random bytes standing for what the SDK would send (the server never decrypts it).
import { randomBytes } from 'node:crypto';
import type { Principal } from '../core/auth/principal.js';

type Run = (p: Principal, source: string, variables?: Record<string, unknown>) => Promise<any>;

const key = (bytes: number) => randomBytes(bytes).toString('base64');

const REGISTER = `mutation($i: RegisterDeviceInput!) { registerDevice(input: $i) { device { id } userErrors { message } } }`;

async function device(run: Run, who: Principal, name: string): Promise<string> {
  const r = await run(who, REGISTER, { i: { name, encryptionPublicKey: key(270), signingPublicKey: key(270) } });
  return r.registerDevice.device.id as string;
}

/** Adds the demo team's devices and group; `asTeam` is the team's API key principal. */
export async function seedSealdKeys(run: Run, who: { admin: Principal; member: Principal; asTeam: Principal }, team: string): Promise<void> {
  const adminLaptop = await device(run, who.admin, 'admin laptop');
  const memberOld = await device(run, who.member, 'member old phone');
  const memberLaptop = await device(run, who.member, 'member laptop');
  await run(who.asTeam, `mutation($i: DeviceIdInput!) { revokeTeamDevice(input: $i) { device { id } userErrors { message } } }`, { i: { id: memberOld } });

  const adminId = (await run(who.admin, `{ viewer { id } }`)).viewer.id as string;
  const memberId = (await run(who.member, `{ viewer { id } }`)).viewer.id as string;
  const copies = () => [adminLaptop, memberLaptop].map((d) => ({ createdForDeviceId: d, encryptedMessageKey: key(96) }));
  const made = await run(who.asTeam, `mutation($i: CreateGroupInput!) { createGroup(input: $i) { group { id } userErrors { message } } }`, {
    i: {
      organizationId: team,
      name: 'Demo group',
      encryptionPublicKey: key(270),
      signingPublicKey: key(270),
      encryptedEncryptionPrivateKey: key(1200),
      encryptedSigningPrivateKey: key(1200),
      memberIds: [adminId, memberId],
      adminIds: [adminId],
      messageKeys: copies(),
    },
  });
  const groupId = made.createGroup.group.id as string;
  await run(who.asTeam, `mutation($i: InitGroupSigchainInput!) { initGroupSigchain(input: $i) { group { id } userErrors { message } } }`, {
    i: { groupId, transaction: { operation: 'group.create', signature: key(64) }, membersTransaction: { operation: 'group.members', members: [adminId, memberId], signature: key(64) } },
  });
  await run(who.asTeam, `mutation($i: RenewGroupKeysInput!) { renewGroupKeys(input: $i) { group { id } userErrors { message } } }`, {
    i: {
      groupId,
      encryptionPublicKey: key(270),
      signingPublicKey: key(270),
      encryptedEncryptionPrivateKey: key(1200),
      encryptedSigningPrivateKey: key(1200),
      messageKeys: copies().map((c) => ({ deviceId: c.createdForDeviceId, encryptedMessageKey: c.encryptedMessageKey })),
      transaction: { operation: 'group.renew', signature: key(64) },
    },
  });
}
