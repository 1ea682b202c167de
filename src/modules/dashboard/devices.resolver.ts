// Thin resolvers of the key side of devices: register one, revoke one of a team member, look up
// public keys, a member's devices as a team page, and each device's last sign-in.
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { notFound } from '../../core/errors.js';
import { idOfType, requireId } from '../../core/graphql/node.js';
import { payload } from '../../core/graphql/payload.js';
import { LoginLog } from '../logs/login-log.type.js';
import { Organization } from '../organizations/organization.type.js';
import { DeviceIdInput, DevicePayload } from '../users/user.inputs.js';
import { Device } from '../users/user.type.js';
import { checkPage } from './dashboard.resolver.js';
import { devicePublicKeys, registerDevice, revokeTeamDevice, teamDevices } from './devices.service.js';
import { DevicePage, RegisterDeviceInput, TeamDevicesArgs } from './devices.type.js';

@Resolver(() => Device)
export class DeviceKeysResolver {
  @Mutation(() => DevicePayload, { description: 'Registers a device of yours with its public keys; the registration is appended to your sigchain.' })
  registerDevice(@Arg('input', () => RegisterDeviceInput, { description: 'Name and public keys.' }) input: RegisterDeviceInput, @Ctx() ctx: Context) {
    return payload(async () => ({ device: Device.from(await registerDevice(ctx, input)) }));
  }

  @Mutation(() => DevicePayload, { description: 'Revokes a device of a member of your team (team admins): it is refused from then on; the revocation goes to the member’s sigchain.' })
  revokeTeamDevice(@Arg('input', () => DeviceIdInput, { description: 'The device.' }) input: DeviceIdInput, @Ctx() ctx: Context) {
    return payload(async () => ({ device: Device.from(await revokeTeamDevice(ctx, requireId(input.id, 'Device'))) }));
  }

  @Query(() => Device, {
    nullable: true,
    description: 'A device’s public keys, by device or as a user’s newest active device: for your team’s admins and the team’s JWTs with the “retrieve keys” permission, only devices of the team’s members; null otherwise.',
  })
  async devicePublicKeys(
    @Arg('userId', () => ID, { nullable: true, description: 'Global ID of a user: their newest active device.' }) userId: string | null,
    @Arg('deviceId', () => ID, { nullable: true, description: 'Global ID of a device.' }) deviceId: string | null,
    @Ctx() ctx: Context,
  ): Promise<Device | null> {
    const row = await devicePublicKeys(ctx, { userId: userId ? idOfType(userId, 'User') : null, deviceId: deviceId ? idOfType(deviceId, 'Device') : null });
    return row ? Device.from(row) : null;
  }

  @FieldResolver(() => LoginLog, { nullable: true, description: 'The newest sign-in attempt made from the device (null: never seen).' })
  async lastSeen(@Root() d: Device, @Ctx() ctx: Context): Promise<LoginLog | null> {
    const row = await ctx.loaders.lastLoginByDeviceId.load(d.uuid);
    return row ? LoginLog.from(row) : null;
  }
}

@Resolver(() => Organization)
export class OrganizationDevicesResolver {
  @FieldResolver(() => DevicePage, { description: 'A member’s devices in this organization as a team (its admins; empty for others and for non-members), oldest first.' })
  async teamDevices(@Root() org: Organization, @Args(() => TeamDevicesArgs) args: TeamDevicesArgs, @Ctx() ctx: Context): Promise<DevicePage> {
    checkPage(args);
    const userId = idOfType(args.userId, 'User');
    if (!userId) throw notFound('User not found');
    const r = await teamDevices(ctx, org.uuid, userId, args.first, args.offset);
    return { nodes: r.rows.map(Device.from), get totalCount() { return r.count() as unknown as number; } };
  }
}
