// Sends one webhook delivery (an outbox row of channel `webhook`): the event as JSON, POSTed to
// the endpoint's current URL, signed so the receiver can tell it came from here and is fresh.
//
//   X-Webhook-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
//   X-Webhook-Id: <delivery id>   (the same on every retry: receivers drop repeats by it)
//   X-Webhook-Event: <action>
//
// A 2xx answer delivers it; 410 Gone refuses it for good; anything else (or no answer within
// WEBHOOK_TIMEOUT_MS) is retried by the outbox worker with its backoff. The connection goes
// only to a public address unless the host is allowed (core/net/outbound.ts).
import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { openSecret } from '../../core/auth/server-secrets.js';
import type { Database } from '../../core/db.js';
import { toGlobalId } from '../../core/graphql/node.js';
import { guardedLookup } from '../../core/net/outbound.js';
import { findEventLogsByIds } from '../logs/event-log.repo.js';
import type { OutboxRow } from '../outbox/outbox.repo.js';
import { findWebhook } from './webhook.repo.js';

const permanent = (message: string) => Object.assign(new Error(message), { permanent: true });

/** What a webhook's signing secret is sealed for under MASTER_KEY (core/auth/server-secrets.ts storeSecret). */
export const WEBHOOK_SECRET_PURPOSE = 'webhook secret';

export const signature = (secret: string, timestamp: number, body: string) => `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

export function webhookSender(db: Database, opts: { allowedHosts: readonly string[]; timeoutMs: number }) {
  const lookup = guardedLookup(opts.allowedHosts);
  return async (row: OutboxRow): Promise<void> => {
    const hook = row.webhookId ? await findWebhook(db, row.webhookId) : null;
    if (!hook || !hook.enabled) throw permanent('The webhook was disabled or deleted');
    const eventId = (row.payload as { eventId?: unknown }).eventId;
    const [found] = typeof eventId === 'string' ? await findEventLogsByIds(db, [eventId]) : [];
    if (!found) throw permanent('The event is gone');
    const e = found.event;
    const body = JSON.stringify({
      id: toGlobalId('EventLog', e.id),
      action: e.action,
      occurredAt: e.occurredAt.toISOString(),
      organizationId: e.organizationId ? toGlobalId('Organization', e.organizationId) : null,
      actorId: e.actorUserId ? toGlobalId('User', e.actorUserId) : null,
      user2Id: e.user2Id ? toGlobalId('User', e.user2Id) : null,
      data: e.data ?? {},
    });
    const t = Math.floor(Date.now() / 1000);
    const url = new URL(hook.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
        url,
        {
          method: 'POST',
          lookup: lookup as never,
          timeout: opts.timeoutMs,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'user-agent': 'identity-graph-gateway-webhooks',
            'x-webhook-id': row.id,
            'x-webhook-event': e.action,
            'x-webhook-signature': signature(openSecret(db, hook.secret, WEBHOOK_SECRET_PURPOSE), t, body),
          },
        },
        (res) => {
          res.resume(); // the answer's body is not read, only drained
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`No answer within ${opts.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
    if (status === 410) throw permanent('HTTP 410: the endpoint is gone');
    if (status < 200 || status > 299) throw new Error(`HTTP ${status}`);
  };
}
