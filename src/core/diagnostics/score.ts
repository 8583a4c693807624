/**
 * The score per target: 100 minus a fixed deduction per diagnostic by severity, floored at 0,
 * so anyone can reconstruct it from the listed diagnostics. Info costs nothing: it describes
 * (for example what normalisation will do) without saying anything is wrong.
 *
 * The verdict: "fail" when any error fires (a broadcast delivery would be rejected; a release
 * has an audible fault), "warn" when only warnings do, "pass" otherwise.
 */
import type { Diagnostic, Severity } from './diagnostic.ts';

export const DEDUCTION: Record<Severity, number> = { error: 30, warning: 10, info: 0 };

export type Verdict = 'pass' | 'warn' | 'fail';

export function scoreOf(diagnostics: readonly Diagnostic[]): number {
  return Math.max(0, 100 - diagnostics.reduce((n, d) => n + DEDUCTION[d.severity], 0));
}

export function verdictOf(diagnostics: readonly Diagnostic[]): Verdict {
  if (diagnostics.some((d) => d.severity === 'error')) return 'fail';
  if (diagnostics.some((d) => d.severity === 'warning')) return 'warn';
  return 'pass';
}

/** The verdict in words, per kind of target. */
export function verdictText(verdict: Verdict, kind: 'broadcast' | 'streaming'): string {
  if (kind === 'broadcast') return verdict === 'fail' ? 'Fail' : verdict === 'warn' ? 'Pass, with warnings' : 'Pass';
  return verdict === 'fail' ? 'Fix before release' : verdict === 'warn' ? 'Ready, with warnings' : 'Ready';
}

/** How the score was reached, as a sentence ("100 - 1 error x 30 - 2 warnings x 10 = 50"). */
export function scoreExplanation(diagnostics: readonly Diagnostic[]): string {
  const count = (s: Severity) => diagnostics.filter((d) => d.severity === s).length;
  const parts = (['error', 'warning'] as const)
    .filter((s) => count(s) > 0)
    .map((s) => ` - ${count(s)} ${s}${count(s) === 1 ? '' : 's'} x ${DEDUCTION[s]}`);
  return `100${parts.join('')} = ${scoreOf(diagnostics)}${parts.length > 0 && scoreOf(diagnostics) === 0 ? ' (floored at 0)' : ''}`;
}
