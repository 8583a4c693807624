import { isBlank, type Line } from './lines.ts';

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

/** A section: its title line and the lines up to the next title. */
export interface RawSection {
  title: string;
  line: number;
  lines: Line[];
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
 * Splits the lines after the header into sections. A known title always starts a section;
 * an unknown spaced-out title only after a blank line, so that a marker name continued on a
 * new line cannot be mistaken for one. Lines before the first title are returned as `stray`.
 */
export function splitSections(lines: Line[]): { sections: RawSection[]; stray: Line[] } {
  const sections: RawSection[] = [];
  const stray: Line[] = [];
  // Index of the current section's title line; its lines are cut out with one slice when the
  // next title (or the end) is reached, rather than pushed one by one.
  let titleAt = -1;
  let previousBlank = true;
  for (let k = 0; k < lines.length; k++) {
    const l = lines[k];
    if (!l) continue;
    const blank = isBlank(l.text);
    const title = sectionTitle(l.text);
    const known = title !== null && isKnownSection(title);
    if (title !== null && (known || (previousBlank && title.length >= 8))) {
      const current = sections[sections.length - 1];
      if (current) current.lines = lines.slice(titleAt + 1, k);
      sections.push({ title, line: l.line, lines: [] });
      titleAt = k;
    } else if (titleAt < 0 && !blank) {
      stray.push(l);
    }
    previousBlank = blank;
  }
  const last = sections[sections.length - 1];
  if (last) last.lines = lines.slice(titleAt + 1);
  return { sections, stray };
}
