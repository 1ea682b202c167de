// GraphQL types of organizations and memberships.
import { Field, Float, InputType, Int, ObjectType, registerEnumType, ID } from 'type-graphql';
import { ConnectionArgs, ConnectionType } from '../../core/graphql/connection.js';
import { Node } from '../../core/graphql/node.js';
import { OrderDirection } from '../../core/graphql/order.js';
import { User } from '../users/user.type.js';
import { UserError } from '../../core/graphql/payload.js';
import { ArgsType } from 'type-graphql';
import type { OrganizationMembershipRow, OrganizationRow } from './organization.repo.js';
import type { PageMembershipRow } from './organization.read.js';
import { Reads, ReadsNoRow, ReadsWholeRow } from '../../core/read/reads.js';

export enum MembershipRole {
  OWNER = 'owner',
  ADMIN = 'admin',
  MEMBER = 'member',
}
registerEnumType(MembershipRole, {
  name: 'MembershipRole',
  description: 'A member’s role in an organization; roles hold in every sub-organization too.',
  valuesConfig: {
    OWNER: { description: 'Manages the organization and its sub-organizations.' },
    ADMIN: { description: 'Manages members, invitations and groups.' },
    MEMBER: { description: 'Reads the organization, its members and groups.' },
  },
});

@ReadsNoRow()
@ObjectType({ description: 'Usage quota of an organization (the accounts API’s limit / usage / override).' })
export class Quota {
  @Field(() => Float, { nullable: true, description: 'The limit; null for unlimited.' })
  limit!: number | null;

  @Field(() => Float, { description: 'Usage so far.' })
  usage!: number;

  @Field(() => Float, { nullable: true, description: 'What is left; null for unlimited.' })
  remaining!: number | null;

  @Field({ description: 'Whether usage may go past the limit.' })
  overridden!: boolean;
}

@ReadsWholeRow()
@ObjectType({ implements: Node, description: 'An organization (tenant); organizations nest to any depth.' })
export class Organization extends Node {
  static readonly nodeType = 'Organization';
  row!: OrganizationRow;

  @Field({ description: 'Unique, URL-safe identifier (letters, digits, `-`, `_`, `.`).' })
  slug!: string;

  @Field({ description: 'Display name.' })
  name!: string;

  @Field(() => Quota, { description: 'Usage quota.' })
  quota!: Quota;

  @Field({ description: 'When the organization was created.' })
  createdAt!: Date;

  static from(row: OrganizationRow): Organization {
    const o = new Organization();
    o.uuid = row.id;
    o.row = row;
    o.slug = row.slug;
    o.name = row.name;
    o.createdAt = row.createdAt;
    o.quota = {
      limit: row.quotaLimit,
      usage: row.quotaUsage,
      remaining: row.quotaLimit === null ? null : Math.max(0, row.quotaLimit - row.quotaUsage),
      overridden: row.quotaOverride,
    };
    return o;
  }
}

@ObjectType({ implements: Node, description: 'A user’s membership in an organization.' })
export class Membership extends Node {
  static readonly nodeType = 'Membership';
  /** The row as read: a page's row holds createdAt and id only when its query's fields declare them. */
  row!: PageMembershipRow;
  organizationUuid!: string;

  @Reads('role')
  @Field(() => MembershipRole, { description: 'The member’s role.' })
  get role(): MembershipRole {
    return this.row.role as MembershipRole;
  }

  @Reads('createdAt')
  @Field({ description: 'When the user joined.' })
  get createdAt(): Date {
    return this.row.createdAt!;
  }

  /**
   * A relation prefetched by the read layer (organization.read.ts): joined by the membership
   * page (membershipsOfPage) or loaded (membershipWithUser), as the caller may see the user;
   * set only through `from`. A plain property, not a field resolver: graphql-jit reads it
   * inline, where a resolver costs a deferred call with its resolve-info per member of a page.
   */
  @Reads('userId')
  @Field(() => User, { nullable: true, description: 'The member.' })
  readonly user!: User | null;

  /** From a row, or a page's row (see PageMembershipRow), with its user as the caller may see it. */
  static from(row: PageMembershipRow, user: User | null): Membership {
    const m = new Membership() as { -readonly [K in keyof Membership]: Membership[K] };
    m.user = user;
    // Absent only from a page whose query reads neither ids nor cursors (then nothing reads it).
    m.uuid = row.id!;
    m.organizationUuid = row.organizationId;
    m.row = row;
    return m as Membership;
  }
}

export enum OrganizationMemberRole {
  OWNER = 'owner',
  MEMBER = 'member',
}
registerEnumType(OrganizationMemberRole, {
  name: 'OrganizationMemberRole',
  description: 'How an organization belongs to another (Itsyouonline’s orgowners / orgmembers).',
  valuesConfig: { OWNER: { description: 'Org-owner: its owners own this organization too.' }, MEMBER: { description: 'Org-member: its members are members here too.' } },
});

@ReadsWholeRow()
@ObjectType({ description: 'An organization that is an org-owner or org-member of another.' })
export class OrganizationMembership {
  memberOrganizationUuid!: string;

  @Field(() => OrganizationMemberRole, { description: 'Owner or member.' })
  role!: OrganizationMemberRole;

  @Field({ description: 'Whether the relation also covers the member organization’s sub-organizations.' })
  includeSubOrganizations!: boolean;

  @Field({ description: 'When the relation was made.' })
  createdAt!: Date;

  static from(row: OrganizationMembershipRow): OrganizationMembership {
    const m = new OrganizationMembership();
    m.memberOrganizationUuid = row.memberOrganizationId;
    m.role = row.role as OrganizationMemberRole;
    m.includeSubOrganizations = row.includeSubOrganizations;
    m.createdAt = row.createdAt;
    return m;
  }
}

@InputType({ description: 'An organization to remove from another’s org-owners or org-members.' })
export class RemoveOrganizationMemberInput {
  @Field(() => ID, { description: 'Global ID of the organization.' })
  organizationId!: string;

  @Field(() => ID, { description: 'Global ID of the member organization.' })
  memberOrganizationId!: string;
}

export const OrganizationConnection = ConnectionType(Organization, 'Organization');
export const MembershipConnection = ConnectionType(Membership, 'Membership');

export enum OrganizationOrderField {
  SLUG = 'slug',
  NAME = 'name',
  CREATED_AT = 'createdAt',
}
registerEnumType(OrganizationOrderField, { name: 'OrganizationOrderField', description: 'What organizations are sorted by.' });

@InputType({ description: 'How to sort organizations (the id breaks ties).' })
export class OrganizationOrder {
  @Field(() => OrganizationOrderField, { description: 'Sort key.' })
  field!: OrganizationOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC, description: 'Direction.' })
  direction!: OrderDirection;
}

@InputType({ description: 'Which organizations to list.' })
export class OrganizationFilterInput {
  @Field(() => String, { nullable: true, description: 'Slug contains this (case-insensitive).' })
  slugContains?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only direct children of this organization (global ID).' })
  parent?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Only organizations without a parent.' })
  rootsOnly?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Slug or name contains this (case-insensitive).' })
  search?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only this organization (global ID): for list clients that filter by id.' })
  id?: string | null;

  @Field(() => String, { nullable: true, description: 'Exactly this slug (case-insensitive).' })
  slug?: string | null;

  @Field(() => String, { nullable: true, description: 'Exactly this name.' })
  name?: string | null;
}

@ArgsType()
export class OrganizationsArgs extends ConnectionArgs {
  @Field(() => OrganizationFilterInput, { nullable: true, description: 'Filter.' })
  filter?: OrganizationFilterInput | null;

  @Field(() => OrganizationOrder, { nullable: true, description: 'Order; default slug ascending.' })
  orderBy?: OrganizationOrder | null;

  @Field(() => Int, { nullable: true, description: 'Skip this many items (with `first`, without cursors): for page-number clients such as the REST dialects; prefer cursors.' })
  offset?: number | null;
}

@ArgsType()
export class MembershipsArgs extends ConnectionArgs {
  @Field(() => MembershipRole, { nullable: true, description: 'Only members with this role.' })
  role?: MembershipRole | null;
}

@InputType({ description: 'A new organization, or a sub-organization when `parentId` is given.' })
export class CreateOrganizationInput {
  @Field({ description: 'Unique slug: 1–64 of letters, digits, `-`, `_`, `.`.' })
  slug!: string;

  @Field({ description: 'Display name (1–255 characters).' })
  name!: string;

  @Field(() => ID, { nullable: true, description: 'Global ID of the parent organization.' })
  parentId?: string | null;
}

@InputType({ description: 'Changes to an organization; omitted fields stay as they are.' })
export class UpdateOrganizationInput {
  @Field(() => ID, { description: 'Global ID of the organization.' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'New slug.' })
  slug?: string | null;

  @Field(() => String, { nullable: true, description: 'New name.' })
  name?: string | null;

  @Field(() => ID, { nullable: true, description: 'Move under this parent (global ID); cycles are refused.' })
  parentId?: string | null;

  @Field(() => Float, { nullable: true, description: 'New quota limit (instance admins only).' })
  quotaLimit?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Allow usage past the limit (instance admins only).' })
  quotaOverride?: boolean | null;
}

@InputType({ description: 'The organization to delete.' })
export class DeleteOrganizationInput {
  @Field(() => ID, { description: 'Global ID of the organization.' })
  id!: string;
}

@InputType({ description: 'A member of an organization.' })
export class MemberInput {
  @Field(() => ID, { description: 'Global ID of the organization.' })
  organizationId!: string;

  @Field(() => ID, { description: 'Global ID of the user.' })
  userId!: string;
}

@InputType({ description: 'A user and an organization, by username and slug (the Itsyouonline dialect’s paths).' })
export class UserInOrganizationInput {
  @Field({ description: 'The user’s username.' })
  username!: string;

  @Field({ description: 'The organization’s slug.' })
  organization!: string;
}

@InputType({ description: 'A member’s new role.' })
export class ChangeMemberRoleInput extends MemberInput {
  @Field(() => MembershipRole, { description: 'The new role.' })
  role!: MembershipRole;
}

@ReadsNoRow()
@ObjectType({ description: 'The result of creating or updating an organization.' })
export class OrganizationPayload {
  @Field(() => Organization, { nullable: true, description: 'The organization.' })
  organization?: Organization | null;

  @Field(() => [UserError], { description: 'Why the change failed.' })
  userErrors!: UserError[];
}

@ReadsNoRow()
@ObjectType({ description: 'The result of deleting an organization.' })
export class DeleteOrganizationPayload {
  @Field(() => ID, { nullable: true, description: 'Global ID of the deleted organization.' })
  deletedId?: string | null;

  @Field(() => [UserError], { description: 'Why the deletion failed.' })
  userErrors!: UserError[];
}

@ReadsNoRow()
@ObjectType({ description: 'The result of changing a membership.' })
export class MembershipPayload {
  @Field(() => Membership, { nullable: true, description: 'The membership (null once removed).' })
  membership?: Membership | null;

  @Field(() => Organization, { nullable: true, description: 'The organization.' })
  organization?: Organization | null;

  @Field(() => [UserError], { description: 'Why the change failed.' })
  userErrors!: UserError[];
}

@InputType({ description: 'Usage to add to an organization’s quota.' })
export class IncrementOrganizationUsageInput {
  @Field(() => ID, { description: 'Global ID of the organization.' })
  id!: string;

  @Field(() => Int, { defaultValue: 1, description: 'How much to add (1 to 1,000,000,000); default 1.' })
  amount!: number;
}

void Int;
