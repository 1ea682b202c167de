// Rules for webhooks: an organization's admins ('webhook:manage', inherited down the tree)
// register endpoints that receive its events and those of the organizations below it. URLs must
// be http(s) and reach a public address unless WEBHOOK_ALLOWED_HOSTS allows the host (checked
// here and again on every delivery, core/net/outbound.ts). The signing secret is made here and
// shown once (stored sealed under MASTER_KEY when set). Each change commits with its event-log row.
import { randomBytes } from 'node:crypto';
import type { ServiceContext } from '../../context.js';
import { ANONYMOUS } from '../../core/auth/principal.js';
import { storeSecret } from '../../core/auth/server-secrets.js';
import type { Database } from '../../core/db.js';
import { DomainError, notFound, validation } from '../../core/errors.js';
import { pageRequest, toConnection, type Connection, type ConnectionArgs } from '../../core/graphql/connection.js';
import { checkOutboundUrl } from '../../core/net/outbound.js';
import { recordEvent } from '../logs/event-log.service.js';
import { enqueue } from '../outbox/outbox.service.js';
import type { OutboxRow } from '../outbox/outbox.repo.js';
import { readableOrganization } from '../organizations/organization.service.js';
import { findUserById } from '../users/user.repo.js';
import { WEBHOOK_SECRET_PURPOSE } from './webhook.sender.js';
import { countDeliveries, countGivenUpDelivery, countWebhooksOf, deleteWebhook, findWebhook, insertWebhook, listDeliveries, listWebhooksOf, resetFailures, updateWebhook, type WebhookRow } from './webhook.repo.js';

type Ctx = ServiceContext;

export const MAX_WEBHOOKS_PER_ORGANIZATION = 20;
const MAX_ACTIONS = 50;
const MAX_URL = 2048;
const ACTION = /^[A-Za-z][A-Za-z0-9]{0,40}(\.[A-Za-z][A-Za-z0-9]{0,40}){1,3}$/;

async function checkUrl(url: string, allowedHosts: readonly string[]): Promise<string> {
  if (url.length > MAX_URL) throw validation('url', `At most ${MAX_URL} characters`);
  const problem = await checkOutboundUrl(url, allowedHosts);
  if (problem) throw validation('url', problem);
  return url;
}

function checkActions(actions: readonly string[]): string[] {
  if (actions.length > MAX_ACTIONS) throw validation('actions', `At most ${MAX_ACTIONS} actions`);
  const bad = actions.find((a) => !ACTION.test(a));
  if (bad !== undefined) throw validation('actions', 'Actions are event-log actions such as organization.update');
  return [...new Set(actions)].sort();
}

/** The organization, when the caller administers it; NOT_FOUND when they may not see it, FORBIDDEN when not an admin. */
async function managedOrganization(ctx: Ctx, organizationId: string) {
  const org = await readableOrganization(ctx, organizationId);
  if (!org) throw notFound('Organization not found');
  await ctx.authz.assert('webhook:manage', { organizationId: org.id });
  return org;
}

/** A webhook the caller may manage; null when missing or not theirs to see. */
export async function manageableWebhook(ctx: Ctx, id: string): Promise<WebhookRow | null> {
  const row = await findWebhook(ctx.db, id);
  if (!row || !(await ctx.authz.can('webhook:manage', { organizationId: row.organizationId }))) return null;
  return row;
}

export async function webhooksOfOrganization(ctx: Ctx, organizationId: string): Promise<WebhookRow[]> {
  if (!(await ctx.authz.can('webhook:manage', { organizationId }))) return [];
  return listWebhooksOf(ctx.db, organizationId);
}

export async function createWebhookService(
  ctx: Ctx,
  input: { organizationId: string; url: string; actions: readonly string[] },
  allowedHosts: readonly string[],
): Promise<{ row: WebhookRow; secret: string }> {
  const org = await managedOrganization(ctx, input.organizationId);
  const actions = checkActions(input.actions);
  const url = await checkUrl(input.url, allowedHosts);
  if ((await countWebhooksOf(ctx.db, org.id)) >= MAX_WEBHOOKS_PER_ORGANIZATION) throw new DomainError('PRECONDITION_FAILED', `At most ${MAX_WEBHOOKS_PER_ORGANIZATION} webhooks per organization`);
  const secret = `whsec_${randomBytes(32).toString('base64url')}`;
  const stored = storeSecret(ctx.db, secret, WEBHOOK_SECRET_PURPOSE);
  const createdByUserId = ctx.principal.kind === 'user' ? ctx.principal.userId : null;
  const row = await ctx.db.transaction(async (tx) => {
    const w = await insertWebhook(tx, { organizationId: org.id, url, secret: stored, actions, createdByUserId });
    await recordEvent(tx, ctx, { action: 'webhook.create', organizationId: org.id, data: { webhookId: w.id, url, actions } });
    return w;
  });
  return { row, secret };
}

export async function updateWebhookService(
  ctx: Ctx,
  id: string,
  input: { url?: string | null; actions?: readonly string[] | null; enabled?: boolean | null },
  allowedHosts: readonly string[],
): Promise<WebhookRow> {
  const current = await manageableWebhook(ctx, id);
  if (!current) throw notFound('Webhook not found');
  await managedOrganization(ctx, current.organizationId);
  const values: Partial<WebhookRow> = {};
  if (input.url != null) values.url = await checkUrl(input.url, allowedHosts);
  if (input.actions != null) values.actions = checkActions(input.actions);
  // Enabling again starts the failure count afresh.
  if (input.enabled != null) Object.assign(values, input.enabled ? { enabled: true, consecutiveFailures: 0, disabledReason: null } : { enabled: false, disabledReason: 'Disabled by an administrator' });
  return ctx.db.transaction(async (tx) => {
    const row = await updateWebhook(tx, { id: current.id, organizationId: current.organizationId }, values);
    if (!row) throw notFound('Webhook not found');
    await recordEvent(tx, ctx, { action: 'webhook.update', organizationId: row.organizationId, data: { webhookId: row.id, changed: Object.keys(values) } });
    return row;
  });
}

export async function deleteWebhookService(ctx: Ctx, id: string): Promise<string> {
  const current = await manageableWebhook(ctx, id);
  if (!current) throw notFound('Webhook not found');
  await ctx.db.transaction(async (tx) => {
    if (!(await deleteWebhook(tx, { id: current.id, organizationId: current.organizationId }))) throw notFound('Webhook not found');
    await recordEvent(tx, ctx, { action: 'webhook.delete', organizationId: current.organizationId, data: { webhookId: current.id, url: current.url } });
  });
  return current.id;
}

/** The delivery log of an endpoint the caller may manage (checked by the caller of this). */
export async function deliveriesOf(ctx: Ctx, webhookId: string, args: ConnectionArgs): Promise<Connection<OutboxRow>> {
  const page = pageRequest(args);
  const rows = await listDeliveries(ctx.db, webhookId, page);
  return toConnection(rows, page, (r) => [r.key, r.row.id], (r) => r.row, () => countDeliveries(ctx.db, webhookId));
}

// ---- what delivery outcomes do to an endpoint (the outbox worker calls these) ----

export async function deliverySucceeded(db: Database, row: OutboxRow): Promise<void> {
  if (row.webhookId) await resetFailures(db, row.webhookId);
}

/**
 * A delivery given up on (its attempts spent, or refused for good). After `disableAfter` in a
 * row the endpoint is disabled, the change is in the event log, and whoever registered it is
 * told by email (through the outbox, in the same transaction).
 */
export async function deliveryGivenUp(db: Database, row: OutboxRow, disableAfter: number): Promise<void> {
  if (!row.webhookId) return;
  const hook = await countGivenUpDelivery(db, row.webhookId);
  if (!hook || !hook.enabled || hook.consecutiveFailures < disableAfter) return;
  const reason = `Disabled after ${hook.consecutiveFailures} deliveries in a row failed (last: ${row.lastError ?? 'unknown error'})`.slice(0, 500);
  await db.transaction(async (tx) => {
    const off = await updateWebhook(tx, { id: hook.id, organizationId: hook.organizationId }, { enabled: false, disabledReason: reason });
    if (!off) return;
    await recordEvent(tx, { principal: ANONYMOUS, ip: null }, { action: 'webhook.disable', organizationId: hook.organizationId, data: { webhookId: hook.id, url: hook.url, reason } });
    const owner = hook.createdByUserId ? await findUserById(tx, hook.createdByUserId) : null;
    if (owner?.primaryEmail) {
      await enqueue(tx, {
        channel: 'email',
        template: 'webhook_disabled',
        recipient: owner.primaryEmail,
        subject: 'A webhook was disabled',
        body: `The webhook ${hook.url} stopped receiving events. ${reason}. Enable it again with updateWebhook once the endpoint answers.`,
        payload: { webhookId: hook.id },
        organizationId: hook.organizationId,
      });
    }
  });
}
