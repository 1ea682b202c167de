// How far V8 lets the old generation grow past what survived the last full GC before it
// collects again. V8 picks the factor itself, up to 4x for a heap as small as this gateway's,
// so under load most of the resident memory is dead objects waiting for a collection. A fixed
// factor (HEAP_GROWING_PERCENT=100: 2x) bounds resident memory for somewhat more CPU in full
// GCs (figures in test/bench/README.md); 0 leaves V8 its own choice.
import v8 from 'node:v8';

/** The flag, when it was given on the command line or in NODE_OPTIONS: that choice stands. */
export function explicitHeapGrowth(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): boolean {
  return [...execArgv, ...nodeOptions.split(/\s+/)].some((a) => /^--heap[-_]growing[-_]percent(=|$)/.test(a));
}

/**
 * Sets V8's heap growing factor to 1 + percent/100 unless `percent` is 0 or the flag was given
 * explicitly; returns the percent in force, or null for V8's own. Safe after start-up, unlike
 * most V8 flags: V8 reads this one afresh each time it sizes the heap after a full GC.
 */
export function applyHeapGrowth(percent: number, explicit = explicitHeapGrowth()): number | null {
  if (explicit || percent <= 0) return null;
  v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
  return percent;
}
