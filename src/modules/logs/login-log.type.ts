// GraphQL types of the login log: one row per sign-in attempt, successful or not.
import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ConnectionArgs, ConnectionType } from '../../core/graphql/connection.js';
import { Node, toGlobalId } from '../../core/graphql/node.js';
import type { LoginLogRow } from './login-log.repo.js';
import { ReadsWholeRow } from '../../core/read/reads.js';

@ReadsWholeRow()
@ObjectType({ implements: Node, description: 'One sign-in attempt.' })
export class LoginLog extends Node {
  static readonly nodeType = 'LoginLog';
  row!: LoginLogRow;

  @Field({ description: 'Whether the attempt signed in.' })
  success!: boolean;

  @Field(() => String, { nullable: true, description: 'Client address the attempt came from.' })
  ip!: string | null;

  @Field(() => String, { nullable: true, description: 'User agent the client sent.' })
  userAgent!: string | null;

  @Field(() => String, { nullable: true, description: 'Where the attempt came from, when known.' })
  location!: string | null;

  @Field(() => String, { nullable: true, description: 'Why the attempt failed (invalid_credentials, blocked, …); null on success.' })
  failureReason!: string | null;

  @Field({ description: 'When the attempt happened.' })
  createdAt!: Date;

  @Field(() => ID, { nullable: true, description: 'Global ID (type Device) of the device the attempt came from, when known.' })
  deviceId!: string | null;

  static from(row: LoginLogRow): LoginLog {
    const l = new LoginLog();
    l.uuid = row.id;
    l.row = row;
    l.success = row.success;
    l.ip = row.ip;
    l.userAgent = row.userAgent;
    l.location = row.location;
    l.failureReason = row.failureReason;
    l.createdAt = row.createdAt;
    l.deviceId = row.deviceId ? toGlobalId('Device', row.deviceId) : null;
    return l;
  }
}

export const LoginLogConnection = ConnectionType(LoginLog, 'LoginLog');

@InputType({ description: 'Which login-log rows to list.' })
export class LoginLogFilterInput {
  @Field(() => ID, { nullable: true, description: 'Only attempts of this user (global ID); default: yours (instance admins: everyone’s).' })
  user?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Only successful (true) or failed (false) attempts.' })
  success?: boolean | null;
}

@ArgsType()
export class LoginLogsArgs extends ConnectionArgs {
  @Field(() => LoginLogFilterInput, { nullable: true, description: 'Filter.' })
  filter?: LoginLogFilterInput | null;

  @Field(() => Int, { nullable: true, description: 'Skip this many rows (with `first` only): for page-number clients such as the REST dialects; prefer cursors.' })
  offset?: number | null;
}
