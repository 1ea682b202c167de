// One LISTEN per channel and process, fanned out to in-process listeners. PostgreSQL delivers a
// NOTIFY when (and only if) its transaction commits, to every process listening, so what a
// listener hears is what several gateways on one database wrote, in commit order. PGlite does
// the same inside its one process (DbHandle.listen).
//
// Payloads arriving together are handed over as one batch (flushed on the next turn of the event
// loop), so a listener that reads rows for them reads a burst with one statement.
import type { Logger } from 'pino';
import type { DbHandle } from '../db.js';

export interface FeedListener {
  /** Payloads in the order they were committed; never empty. */
  onPayloads(payloads: readonly string[]): void;
  /**
   * The listen was (re)established: notifications sent while it was down are lost, so a
   * listener that must not miss any catches up from its table now.
   */
  onResync(): void;
}

export class NotificationFeed {
  private readonly listeners = new Set<FeedListener>();
  private pending: string[] = [];
  private flushScheduled = false;
  private started: Promise<void> | null = null;
  private stop: (() => Promise<void>) | null = null;
  private closed = false;

  constructor(
    private readonly database: Pick<DbHandle, 'listen'>,
    private readonly channel: string,
    private readonly logger?: Pick<Logger, 'warn'>,
  ) {}

  /** Adds a listener; resolves once the channel is heard (the first listener starts the LISTEN). */
  async subscribe(listener: FeedListener): Promise<() => void> {
    if (this.closed) throw new Error('the notification feed is closed');
    this.listeners.add(listener);
    try {
      await (this.started ??= this.start());
    } catch (err) {
      this.listeners.delete(listener);
      this.started = null;
      throw err;
    }
    return () => void this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  private async start(): Promise<void> {
    let first = true;
    this.stop = await this.database.listen(
      this.channel,
      (payload) => this.push(payload),
      () => {
        // The first call is the listen itself; later ones follow a lost and regained connection.
        if (first) return void (first = false);
        this.logger?.warn({ channel: this.channel }, 'notification listen re-established; listeners catch up');
        for (const l of [...this.listeners]) l.onResync();
      },
    );
  }

  private push(payload: string): void {
    this.pending.push(payload);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      const batch = this.pending;
      this.pending = [];
      if (!batch.length) return;
      for (const l of [...this.listeners]) l.onPayloads(batch);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    const stop = this.stop;
    this.stop = null;
    await stop?.().catch(() => {});
  }
}
