// Recognises database errors the services turn into domain errors (unique violations become
// CONFLICT). Both drivers report SQLSTATE as `code` and the constraint name, possibly wrapped
// in Drizzle's query error as `cause`.
interface PgErrorLike {
  code?: string;
  constraint?: string;
  constraint_name?: string;
  cause?: unknown;
}

function pgError(err: unknown): PgErrorLike | null {
  let e: unknown = err;
  for (let i = 0; i < 5 && e && typeof e === 'object'; i++) {
    const p = e as PgErrorLike;
    if (typeof p.code === 'string' && /^[0-9A-Z]{5}$/.test(p.code)) return p;
    e = p.cause;
  }
  return null;
}

/** SQLSTATE 23505; when `constraint` is given, only a violation of that index. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const p = pgError(err);
  if (!p || p.code !== '23505') return false;
  return constraint === undefined || (p.constraint ?? p.constraint_name) === constraint;
}

/** SQLSTATE and constraint of a database error (from its cause chain), for log lines. */
export function sqlStateOf(err: unknown): { sqlState: string; constraint?: string } | null {
  const p = pgError(err);
  if (!p) return null;
  const constraint = p.constraint ?? p.constraint_name;
  return { sqlState: p.code!, ...(constraint ? { constraint } : {}) };
}

export const isForeignKeyViolation = (err: unknown): boolean => pgError(err)?.code === '23503';

// What a database error carries of the values a statement was run with: Drizzle's query error
// prints them into its message ("Failed query: …\nparams: …", and so into its stack), PGlite
// sets `params` (and `queryOptions`), postgres.js `parameters` and `args` (enumerable in debug
// mode), and PostgreSQL's `detail` quotes the values of a violated key. Log lines must hold none
// of them (token hashes, validation-code hashes, emails): the statement text, SQLSTATE and
// constraint stay, which is what one debugs with.
const PARAMETER_KEYS = new Set(['params', 'parameters', 'args', 'queryOptions', 'detail']);

/**
 * A copy of the error (and its causes) without statement parameters, for logging. Anything that
 * is not an Error is returned as it is.
 */
export function withoutStatementParameters(err: unknown, depth = 0): unknown {
  if (!(err instanceof Error) || depth > 5) return err;
  const e = err as Error & Record<string, unknown>;
  const params = e.params ?? e.parameters;
  // Exactly the text Drizzle appended: removing it leaves "Failed query: <statement>".
  const shown = params !== undefined ? `\nparams: ${String(params)}` : null;
  const strip = (s: string | undefined) => (s === undefined || shown === null ? s : s.split(shown).join(''));
  const copy = Object.create(Object.getPrototypeOf(e)) as Error & Record<string, unknown>;
  for (const k of Object.keys(e)) if (!PARAMETER_KEYS.has(k) && k !== 'cause') copy[k] = e[k];
  Object.defineProperty(copy, 'message', { value: strip(e.message), writable: true, configurable: true });
  Object.defineProperty(copy, 'stack', { value: strip(e.stack), writable: true, configurable: true });
  if (e.name !== copy.name) Object.defineProperty(copy, 'name', { value: e.name, writable: true, configurable: true });
  if (e.cause !== undefined) Object.defineProperty(copy, 'cause', { value: withoutStatementParameters(e.cause, depth + 1), writable: true, configurable: true });
  return copy;
}
