/**
 * A layout document as CSV, for what helps at the console: a spreadsheet or a printout of
 * which track is on which strip. One row per strip of every layout, in the document's layout
 * order and strip order: `Layout,Bank keys,Strip,Track,Colour` (blank strips with an empty Track, uncoloured ones
 * with an empty Colour; the colour as the layout stores it: a palette name or `#rrggbb`).
 *
 * RFC 4180: CRLF rows, fields with a comma, quote or line break quoted, quotes doubled. A UTF-8
 * byte order mark first, so that spreadsheet programs read accented track names right. A cell
 * that starts with `=`, `+`, `-` or `@` gets a leading apostrophe, so that a spreadsheet shows a
 * track name such as "=Drums" as text instead of running it as a formula.
 */
import type { BankKey, LayoutView } from './layout.ts';

const FORMULA_START = /^[=+\-@]/;

function cell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The CSV text (BOM included) of the layouts and the bank keys that recall them. */
export function layoutsCsv(layouts: readonly LayoutView[], recall: Partial<Record<BankKey, string>>): string {
  const rows = [['Layout', 'Bank keys', 'Strip', 'Track', 'Colour']];
  for (const layout of layouts) {
    const keys = Object.entries(recall)
      .filter(([, name]) => name === layout.name)
      .map(([key]) => key)
      .join(' ');
    const strips = layout.strips
      .filter((s) => Number.isInteger(s.slot))
      .slice()
      .sort((a, b) => a.slot - b.slot);
    for (const s of strips) rows.push([layout.name, keys, String(s.slot), s.track ?? '', s.colour ?? '']);
  }
  return '\uFEFF' + rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
