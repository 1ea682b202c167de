// The User object of the graph and what a user owns: contacts (emails, phones), public keys,
// devices and external identities. Fields read the user's row through getters (read inline like
// properties), each declaring its columns with @UserReads; the primary email is a getter that
// checks the policy for the viewer the user was built for. Other private fields (contacts,
// devices, sign-in times, tokens) are field resolvers in user.resolver.ts that check the policy.
import { JSONObjectScalar } from '../../core/graphql/json-object.js';
import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { can } from '../../core/auth/policy.js';
import type { Principal } from '../../core/auth/principal.js';
import { ConnectionArgs, ConnectionType } from '../../core/graphql/connection.js';
import { Node, toGlobalId } from '../../core/graphql/node.js';
import { ReadsNoRow, ReadsWholeRow, readsOf } from '../../core/read/reads.js';
import { OrderDirection } from '../../core/graphql/order.js';
import type { ContactRow, DeviceRow, IdentityRow, PublicKeyRow, UserRow } from './user.repo.js';

export enum UserState {
  ACTIVE = 'active',
  BLOCKED = 'blocked',
  DISABLED = 'disabled',
}
registerEnumType(UserState, {
  name: 'UserState',
  description: 'Whether a user can sign in.',
  valuesConfig: {
    ACTIVE: { description: 'Can sign in and use the API.' },
    BLOCKED: { description: 'Blocked by an administrator: cannot sign in; tokens stop working.' },
    DISABLED: { description: 'Disabled (for example removed from a team): cannot sign in.' },
  },
});

/** A users column a User field can read: any but the password hash, which none reads. */
export type UserFieldColumn = Exclude<keyof UserRow, 'passwordHash'>;

/**
 * A user as a read layer hands it over: the columns its query needs (a membership page reads
 * only what its selection shows), the whole row otherwise. Each field declares what it reads
 * (`@UserReads`), and the read layer picks the columns from those declarations.
 */
export type UserRead = Partial<UserRow>;

/** @Reads for User fields, in any module: column names checked against the users row. */
export const UserReads = readsOf<UserFieldColumn>();

@ObjectType({ implements: Node, description: 'A person with an account.' })
export class User extends Node {
  static readonly nodeType = 'User';
  /** The row as read: only the columns the query's fields declare (see UserRead). */
  row!: UserRead;
  /** Who the user is shown to: private fields answer for this viewer. */
  viewer!: Principal;

  // The fields read the row through getters on the prototype: graphql-jit reads them inline
  // like properties (schema.ts, readGettersAsProperties), and a user carries three own
  // properties instead of twenty. Users are built by the hundred per page and most of their
  // fields are never read: copying the row into each would cost more than the reads. Each
  // getter reads exactly the columns its @UserReads names (test/reads.test.ts checks it), so a
  // partly read row never answers undefined for a field the query asked for.

  @UserReads('databaseId')
  @Field(() => Int, { description: 'Integer id, as used by the GitLab and accounts dialects.' })
  get databaseId(): number {
    return this.row.databaseId!;
  }

  @UserReads('username')
  @Field(() => String, { description: 'Unique username (case-insensitive).' })
  get username(): string {
    return this.row.username!;
  }

  @UserReads('firstName')
  @Field(() => String, { nullable: true, description: 'Given name.' })
  get firstName(): string | null {
    return hidesProfile(this.viewer) ? null : this.row.firstName!;
  }

  @UserReads('lastName')
  @Field(() => String, { nullable: true, description: 'Family name.' })
  get lastName(): string | null {
    return hidesProfile(this.viewer) ? null : this.row.lastName!;
  }

  @UserReads('displayName')
  @Field(() => String, { nullable: true, description: 'The name the user chose to be shown, when set.' })
  get displayName(): string | null {
    return hidesProfile(this.viewer) ? null : this.row.displayName!;
  }

  @UserReads('displayName', 'firstName', 'lastName', 'username')
  @Field(() => String, { description: 'Name to show: the display name, else first and last name, else the username.' })
  get name(): string {
    const row = this.row;
    if (hidesProfile(this.viewer)) return row.username!;
    // Built without arrays: this runs for every user of every page that asks for it.
    const fullName = row.firstName && row.lastName ? `${row.firstName} ${row.lastName}` : row.firstName || row.lastName;
    return row.displayName || fullName || row.username!;
  }

  @UserReads('state')
  @Field(() => UserState, { description: 'Whether the user can sign in.' })
  get state(): UserState {
    return this.row.state as UserState;
  }

  @UserReads('state')
  @Field(() => Boolean, { description: 'Whether the account is active (state ACTIVE): the accounts dialect’s `is_active`.' })
  get isActive(): boolean {
    return this.row.state === 'active';
  }

  @UserReads('bio')
  @Field(() => String, { nullable: true, description: 'Short self-description.' })
  get bio(): string | null {
    return hidesProfile(this.viewer) ? null : this.row.bio!;
  }

  @UserReads('location')
  @Field(() => String, { nullable: true, description: 'Where the user is.' })
  get location(): string | null {
    return hidesProfile(this.viewer) ? null : this.row.location!;
  }

  @UserReads('website')
  @Field(() => String, { nullable: true, description: 'Personal website (an http or https URL).' })
  get website(): string | null {
    return hidesProfile(this.viewer) ? null : this.row.website!;
  }

  @UserReads('social')
  @Field(() => JSONObjectScalar, { description: 'Social handles by network, e.g. `{"twitter": "alice", "linkedin": "alice-l"}`.' })
  get social(): Record<string, string> {
    return hidesProfile(this.viewer) ? NO_SOCIAL : (this.row.social ?? NO_SOCIAL);
  }

  @UserReads('projectsLimit')
  @Field(() => Int, { description: 'How many projects the user may create (GitLab).' })
  get projectsLimit(): number {
    return this.row.projectsLimit!;
  }

  @UserReads('canCreateGroup')
  @Field(() => Boolean, { description: 'Whether the user may create root organizations (groups).' })
  get canCreateGroup(): boolean {
    return this.row.canCreateGroup!;
  }

  @UserReads('external')
  @Field(() => Boolean, { description: 'Whether the user is external (GitLab: sees only what they are explicitly given).' })
  get external(): boolean {
    return this.row.external!;
  }

  @UserReads('confirmedAt')
  @Field(() => Date, { nullable: true, description: 'When the account was confirmed (its email validated, or created confirmed by an admin).' })
  get confirmedAt(): Date | null {
    return this.row.confirmedAt!;
  }

  @UserReads('createdAt')
  @Field(() => Date, { description: 'When the account was created.' })
  get createdAt(): Date {
    return this.row.createdAt!;
  }

  /**
   * A getter, not a field resolver: graphql-jit reads it inline, where a resolver costs a
   * deferred call (a resolve-info, its path and closures) per user of a page.
   */
  @UserReads('primaryEmail', { self: true })
  @Field(() => String, { nullable: true, description: 'Primary email address. Visible to the user and instance admins.' })
  get email(): string | null {
    // Kept on the user's row by the database (users.primary_email), so no lookup per user.
    return this.isPrivateTo(this.viewer) ? (this.row.primaryEmail ?? null) : null;
  }

  /**
   * Whether `viewer` reads this user's private fields. Reads the user's id only for viewers who
   * are not instance admins: fields declared `{ self: true }` are read without it for them.
   */
  isPrivateTo(viewer: Principal): boolean {
    return can(viewer, 'user:readPrivate') || can(viewer, 'user:readPrivate', { userId: this.row.id });
  }

  /** The user as `viewer` sees it, from a row holding at least the columns its query reads. */
  static from(row: UserRead, viewer: Principal): User {
    const u = new User();
    // Absent when the query reads no field that declares `id` (then nothing reads it).
    u.uuid = row.id!;
    u.row = row;
    u.viewer = viewer;
    return u;
  }
}

/**
 * An organization's API key reads a user only through `info`, within what the user granted the
 * organization (authorization.service.ts): the profile fields every signed-in user may see stay
 * hidden from it (null, the username as `name`).
 */
const hidesProfile = (viewer: Principal): boolean => viewer.kind === 'organization';

/** The social handles of a user who has none; never changed. */
const NO_SOCIAL: Record<string, string> = Object.freeze({}) as Record<string, string>;

// ---- contacts ----

export enum ContactType {
  EMAIL = 'email',
  PHONE = 'phone',
  APP = 'app',
  MOBILE = 'mobile',
}
registerEnumType(ContactType, {
  name: 'ContactType',
  description: 'What kind of address a contact is.',
  valuesConfig: {
    EMAIL: { description: 'An email address.' },
    PHONE: { description: 'A phone number (E.164, e.g. +32475123456).' },
    APP: { description: 'An application connector (Seald).' },
    MOBILE: { description: 'A mobile-app connector (Seald).' },
  },
});

export enum ContactState {
  ACTIVE = 'active',
  DISABLED = 'disabled',
}
registerEnumType(ContactState, {
  name: 'ContactState',
  description: 'Whether a contact is in use.',
  valuesConfig: {
    ACTIVE: { description: 'In use.' },
    DISABLED: { description: 'Kept for history; no longer used.' },
  },
});

@ReadsWholeRow()
@ObjectType({ implements: Node, description: 'An email address or phone number of a user. Visible to the user and instance admins.' })
export class Contact extends Node {
  static readonly nodeType = 'Contact';
  userUuid!: string;

  @Field(() => Int, { description: 'Integer id, as used by the GitLab dialect (emails).' })
  databaseId!: number;

  @Field(() => ContactType, { description: 'Email, phone, …' })
  type!: ContactType;

  @Field(() => String, { nullable: true, description: 'The user’s label for it (e.g. "work").' })
  label!: string | null;

  @Field({ description: 'The address or number.' })
  value!: string;

  @Field(() => Date, { nullable: true, description: 'When ownership was proven (code received); null while unvalidated.' })
  validatedAt!: Date | null;

  @Field({ description: 'Whether this is the user’s primary contact of its type (at most one per type).' })
  isPrimary!: boolean;

  @Field(() => ContactState, { description: 'Whether the contact is in use.' })
  state!: ContactState;

  @Field({ description: 'When the contact was added.' })
  createdAt!: Date;

  static from(row: ContactRow): Contact {
    const c = new Contact();
    c.uuid = row.id;
    c.userUuid = row.userId;
    c.databaseId = row.databaseId;
    c.type = row.type as ContactType;
    c.label = row.label;
    c.value = row.value;
    c.validatedAt = row.validatedAt;
    c.isPrimary = row.isPrimary;
    c.state = row.state as ContactState;
    c.createdAt = row.createdAt;
    return c;
  }
}

// ---- public keys ----

export enum PublicKeyKind {
  SSH = 'ssh',
  LABELLED = 'labelled',
}
registerEnumType(PublicKeyKind, {
  name: 'PublicKeyKind',
  description: 'What a public key is for.',
  valuesConfig: {
    SSH: { description: 'An OpenSSH public key (GitLab SSH keys); its fingerprint is unique system-wide.' },
    LABELLED: { description: 'Any public key under a label (Itsyouonline public keys).' },
  },
});

@ReadsWholeRow()
@ObjectType({ implements: Node, description: 'A public key of a user. Visible to every signed-in caller (as on GitLab).' })
export class PublicKey extends Node {
  static readonly nodeType = 'PublicKey';
  userUuid!: string;

  @Field(() => Int, { description: 'Integer id, as used by the GitLab dialect.' })
  databaseId!: number;

  @Field(() => PublicKeyKind, { description: 'SSH or labelled.' })
  kind!: PublicKeyKind;

  @Field({ description: 'Title (GitLab) or label (Itsyouonline); unique per user and kind.' })
  label!: string;

  @Field({ description: 'The key as given (SSH keys normalized to `type base64 [comment]`).' })
  key!: string;

  @Field({ description: '"SHA256:" and the unpadded base64 of the SHA-256 of the key blob, as `ssh-keygen -l` prints it.' })
  fingerprint!: string;

  @Field({ description: 'When the key was added.' })
  createdAt!: Date;

  static from(row: PublicKeyRow): PublicKey {
    const k = new PublicKey();
    k.uuid = row.id;
    k.userUuid = row.userId;
    k.databaseId = row.databaseId;
    k.kind = row.kind as PublicKeyKind;
    k.label = row.label;
    k.key = row.key;
    k.fingerprint = row.fingerprint;
    k.createdAt = row.createdAt;
    return k;
  }
}

// ---- devices and identities ----

export enum DeviceState {
  ACTIVE = 'active',
  REVOKED = 'revoked',
}
registerEnumType(DeviceState, {
  name: 'DeviceState',
  description: 'Whether a device may still act for its user.',
  valuesConfig: {
    ACTIVE: { description: 'In use.' },
    REVOKED: { description: 'Revoked: its keys are no longer trusted.' },
  },
});

@ReadsWholeRow()
@ObjectType({ implements: Node, description: 'A device of a user (Seald: a key pair on one device). Visible to the user and instance admins.' })
export class Device extends Node {
  static readonly nodeType = 'Device';
  userUuid!: string;

  @Field({ description: 'Name the device registered with.' })
  name!: string;

  @Field(() => DeviceState, { description: 'Active or revoked.' })
  state!: DeviceState;

  @Field({ description: 'When the device was registered.' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the device was last seen.' })
  lastSeenAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the device was revoked, if it was.' })
  revokedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'The device’s public encryption key (base64), when it registered one.' })
  encryptionPublicKey!: string | null;

  @Field(() => String, { nullable: true, description: 'The device’s public signing key (base64), when it registered one.' })
  signingPublicKey!: string | null;

  @Field(() => ID, { description: 'Global ID (type User) of the user the device belongs to.' })
  get userId(): string {
    return toGlobalId('User', this.userUuid);
  }

  static from(row: DeviceRow): Device {
    const d = new Device();
    d.uuid = row.id;
    d.userUuid = row.userId;
    d.name = row.name;
    d.state = row.state as DeviceState;
    d.createdAt = row.createdAt;
    d.lastSeenAt = row.lastSeenAt;
    d.revokedAt = row.revokedAt;
    d.encryptionPublicKey = row.encryptionPublicKey;
    d.signingPublicKey = row.signingPublicKey;
    return d;
  }
}

@ReadsWholeRow()
@ObjectType({ description: 'An account of the user at an external identity provider. Visible to the user and instance admins.' })
export class Identity {
  @Field({ description: 'The provider (e.g. "github", "ldapmain").' })
  provider!: string;

  @Field({ description: 'The user’s id at that provider.' })
  externalUid!: string;

  @Field({ description: 'When the identity was linked.' })
  createdAt!: Date;

  static from(row: IdentityRow): Identity {
    const i = new Identity();
    i.provider = row.provider;
    i.externalUid = row.externalUid;
    i.createdAt = row.createdAt;
    return i;
  }
}

// ---- the users() connection ----

export const UserConnection = ConnectionType(User, 'User');

export enum UserOrderField {
  USERNAME = 'username',
  CREATED_AT = 'createdAt',
  DATABASE_ID = 'databaseId',
}
registerEnumType(UserOrderField, {
  name: 'UserOrderField',
  description: 'What users are sorted by.',
  valuesConfig: {
    USERNAME: { description: 'Username.' },
    CREATED_AT: { description: 'When the account was created.' },
    DATABASE_ID: { description: 'Integer id (creation order).' },
  },
});

@InputType({ description: 'How to sort users (the id breaks ties).' })
export class UserOrder {
  @Field(() => UserOrderField, { description: 'Sort key.' })
  field!: UserOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC, description: 'Direction.' })
  direction!: OrderDirection;
}

@InputType({ description: 'Which users to list; all given conditions must hold.' })
export class UserFilter {
  @Field(() => String, {
    nullable: true,
    description: 'Username, names or email contain this (case-insensitive). Emails match only exactly and only primary or validated ones (any of your own), unless you are an instance admin.',
  })
  search?: string | null;

  @Field(() => String, { nullable: true, description: 'Exactly this username (case-insensitive).' })
  username?: string | null;

  @Field(() => UserState, { nullable: true, description: 'Only users in this state.' })
  state?: UserState | null;

  @Field(() => Boolean, { nullable: true, description: 'Only instance admins (true) or only others (false). Instance admins only.' })
  isAdmin?: boolean | null;

  @Field(() => ID, { nullable: true, description: 'Only direct members of this organization (global ID); you must be able to see its members.' })
  organizationId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only users who consented to act as analysts (consent given is visible to all). false: only the others (instance admins only).' })
  analystConsent?: boolean | null;
}

@ReadsNoRow()
@ObjectType({ description: 'How to send a person to the sign-in page for an email address.' })
export class LoginHint {
  @Field({ description: 'Query parameters for the sign-in page (`login_hint`, the `organization` slug when known, or `route=manual`).' })
  params!: string;

  @Field({ description: 'Several accounts hold the address: the person must enter their username (params hold `route=manual`).' })
  manualEntry!: boolean;
}

@ArgsType()
export class UsersArgs extends ConnectionArgs {
  @Field(() => UserFilter, { nullable: true, description: 'Filter.' })
  filter?: UserFilter | null;

  @Field(() => UserOrder, { nullable: true, description: 'Order; default username ascending.' })
  orderBy?: UserOrder | null;

  @Field(() => Int, { nullable: true, description: 'Skip this many users (with `first` only): for page-number clients such as the REST dialects; prefer cursors.' })
  offset?: number | null;
}
