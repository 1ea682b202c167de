// The one guard for what a request carries in: every string (GraphQL variables and literals —
// String, ID and JSON values alike — and every REST path, query and body value) is refused when
// PostgreSQL could not store it (a NUL character) or it is not well-formed UTF-16 (a lone
// surrogate, which UTF-8 cannot carry), and nested values are refused past MAX_INPUT_DEPTH.
// The walk is iterative, so a value nested thousands deep is refused here before anything walks
// it recursively (JSON.stringify, graphql-js's coercion, a driver's serializer).
//
// Invariant: a value this guard lets through holds no NUL, no lone surrogate (in strings and in
// object keys alike), and no array or object nested deeper than MAX_INPUT_DEPTH.

/** Arrays and objects inside one another, counted from the top value (1). */
export const MAX_INPUT_DEPTH = 32;

export interface InputProblem {
  /** Where: property names and indexes from the top value, joined by '.' ('' for the top). */
  path: string;
  kind: 'nul' | 'surrogate' | 'depth';
  /** The code unit found (for 'surrogate'), e.g. 'U+D800'. */
  unit?: string;
}

/** Why `s` cannot be stored, or null. */
export function stringProblem(s: string): Pick<InputProblem, 'kind' | 'unit'> | null {
  if (s.includes('\u0000')) return { kind: 'nul' };
  if ((s as string & { isWellFormed(): boolean }).isWellFormed()) return null;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    const next = s.charCodeAt(i + 1);
    if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      i++;
      continue;
    }
    return { kind: 'surrogate', unit: `U+${c.toString(16).toUpperCase()}` };
  }
  return null;
}

/** The first problem of a value (variables, a JSON body, query or path parameters), or null. */
export function inputProblem(value: unknown, maxDepth = MAX_INPUT_DEPTH): InputProblem | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  while (stack.length) {
    const { value: v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      const p = stringProblem(v);
      if (p) return { path, ...p };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > maxDepth) return { path, kind: 'depth' };
    const at = (k: string | number) => (path ? `${path}.${k}` : String(k));
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: at(i), depth: depth + 1 });
      continue;
    }
    for (const k of Object.keys(v)) {
      const p = stringProblem(k);
      if (p) return { path: at(k), ...p };
      stack.push({ value: (v as Record<string, unknown>)[k], path: at(k), depth: depth + 1 });
    }
  }
  return null;
}

/** The problem in words (the GraphQL message; REST dialects word it their own way). */
export function describeInputProblem(p: InputProblem, what = 'Input'): string {
  const where = p.path ? `${what} at "${p.path}"` : what;
  if (p.kind === 'nul') return `${where} contains a NUL character, which cannot be stored`;
  if (p.kind === 'surrogate') return `${where} contains an unpaired surrogate (${p.unit}), which is not valid Unicode`;
  return `${where} is nested more than ${MAX_INPUT_DEPTH} levels deep`;
}
