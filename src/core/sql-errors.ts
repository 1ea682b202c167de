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

export const isForeignKeyViolation = (err: unknown): boolean => pgError(err)?.code === '23503';
