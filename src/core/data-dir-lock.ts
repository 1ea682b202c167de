// The embedded database's data directory belongs to one process at a time. PGlite takes no lock
// of its own (electric-sql/pglite#1106): two processes on one DATA_DIR both open it, both
// answer, and the writes of one are lost or the directory is left unreadable. So the owner
// writes DATA_DIR/pglite.lock (created exclusively: O_EXCL) holding its pid, host and start;
// another process refuses to open while that pid lives, and takes over a lock whose process is
// gone (killed, crashed, the machine restarted).
import { closeSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** Exit code of a process refused because another one holds its data directory (EX_TEMPFAIL). */
export const DATA_DIR_LOCKED_EXIT = 75;

export interface LockHolder {
  pid: number;
  host: string;
  /** When the holder took the lock (ISO 8601). */
  since: string;
  /** The holder's command line, to tell a gateway from a seed. */
  command: string;
  /** Linux: the holder's start time in clock ticks since boot (tells a reused pid apart). */
  procStart?: string;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `DATA_DIR ${dataDir} is in use by process ${holder.pid} on ${holder.host} (${holder.command}, since ${holder.since}): ` +
        `one process at a time may open the embedded database. Stop that process, or run this one with another DATA_DIR ` +
        `or on PostgreSQL (DATABASE_URL). If that process is surely gone, remove ${lockPath(dataDir)}.`,
    );
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  readonly path: string;
  /** Removes the lock file if it is still this process's. Idempotent. */
  release(): void;
}

export const lockPath = (dataDir: string) => join(dataDir, 'pglite.lock');

/** Field 22 of /proc/<pid>/stat (start time); undefined off Linux or when the process is gone. */
function procStartOf(pid: number | 'self'): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count from its end.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function isAlive(holder: LockHolder): boolean {
  // On another host (a shared volume) liveness cannot be checked: the holder counts as alive.
  if (holder.host !== hostname()) return true;
  if (!Number.isSafeInteger(holder.pid) || holder.pid <= 0) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // The pid lives, but may be a new process that reused it after the holder died.
  const start = holder.procStart && procStartOf(holder.pid);
  return !(start && start !== holder.procStart);
}

function readHolder(path: string): { text: string; holder: LockHolder | null } | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    const holder = JSON.parse(text) as LockHolder;
    return { text, holder: typeof holder?.pid === 'number' ? holder : null };
  } catch {
    // A torn write (power cut while the file was written): nobody can hold it.
    return { text, holder: null };
  }
}

/**
 * Takes DATA_DIR's lock for this process, or throws DataDirLockedError naming the live holder.
 * The directory must exist. Released by release() and, failing that, when the process exits.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const path = lockPath(dataDir);
  const me: LockHolder = {
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    command: process.argv.slice(1).join(' ').slice(0, 200),
    procStart: procStartOf('self'),
  };
  const text = JSON.stringify(me);
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      try {
        writeSync(fd, text);
      } finally {
        closeSync(fd);
      }
      return held(path, text);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const current = readHolder(path);
    if (!current) continue; // released meanwhile: try again
    if (current.holder && isAlive(current.holder)) throw new DataDirLockedError(dataDir, current.holder);
    // Stale. Moved aside under a name of our own, so that of two processes taking it over at
    // once only one moves it; if what we moved is not the stale lock we read (another process
    // took it over in between), it is put back and we look again.
    const aside = `${path}.stale-${process.pid}`;
    try {
      renameSync(path, aside);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    // link() rather than rename(): putting it back must not replace a lock created meanwhile.
    if (readFileSync(aside, 'utf8') !== current.text) linkIfAbsent(aside, path);
    unlinkSync(aside);
  }
  const last = readHolder(path)?.holder;
  if (last) throw new DataDirLockedError(dataDir, last);
  throw new Error(`could not take the lock ${path}`);
}

function linkIfAbsent(from: string, to: string) {
  try {
    linkSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

function held(path: string, text: string): DataDirLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    try {
      // Only our own lock: never remove a file another process wrote after taking ours over.
      if (readFileSync(path, 'utf8') === text) unlinkSync(path);
    } catch {
      // Already gone.
    }
  };
  process.on('exit', release);
  return { path, release };
}
