// Delivers the outbox: polls for pending messages that are due, hands each to the sender of
// its channel (SMTP through nodemailer for email), marks it sent, or counts the failed attempt
// and gives up after `maxAttempts` (at once for a permanent 5xx refusal). Delivery is at
// least once: a row is marked only after its send returned, so a crash in between re-sends it
// rather than losing it. Channels without a sender (SMS today) are left pending, readable.
import { createRequire } from 'node:module';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { Database, DbHandle } from '../../core/db.js';
import { deliveryGivenUp, deliverySucceeded } from '../webhooks/webhook.service.js';
import { webhookSender } from '../webhooks/webhook.sender.js';
import { findDueOutbox, markOutboxAttemptFailed, markOutboxDelivered, type OutboxChannelValue, type OutboxRow } from './outbox.repo.js';

/** Delivers one message; throws on failure (an error with `permanent: true` is not retried). */
export type OutboxSender = (message: OutboxRow) => Promise<void>;

export interface OutboxWorkerOptions {
  senders: Partial<Record<OutboxChannelValue, OutboxSender>>;
  /** Pause between polls when the last one found less than a full batch. */
  intervalMs: number;
  batchSize?: number;
  maxAttempts?: number;
  /** Base of the retry backoff: attempt k+1 is due base × (4^k − 1) after the message was queued. */
  retryBaseMs?: number;
  /**
   * Lock the batch FOR UPDATE SKIP LOCKED in a transaction held while it is sent, so several
   * gateways on one PostgreSQL server never send a row twice. PGlite has one connection and
   * one process: a transaction held during SMTP would stall every request, so there the rows
   * are read and marked without one (same queries, same code path otherwise).
   */
  lockRows: boolean;
  /** What a channel does after a delivery (in the drain's transaction when rows are locked). */
  outcomes?: Partial<Record<OutboxChannelValue, { sent?(db: Database, row: OutboxRow): Promise<void>; gaveUp?(db: Database, row: OutboxRow): Promise<void> }>>;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
}

export interface DrainResult {
  sent: number;
  retrying: number;
  failed: number;
}

export class OutboxWorker {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  // Drains run one after another, whether from the timer or from a caller of drainOnce().
  private chain: Promise<unknown> = Promise.resolve();
  private readonly batchSize: number;
  private readonly maxAttempts: number;
  private readonly retryBaseMs: number;

  constructor(
    private readonly db: Database,
    private readonly opts: OutboxWorkerOptions,
  ) {
    this.batchSize = opts.batchSize ?? 10;
    this.maxAttempts = opts.maxAttempts ?? 5;
    this.retryBaseMs = opts.retryBaseMs ?? 10_000;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops polling and waits for a drain in progress to finish (its rows get marked). */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.chain.catch(() => {});
  }

  /** One batch: every due message of a channel with a sender, up to batchSize. */
  drainOnce(): Promise<DrainResult> {
    const next = this.chain.then(() => this.drain());
    this.chain = next.catch(() => {});
    return next;
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(async () => {
      let full = false;
      try {
        const r = await this.drainOnce();
        full = r.sent + r.retrying + r.failed >= this.batchSize;
      } catch (err) {
        this.opts.logger?.error({ err }, 'outbox: drain failed');
      }
      if (this.running) this.schedule(full ? 0 : this.opts.intervalMs);
    }, ms);
    // The worker alone never keeps the process alive.
    this.timer.unref();
  }

  private async drain(): Promise<DrainResult> {
    const channels = Object.keys(this.opts.senders) as OutboxChannelValue[];
    const work = async (db: Database, lock: boolean): Promise<DrainResult> => {
      const result: DrainResult = { sent: 0, retrying: 0, failed: 0 };
      const rows = await findDueOutbox(db, { limit: this.batchSize, channels, retryBaseMs: this.retryBaseMs, lock });
      for (const row of rows) {
        try {
          await this.opts.senders[row.channel]!(row);
        } catch (err) {
          const permanent = (err as { permanent?: boolean }).permanent === true;
          const message = err instanceof Error ? err.message : String(err);
          await markOutboxAttemptFailed(db, row.id, message, permanent ? 1 : this.maxAttempts);
          const gaveUp = permanent || row.attempts + 1 >= this.maxAttempts;
          if (gaveUp) {
            result.failed++;
            await this.opts.outcomes?.[row.channel]?.gaveUp?.(db, { ...row, attempts: row.attempts + 1, lastError: message, status: 'failed' });
          } else result.retrying++;
          this.opts.logger?.warn({ outboxId: row.id, attempt: row.attempts + 1, gaveUp, error: message }, 'outbox: delivery failed');
          continue;
        }
        await markOutboxDelivered(db, row.id, new Date());
        await this.opts.outcomes?.[row.channel]?.sent?.(db, row);
        result.sent++;
      }
      return result;
    };
    return this.opts.lockRows ? this.db.transaction((tx) => work(tx, true)) : work(this.db, false);
  }
}

/** The email sender: nodemailer over SMTP_URL; `?from=` in the URL sets the sender address. */
export function smtpSender(smtpUrl: string, defaultFrom: string): { send: OutboxSender; close(): void } {
  const url = new URL(smtpUrl);
  const from = url.searchParams.get('from') || defaultFrom;
  url.searchParams.delete('from');
  // Loaded here, only when SMTP is configured: a start without SMTP does not pay for its imports.
  const nodemailer = createRequire(import.meta.url)('nodemailer') as typeof import('nodemailer');
  // Bounded waits: with row locks held during a send, a silent server must not hold them long.
  const transport = nodemailer.createTransport({ url: url.toString(), connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
  return {
    async send(m) {
      try {
        // Attachments travel in the row's payload (the event-log export's CSV), so they commit with the change.
        const attachments = (m.payload?.attachments as { filename: string; contentType: string; content: string }[] | undefined) ?? undefined;
        await transport.sendMail({ from, to: m.recipient, subject: m.subject ?? '', text: m.body, attachments, headers: { 'X-Outbox-Id': m.id, 'X-Outbox-Template': m.template } });
      } catch (err) {
        // 5xx is the server refusing for good (bad recipient, policy): retrying cannot help.
        const code = (err as { responseCode?: number }).responseCode;
        if (typeof code === 'number' && code >= 500 && code < 600) Object.assign(err as object, { permanent: true });
        throw err;
      }
    },
    close: () => transport.close(),
  };
}

/**
 * Starts the worker when it has something to send: email when SMTP_URL is configured, webhook
 * deliveries unless WEBHOOK_DELIVERY=false. Returns null (and starts nothing) otherwise, so
 * messages stay pending and readable in outboxMessages. Call stop() before closing the database.
 */
export function startOutboxWorker(database: DbHandle, config: Config, logger: Pick<Logger, 'info' | 'warn' | 'error'>): { stop(): Promise<void>; worker: OutboxWorker } | null {
  const smtp = config.smtpUrl ? smtpSender(config.smtpUrl, config.admin.email) : null;
  if (!smtp) logger.info('outbox: SMTP_URL is not set; queued email stays in the outbox');
  const senders: OutboxWorkerOptions['senders'] = {};
  const outcomes: OutboxWorkerOptions['outcomes'] = {};
  if (smtp) senders.email = smtp.send;
  if (config.webhooks.deliver) {
    senders.webhook = webhookSender(database.db, config.webhooks);
    outcomes.webhook = { sent: deliverySucceeded, gaveUp: (db, row) => deliveryGivenUp(db, row, config.webhooks.disableAfter) };
  }
  if (!Object.keys(senders).length) return null;
  const worker = new OutboxWorker(database.db, {
    senders,
    outcomes,
    intervalMs: config.outboxIntervalMs,
    retryBaseMs: config.outboxRetryBaseMs,
    lockRows: database.driver === 'postgres',
    logger,
  });
  worker.start();
  logger.info({ intervalMs: config.outboxIntervalMs, channels: Object.keys(senders) }, 'outbox: worker started');
  return {
    worker,
    async stop() {
      await worker.stop();
      smtp?.close();
    },
  };
}
