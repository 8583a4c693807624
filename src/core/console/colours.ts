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

/**
 * Strip colours (issue 15, part 4): the colour of a strip in a Mixdesk layout, as the engineer
 * sees it on an S6 (taken there from the Pro Tools track colour) and on the taped strip sheet.
 * Pro Tools' session text carries no colours, so a person sets them; a small palette of named
 * swatches like Pro Tools' track colours keeps the choice quick and the name printable (a
 * black-and-white printer prints the name). A layout file may also hold `#rrggbb`, written by
 * hand or by another tool; it is shown as that colour, named by its hex.
 */
export const STRIP_COLOURS = [
  { name: 'red', css: '#d23c3c' },
  { name: 'orange', css: '#e8812a' },
  { name: 'yellow', css: '#ecd23a' },
  { name: 'green', css: '#3fa654' },
  { name: 'teal', css: '#259488' },
  { name: 'cyan', css: '#3cc3e3' },
  { name: 'blue', css: '#3a6bd4' },
  { name: 'purple', css: '#8750d2' },
  { name: 'magenta', css: '#d24fb0' },
  { name: 'pink', css: '#f29ac0' },
  { name: 'brown', css: '#8c5a36' },
  { name: 'grey', css: '#8a8f99' },
] as const;

export type StripColourName = (typeof STRIP_COLOURS)[number]['name'];

/** A strip colour ready to draw: the value as stored, a name to print, the fill and a readable ink. */
export interface StripColour {
  /** As written to the layout: a palette name, or `#rrggbb` in lowercase. */
  value: string;
  name: string;
  css: string;
  /** Black or white, whichever reads better on `css`. */
  ink: '#000000' | '#ffffff';
}

const COLOUR_ALIASES: Record<string, StripColourName> = { gray: 'grey', violet: 'purple', amber: 'orange' };

/** WCAG relative luminance of `#rrggbb`. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** The ink with the higher contrast ratio on a fill (black text on yellow, white on blue). */
function inkOn(hex: string): StripColour['ink'] {
  const l = luminance(hex);
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? '#000000' : '#ffffff';
}

/**
 * A strip's `colour` attribute as a colour to draw, or null for none: a missing, empty or
 * unknown value (a typo, `off`, a value from some other vocabulary) means an uncoloured strip.
 */
export function stripColour(raw: string | null | undefined): StripColour | null {
  if (!raw) return null;
  const v = raw
    .trim()
    .toLowerCase()
    .replace(/[\s_-]/g, '');
  if (/^#[0-9a-f]{6}$/.test(v)) return { value: v, name: v, css: v, ink: inkOn(v) };
  const name = COLOUR_ALIASES[v] ?? v;
  const swatch = STRIP_COLOURS.find((c) => c.name === name);
  return swatch ? { value: swatch.name, name: swatch.name, css: swatch.css, ink: inkOn(swatch.css) } : null;
}
