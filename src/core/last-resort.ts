// The process's last-resort error handlers (installed by main.ts). Every error a request or a
// worker can expect is handled where it happens; what reaches these handlers was not expected,
// and the only question left is whether the process can go on serving.
//
// The rule:
// - An unhandled promise rejection: the work that promise stood for has already stopped (its
//   code unwound to the rejection), and nothing else waits on it. Logged; the process goes on.
// - An uncaught exception that says the database is away (a lost connection reported from a
//   socket callback): the driver settles its queries and reconnects on its own. Logged; the
//   process goes on.
// - Any other uncaught exception: it unwound through code that did not expect it, possibly
//   half-way through changing shared state (a pool, a cache, a socket). The state is unknown, so
//   the process logs it and exits non-zero for its supervisor to start a clean one; in-flight
//   requests get the shutdown timeout to finish first.
import type { Logger } from 'pino';
import { unavailableReason } from './db-availability.js';

export type Verdict = 'continue' | 'exit';

export function lastResortVerdict(kind: 'uncaughtException' | 'unhandledRejection', err: unknown): Verdict {
  if (kind === 'unhandledRejection') return 'continue';
  return unavailableReason(err) !== null ? 'continue' : 'exit';
}

/**
 * The request id an error carries, when it was raised for a request (errors built by the
 * request pipeline carry `reqId` or `requestId`). There is no request context to ask otherwise:
 * AsyncLocalStorage would tag every promise of every request, a cost on every hot path.
 */
function requestIdOf(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 6 && e && typeof e === 'object'; i++) {
    const id = (e as { reqId?: unknown; requestId?: unknown }).reqId ?? (e as { requestId?: unknown }).requestId;
    if (typeof id === 'string') return id;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export interface LastResortOptions {
  /** Starts the graceful stop (drain, then exit) with this code; main.ts's stop(). */
  exit(code: number): void;
}

/** Installs the handlers; returns a function that removes them (tests). */
export function installLastResortHandlers(logger: Logger, opts: LastResortOptions): () => void {
  const handle = (kind: 'uncaughtException' | 'unhandledRejection') => (err: unknown) => {
    const verdict = lastResortVerdict(kind, err);
    const reason = unavailableReason(err);
    // A database error's message may quote a statement's parameters: only its code is logged.
    const detail = reason !== null ? { reason } : { err };
    if (verdict === 'continue') {
      logger.error({ kind, reqId: requestIdOf(err), ...detail }, `${kind}: logged, process continues`);
      return;
    }
    logger.fatal({ kind, reqId: requestIdOf(err), ...detail }, `${kind}: process state unknown, exiting`);
    opts.exit(1);
  };
  const onException = handle('uncaughtException');
  const onRejection = handle('unhandledRejection');
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
