/** A CSS colour for a key's colour value (names, palette indexes and hex as colours.ts accepts). */
const PALETTE = [
  '#444a55',
  '#e04646',
  '#e08a2e',
  '#e0c84a',
  '#5ac85a',
  '#3cc8c8',
  '#4a7ae0',
  '#a05ae0',
  '#e05aa8',
  '#f0f0f0',
];

export function swatchColour(value: string | null): string {
  if (!value) return 'transparent';
  const v = value
    .trim()
    .toLowerCase()
    .replace(/[\s_-]/g, '');
  if (/^#([0-9a-f]{3}|[0-9a-f]{6})$/.test(v)) return v;
  if (/^0x[0-9a-f]{6}$/.test(v)) return '#' + v.slice(2);
  if (/^0x[0-9a-f]{8}$/.test(v)) return '#' + v.slice(4);
  if (/^\d{1,3}$/.test(v)) return PALETTE[Number(v) % PALETTE.length]!;
  if (v === 'off' || v === 'none' || v === 'default') return 'transparent';
  return CSS.supports('color', v) ? v : 'transparent';
}
