/**
 * Mixdesk's own layout XML (docs/layout-format.md): several named layouts per document, each
 * mapping surface strips 1-256 to track names (blank strips allowed), plus an S3 bank-recall
 * table (A-F, Shift+A-F -> layout name). Read and written through the XML model, so a layout
 * file keeps its formatting and anything extra a person adds to it.
 *
 * Concurrency: every strip is its own element and an assignment is one attribute, so two
 * people assigning different strips (or different layouts) never conflict; a strip added for an
 * empty slot has a stable id per (layout, slot), so filling the same slot at once makes one strip,
 * and its slot as its rank (xml InsertOptions.rank), so strips added at once stay in slot order.
 */
import type * as Y from 'yjs';
import {
  attributes,
  childElements,
  childNodes,
  getAttribute,
  insertElement,
  insertText,
  nodeName,
  removeAttribute,
  removeNode,
  rootElement,
  setAttribute,
  type NodeId,
} from '../xml/index.ts';
import { stripColour } from './colours.ts';
import { editField } from './field-merge.ts';
import { findField } from './fields.ts';
import type { Editor } from './layout-tracks.ts';

export const LAYOUT_ROOT = 'MixdeskLayouts';
export const MAX_STRIP = 256;
export const BANK_KEYS = [
  'A',
  'B',
  'C',
  'D',
  'E',
  'F',
  'Shift+A',
  'Shift+B',
  'Shift+C',
  'Shift+D',
  'Shift+E',
  'Shift+F',
] as const;
export type BankKey = (typeof BANK_KEYS)[number];

/** A layout as plain data (the shape `layoutFromSession` returns fits). */
export interface LayoutData {
  name: string;
  surface?: string;
  strips: Array<{ slot: number; track: string | null; colour?: string | null }>;
}

export interface LayoutStrip {
  id: NodeId;
  /** The slot as a number, or NaN when the attribute is missing or not a number. */
  slot: number;
  track: string | null;
  /** The strip's colour (a palette name or `#rrggbb`), or null: none, or one Mixdesk cannot show. */
  colour: string | null;
}

export interface LayoutView {
  id: NodeId;
  name: string;
  surface: string | null;
  strips: LayoutStrip[];
}

const esc = (v: string) =>
  v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');

/** The text of a new layout document. */
export function createLayoutXml(layouts: LayoutData[], recall: Partial<Record<BankKey, string>> = {}): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<${LAYOUT_ROOT} version="1">`];
  for (const l of layouts) {
    out.push(`  <Layout name="${esc(l.name)}"${l.surface ? ` surface="${esc(l.surface)}"` : ''}>`);
    for (const s of l.strips)
      out.push(
        `    <Strip${stripAttrs(s.slot, s.track, s.colour ?? null)
          .map(([k, v]) => ` ${k}="${esc(v)}"`)
          .join('')}/>`,
      );
    out.push('  </Layout>');
  }
  out.push('  <BankRecall>');
  for (const key of BANK_KEYS)
    if (recall[key] !== undefined) out.push(`    <Recall key="${key}" layout="${esc(recall[key]!)}"/>`);
  out.push('  </BankRecall>', `</${LAYOUT_ROOT}>`, '');
  return out.join('\n');
}

/** A strip element's attributes, in the order the format documents them; absent ones left out. */
function stripAttrs(slot: number, track: string | null, colour: string | null): Array<[string, string]> {
  const attrs: Array<[string, string]> = [['slot', String(slot)]];
  if (track !== null) attrs.push(['track', track]);
  if (colour !== null) attrs.push(['colour', colour]);
  return attrs;
}

export function isLayoutDocument(doc: Y.Doc): boolean {
  return nodeName(doc, rootElement(doc)) === LAYOUT_ROOT;
}

function layoutElements(doc: Y.Doc): NodeId[] {
  return childElements(doc, rootElement(doc), 'Layout');
}

export function readStrip(doc: Y.Doc, id: NodeId): LayoutStrip {
  // One pass over the attributes (a strip has two or three): each getAttribute lists them again,
  // and readLayouts reads every strip of every layout on each change.
  let raw: string | null = null;
  let track: string | null = null;
  let colour: string | null = null;
  let color: string | null = null;
  for (const a of attributes(doc, id)) {
    if (a.name === 'slot') raw ??= a.value;
    else if (a.name === 'track') track ??= a.value;
    else if (a.name === 'colour') colour ??= a.value;
    else if (a.name === 'color') color ??= a.value;
  }
  const slot = raw !== null && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  return {
    id,
    slot,
    track: track === null || track === '' ? null : track,
    // `color` too, as key colours are read (fields.ts), and preferred as writing finds it first.
    colour: stripColour(color ?? colour)?.value ?? null,
  };
}

export function readLayouts(doc: Y.Doc): LayoutView[] {
  return layoutElements(doc).map((id) => ({
    id,
    name: getAttribute(doc, id, 'name') ?? '',
    surface: getAttribute(doc, id, 'surface'),
    strips: childElements(doc, id, 'Strip').map((s) => readStrip(doc, s)),
  }));
}

/** Appends an element on its own line, indented like its future siblings. */
function appendLine(
  doc: Y.Doc,
  parent: NodeId,
  name: string,
  attrs: Array<[string, string]>,
  indent: string,
  closingIndent: string,
): NodeId {
  const kids = childNodes(doc, parent);
  if (kids.length === 0) {
    insertText(doc, parent, 0, closingIndent);
    return appendLine(doc, parent, name, attrs, indent, closingIndent);
  }
  const at = kids.length - 1;
  insertText(doc, parent, at, indent);
  return insertElement(doc, parent, at + 1, name, attrs, { tidy: false });
}

/** Assigns a track to a strip (null blanks it); adds the Strip element, in slot order, if missing. */
export function assignTrack(doc: Y.Doc, layout: NodeId, slot: number, track: string | null): void {
  if (!Number.isInteger(slot) || slot < 1 || slot > MAX_STRIP)
    throw new RangeError(`strip ${slot} is outside 1-${MAX_STRIP}`);
  doc.transact(() => {
    const strips = childElements(doc, layout, 'Strip').map((s) => readStrip(doc, s));
    const existing = strips.find((s) => s.slot === slot);
    if (existing) {
      if (track === null) removeAttribute(doc, existing.id, 'track');
      else setAttribute(doc, existing.id, 'track', track);
      return;
    }
    insertStrip(doc, layout, strips, slot, stripAttrs(slot, track, null));
  });
}

/** Adds the Strip element of an empty slot, in slot order. */
function insertStrip(
  doc: Y.Doc,
  layout: NodeId,
  strips: LayoutStrip[],
  slot: number,
  attrs: Array<[string, string]>,
): NodeId {
  const next = strips.find((s) => s.slot > slot);
  const kids = childNodes(doc, layout);
  // A stable id per (layout, slot): two people filling (or colouring) the same empty slot at
  // once make one strip. The slot as rank: strips several people add at once stay in slot order.
  return insertElement(doc, layout, next ? kids.indexOf(next.id) : kids.length, 'Strip', attrs, {
    id: `${layout}.~slot${slot}`,
    rank: String(slot).padStart(3, '0'),
    indent: '\n    ',
  });
}

/** The strip a slot shows: the first Strip element of that slot (as the editor and merge read it). */
function stripAt(doc: Y.Doc, layout: NodeId, slot: number): LayoutStrip | undefined {
  return childElements(doc, layout, 'Strip')
    .map((s) => readStrip(doc, s))
    .find((s) => s.slot === slot);
}

/**
 * Colours a strip as `ed` (null clears it); adds the Strip element, blank, if the slot has none.
 * The colour is the strip's own attribute, so two people colouring different strips both keep
 * theirs, and colouring is independent of which track is on the strip. Two people colouring the
 * same strip at once: as for a soft key's colour (field-merge.ts), the later edit wins on every
 * device and the other is kept as a conflict the editor offers to take back.
 */
export function setStripColour(doc: Y.Doc, layout: NodeId, slot: number, colour: string | null, ed: Editor): void {
  if (!Number.isInteger(slot) || slot < 1 || slot > MAX_STRIP)
    throw new RangeError(`strip ${slot} is outside 1-${MAX_STRIP}`);
  const value = colour === null ? null : stripColour(colour)?.value;
  if (value === undefined) throw new RangeError(`"${colour}" is not a strip colour`);
  doc.transact(() => {
    const strips = childElements(doc, layout, 'Strip').map((s) => readStrip(doc, s));
    const existing = strips.find((s) => s.slot === slot);
    if (existing?.colour === value || (!existing && value === null)) return;
    const id = existing?.id ?? insertStrip(doc, layout, strips, slot, stripAttrs(slot, null, value));
    // A new attribute is spelled as the layout format documents it (editField would write `color`).
    if (value !== null && findField(doc, id, 'colour') === null) setAttribute(doc, id, 'colour', value);
    editField(doc, id, 'colour', value ?? '', ed);
    const source = findField(doc, id, 'colour');
    if (value === null && source?.kind === 'attribute') removeAttribute(doc, id, source.name);
  });
}

/**
 * Makes colours follow their tracks when tracks change strips: `moves` maps a strip to the
 * strip its track went to (a swap is two moves). Called in the same edit as the move, so both
 * undo together. Colours are read first, so a swap exchanges them.
 */
export function carryStripColours(
  doc: Y.Doc,
  layout: NodeId,
  moves: ReadonlyArray<[from: number, to: number]>,
  ed: Editor,
): void {
  doc.transact(() => {
    const colourOf = new Map(moves.map(([from]) => [from, stripAt(doc, layout, from)?.colour ?? null]));
    for (const [from] of moves) if (!moves.some(([, to]) => to === from)) setStripColour(doc, layout, from, null, ed);
    for (const [from, to] of moves) setStripColour(doc, layout, to, colourOf.get(from) ?? null, ed);
  });
}

/** Adds a layout (before the bank-recall table); returns its element id. */
export function addLayout(doc: Y.Doc, data: LayoutData): NodeId {
  const root = rootElement(doc);
  let id = '';
  doc.transact(() => {
    const recall = childElements(doc, root, 'BankRecall')[0];
    const kids = childNodes(doc, root);
    const attrs: Array<[string, string]> = data.surface
      ? [
          ['name', data.name],
          ['surface', data.surface],
        ]
      : [['name', data.name]];
    id = insertElement(doc, root, recall ? kids.indexOf(recall) : kids.length, 'Layout', attrs);
    for (const s of data.strips) {
      appendLine(doc, id, 'Strip', stripAttrs(s.slot, s.track, s.colour ?? null), '\n    ', '\n  ');
    }
  });
  return id;
}

/** Renames a layout and every bank-recall entry that pointed at it. */
export function renameLayout(doc: Y.Doc, layout: NodeId, name: string): void {
  const old = getAttribute(doc, layout, 'name');
  doc.transact(() => {
    setAttribute(doc, layout, 'name', name);
    for (const r of recallElements(doc))
      if (getAttribute(doc, r, 'layout') === old) setAttribute(doc, r, 'layout', name);
  });
}

export function removeLayout(doc: Y.Doc, layout: NodeId): void {
  removeNode(doc, layout);
}

function recallTable(doc: Y.Doc): NodeId | null {
  return childElements(doc, rootElement(doc), 'BankRecall')[0] ?? null;
}

function recallElements(doc: Y.Doc): NodeId[] {
  const table = recallTable(doc);
  return table ? childElements(doc, table, 'Recall') : [];
}

/** Bank key -> layout name (keys without an entry are absent). */
export function readBankRecall(doc: Y.Doc): Partial<Record<BankKey, string>> {
  const out: Partial<Record<BankKey, string>> = {};
  for (const r of recallElements(doc)) {
    const key = getAttribute(doc, r, 'key');
    const layout = getAttribute(doc, r, 'layout');
    if (key && layout !== null && (BANK_KEYS as readonly string[]).includes(key)) out[key as BankKey] = layout;
  }
  return out;
}

/** Points a bank key at a layout (null clears it). */
export function setBankRecall(doc: Y.Doc, key: BankKey, layoutName: string | null): void {
  doc.transact(() => {
    let table = recallTable(doc);
    const existing = recallElements(doc).find((r) => getAttribute(doc, r, 'key') === key);
    if (existing) {
      if (layoutName === null) removeNode(doc, existing);
      else setAttribute(doc, existing, 'layout', layoutName);
      return;
    }
    if (layoutName === null) return;
    if (!table) {
      const root = rootElement(doc);
      table = appendLine(doc, root, 'BankRecall', [], '\n  ', '\n');
    }
    const order = BANK_KEYS.indexOf(key);
    const after = recallElements(doc).find((r) => BANK_KEYS.indexOf(getAttribute(doc, r, 'key') as BankKey) > order);
    if (after)
      insertElement(doc, table, childNodes(doc, table).indexOf(after), 'Recall', [
        ['key', key],
        ['layout', layoutName],
      ]);
    else if (recallElements(doc).length)
      insertElement(doc, table, childNodes(doc, table).length, 'Recall', [
        ['key', key],
        ['layout', layoutName],
      ]);
    else
      appendLine(
        doc,
        table,
        'Recall',
        [
          ['key', key],
          ['layout', layoutName],
        ],
        '\n    ',
        '\n  ',
      );
  });
}
