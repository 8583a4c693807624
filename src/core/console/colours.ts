/**
 * Colour values a key may carry. The real EuCon palette is not public, so this accepts the
 * colour names seen on Avid surfaces and in common use, numeric palette indexes, and hex RGB
 * (`#RRGGBB`, `0xRRGGBB`); anything else is reported by validation as unknown (never blocked).
 */
export const KNOWN_COLOUR_NAMES = [
  'off',
  'none',
  'default',
  'black',
  'white',
  'grey',
  'gray',
  'red',
  'green',
  'blue',
  'yellow',
  'orange',
  'amber',
  'purple',
  'violet',
  'magenta',
  'pink',
  'cyan',
  'teal',
  'lime',
  'brown',
  'lightblue',
  'darkblue',
  'lightgreen',
  'darkgreen',
  'lightred',
  'darkred',
];

export function isKnownColour(value: string): boolean {
  const v = value
    .trim()
    .toLowerCase()
    .replace(/[\s_-]/g, '');
  if (KNOWN_COLOUR_NAMES.includes(v)) return true;
  if (/^\d{1,3}$/.test(v)) return true;
  return /^(#|0x)([0-9a-f]{6}|[0-9a-f]{8}|[0-9a-f]{3})$/.test(v);
}
