// The User object of the graph. Public fields are plain properties; private ones (email,
// sign-in times, tokens) are field resolvers in user.resolver.ts that check the policy.
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Node, toGlobalId } from '../../core/graphql/node.js';
import type { UserRow } from './user.repo.js';

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

@ObjectType({ implements: Node, description: 'A person with an account.' })
export class User extends Node {
  /** The row's uuid, for field resolvers; not part of the schema. */
  uuid!: string;
  row!: UserRow;

  @Field(() => Int, { description: 'Integer id, as used by the GitLab and accounts dialects.' })
  databaseId!: number;

  @Field({ description: 'Unique username (case-insensitive).' })
  username!: string;

  @Field(() => String, { nullable: true, description: 'Given name.' })
  firstName!: string | null;

  @Field(() => String, { nullable: true, description: 'Family name.' })
  lastName!: string | null;

  @Field({ description: 'Name to show: the display name, else first and last name, else the username.' })
  name!: string;

  @Field(() => UserState, { description: 'Whether the user can sign in.' })
  state!: UserState;

  @Field({ description: 'When the account was created.' })
  createdAt!: Date;

  static from(row: UserRow): User {
    const u = new User();
    u.id = toGlobalId('User', row.id);
    u.uuid = row.id;
    u.row = row;
    u.databaseId = row.databaseId;
    u.username = row.username;
    u.firstName = row.firstName;
    u.lastName = row.lastName;
    u.name = row.displayName || [row.firstName, row.lastName].filter(Boolean).join(' ') || row.username;
    u.state = row.state as UserState;
    u.createdAt = row.createdAt;
    return u;
  }
}
