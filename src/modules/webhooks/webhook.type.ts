// GraphQL types of webhooks: endpoints that receive an organization's events, and their
// delivery log (the outbox rows that carried them).
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Node } from '../../core/graphql/node.js';
import { UserError } from '../../core/graphql/payload.js';
import { ReadsNoRow, ReadsWholeRow } from '../../core/read/reads.js';
import type { WebhookRow } from './webhook.repo.js';

@ReadsWholeRow()
@ObjectType({ implements: Node, description: 'An endpoint that receives the events of an organization and of the organizations below it, as signed HTTP POSTs.' })
export class Webhook extends Node {
  static readonly nodeType = 'Webhook';
  organizationUuid!: string;

  @Field({ description: 'Where events are POSTed (http or https; a public address unless the operator allows the host).' })
  url!: string;

  @Field(() => [String], { description: 'The event-log actions delivered (such as organization.update); empty: every action.' })
  actions!: string[];

  @Field({ description: 'Whether events are delivered. A webhook whose deliveries keep failing is disabled (see disabledReason).' })
  enabled!: boolean;

  @Field(() => Int, { description: 'Deliveries given up on in a row (a delivered one resets it).' })
  consecutiveFailures!: number;

  @Field(() => String, { nullable: true, description: 'Why it is disabled, when it is.' })
  disabledReason!: string | null;

  @Field({ description: 'When it was registered.' })
  createdAt!: Date;

  static from(row: WebhookRow): Webhook {
    return Object.assign(new Webhook(), {
      uuid: row.id,
      organizationUuid: row.organizationId,
      url: row.url,
      actions: row.actions,
      enabled: row.enabled,
      consecutiveFailures: row.consecutiveFailures,
      disabledReason: row.disabledReason,
      createdAt: row.createdAt,
    });
  }
}

@InputType({ description: 'A new webhook.' })
export class CreateWebhookInput {
  @Field(() => ID, { description: 'The organization (global ID) whose events it receives, with those of its sub-organizations.' })
  organizationId!: string;

  @Field({ description: 'The endpoint URL.' })
  url!: string;

  @Field(() => [String], { nullable: true, description: 'Only these actions (default: all).' })
  actions?: string[] | null;
}

@InputType({ description: 'Changes to a webhook; null leaves a field as it is.' })
export class UpdateWebhookInput {
  @Field(() => ID, { description: 'The webhook (global ID).' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'A new endpoint URL.' })
  url?: string | null;

  @Field(() => [String], { nullable: true, description: 'A new action list (empty: all).' })
  actions?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Enable (counting failures afresh) or disable.' })
  enabled?: boolean | null;
}

@InputType({ description: 'The webhook to delete.' })
export class DeleteWebhookInput {
  @Field(() => ID, { description: 'The webhook (global ID).' })
  id!: string;
}

@ReadsNoRow()
@ObjectType({ description: 'The result of registering a webhook.' })
export class CreateWebhookPayload {
  @Field(() => Webhook, { nullable: true, description: 'The webhook.' })
  webhook?: Webhook | null;

  @Field(() => String, { nullable: true, description: 'The signing secret, shown this once: check each delivery’s X-Webhook-Signature with it.' })
  secret?: string | null;

  @Field(() => [UserError], { description: 'Why it failed.' })
  userErrors!: UserError[];
}

@ReadsNoRow()
@ObjectType({ description: 'The result of changing a webhook.' })
export class WebhookPayload {
  @Field(() => Webhook, { nullable: true, description: 'The webhook.' })
  webhook?: Webhook | null;

  @Field(() => [UserError], { description: 'Why it failed.' })
  userErrors!: UserError[];
}

@ReadsNoRow()
@ObjectType({ description: 'The result of deleting a webhook.' })
export class DeleteWebhookPayload {
  @Field(() => ID, { nullable: true, description: 'Global ID of the deleted webhook.' })
  deletedId?: string | null;

  @Field(() => [UserError], { description: 'Why it failed.' })
  userErrors!: UserError[];
}
