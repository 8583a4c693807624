/**
 * Strip sheets (issue 15, part 4): the paper engineers tape above the faders. Pure: a layout in,
 * the sheet's rows out; the page (features/console/StripSheet.tsx) only draws and prints it.
 *
 * Scribble strips show a few characters, so every name gets an abbreviation that fits a width
 * the engineer sets, made the way engineers abbreviate by hand (and Pro Tools does for its
 * 4-, 6- and 8-character displays): words run together with capitals, then lowercase vowels
 * go from the end, then other lowercase letters, while the first letter of each word and a
 * trailing number ("Tom 12") stay to the last, since those tell strips apart.
 */
import { stripColour, type StripColour } from './colours.ts';
import type { BankKey, LayoutView } from './layout.ts';

export const SCRIBBLE_MIN_CHARS = 4;
export const SCRIBBLE_MAX_CHARS = 16;
/** Avid surfaces come in 8-fader modules; a sheet row is one module. */
export const SHEET_STRIPS_PER_ROW = 8;

export interface StripSheetCell {
  slot: number;
  /** The full track name (null: a blank strip). */
  name: string | null;
  /** The name as it fits the scribble width. */
  scribble: string;
  /** The strip's colour (drawn as a band, its name printed for black-and-white printers), or null. */
  colour: StripColour | null;
}

export interface StripSheet {
  layout: string;
  /** Bank keys that recall this layout (A, Shift+B, …). */
  bankKeys: BankKey[];
  rows: StripSheetCell[][];
}

const VOWEL = /[aeiouäöüåæøœáàâéèêëíìîïóòôúùûÿ]/;

/** `name` abbreviated to at most `width` characters (see the module comment). */
export function abbreviateTrackName(name: string, width: number): string {
  const w = Math.max(1, Math.floor(width));
  const trimmed = name.trim().replace(/\s+/g, ' ');
  if ([...trimmed].length <= w) return trimmed;
  const number = /\s*(\d+)$/.exec(trimmed);
  const digits = number ? number[1]! : '';
  const stem = number ? trimmed.slice(0, number.index) : trimmed;
  const room = w - digits.length;
  if (room <= 0) return digits.slice(-w);
  // Words run together, each starting with a capital (a word's first letter is kept longest).
  const chars: { c: string; first: boolean }[] = [];
  for (const word of stem.split(/[^\p{L}\p{N}]+/u).filter(Boolean)) {
    [...word].forEach((c, i) => chars.push({ c: i === 0 ? c.toUpperCase() : c, first: i === 0 }));
  }
  const dropFromEnd = (test: (x: { c: string; first: boolean }) => boolean) => {
    for (let i = chars.length - 1; i >= 0 && chars.length > room; i--) if (test(chars[i]!)) chars.splice(i, 1);
  };
  dropFromEnd((x) => !x.first && VOWEL.test(x.c));
  dropFromEnd((x) => !x.first && x.c !== x.c.toUpperCase());
  dropFromEnd((x) => !x.first);
  return (
    chars
      .slice(0, room)
      .map((x) => x.c)
      .join('') + digits
  );
}

/** The sheet of one layout: its strips in slot order, in rows of one 8-fader module. */
export function stripSheet(
  layout: LayoutView,
  recall: Partial<Record<BankKey, string>>,
  scribbleChars: number,
): StripSheet {
  const width = Math.min(SCRIBBLE_MAX_CHARS, Math.max(SCRIBBLE_MIN_CHARS, Math.floor(scribbleChars)));
  const strips = layout.strips
    .filter((s) => Number.isFinite(s.slot))
    .sort((a, b) => a.slot - b.slot)
    .map((s) => ({
      slot: s.slot,
      name: s.track,
      scribble: s.track ? abbreviateTrackName(s.track, width) : '',
      colour: stripColour(s.colour),
    }));
  const rows: StripSheetCell[][] = [];
  for (let i = 0; i < strips.length; i += SHEET_STRIPS_PER_ROW) rows.push(strips.slice(i, i + SHEET_STRIPS_PER_ROW));
  const bankKeys = (Object.entries(recall) as [BankKey, string][])
    .filter(([, name]) => name === layout.name)
    .map(([key]) => key);
  return { layout: layout.name, bankKeys, rows };
}
