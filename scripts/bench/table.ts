/**
 * What the benchmarks print: a Markdown table (first column left-aligned, figures right-aligned,
 * ready to paste into a note) and the machine's load average, which says how far to trust a
 * latency tail measured on a shared machine.
 */
import { loadavg } from 'node:os';

/** `rows[0]` is the header row. */
export function markdownTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const line = (row: string[]) =>
    `| ${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(' | ')} |`;
  return `${line(rows[0]!)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n${rows.slice(1).map(line).join('\n')}`;
}

/** The 1, 5 and 15 minute load averages, e.g. "1.70 2.01 2.30". */
export function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}
