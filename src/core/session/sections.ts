import type { Line, TextLines } from './lines.ts';

/** The sections Pro Tools writes, by their title with the letter spacing removed. */
export const KNOWN_SECTIONS = [
  'FILES IN SESSION',
  'ONLINE FILES IN SESSION',
  'OFFLINE FILES IN SESSION',
  'CLIPS IN SESSION',
  'ONLINE CLIPS IN SESSION',
  'OFFLINE CLIPS IN SESSION',
  'REGIONS IN SESSION',
  'ONLINE REGIONS IN SESSION',
  'OFFLINE REGIONS IN SESSION',
  'PLUG-INS LISTING',
  'TRACK LISTING',
  'MARKERS LISTING',
] as const;

export type KnownSection = (typeof KNOWN_SECTIONS)[number];

export const isKnownSection = (title: string): title is KnownSection =>
  (KNOWN_SECTIONS as readonly string[]).includes(title);

/** A section: its title line and the lines up to the next title, `from` to `to` (exclusive). */
export interface RawSection {
  title: string;
  line: number;
  from: number;
  to: number;
}

/**
 * Reads a spaced-out title (`T R A C K  L I S T I N G`): letters separated by one space,
 * words by two. Returns the plain title ("TRACK LISTING") or null.
 */
export function sectionTitle(text: string): string | null {
  // Every title has a space as its second character; almost no other line does.
  if (text.charCodeAt(1) !== 32) return null;
  if (!/^[A-Z0-9&'-](  ?[A-Z0-9&'-])+$/.test(text)) return null;
  return text
    .split('  ')
    .map((word) => word.replace(/ /g, ''))
    .join(' ');
}

/**
 * A cheap test on the first characters of line `k`, so that only a line that may be a title
 * is cut out and matched: every title has a space as its second character (almost no other
 * line does) and no two spaces after it (an event row's padded CHANNEL cell has many).
 */
const mayBeTitle = (lines: TextLines, k: number): boolean =>
  lines.charAt(k, 1) === 32 && !(lines.charAt(k, 2) === 32 && lines.charAt(k, 3) === 32);

/**
 * Splits lines `from` to `to` (those after the header) into sections. A known title always
 * starts a section; an unknown spaced-out title only after a blank line, so that a marker name
 * continued on a new line cannot be mistaken for one. Lines before the first title are
 * returned as `stray`.
 */
export function splitSections(lines: TextLines, from: number, to: number): { sections: RawSection[]; stray: Line[] } {
  const sections: RawSection[] = [];
  const stray: Line[] = [];
  let previousBlank = true;
  for (let k = from; k < to; k++) {
    const blank = lines.isBlank(k);
    const title = mayBeTitle(lines, k) ? sectionTitle(lines.textOf(k)) : null;
    const known = title !== null && isKnownSection(title);
    if (title !== null && (known || (previousBlank && title.length >= 8))) {
      const current = sections[sections.length - 1];
      if (current) current.to = k;
      sections.push({ title, line: k + 1, from: k + 1, to });
    } else if (sections.length === 0 && !blank) {
      stray.push(lines.line(k));
    }
    previousBlank = blank;
  }
  return { sections, stray };
}
