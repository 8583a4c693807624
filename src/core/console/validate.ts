/**
 * Validation rules over any imported document. They warn and never block export. Each warning
 * points at an element: its id (for the editors to select it), a readable path, and the line
 * and column in the imported file when the element came from the file.
 *
 * Rules: duplicate UIDs (any attribute named UID, case-insensitive); in layouts, duplicate strip
 * numbers within a layout and strip numbers outside 1-256; for App Set keys (children of a
 * Bank), labels present but empty and colour values that are not known (colours.ts).
 */
import type * as Y from 'yjs';
import { attributes, childElements, nodeLocation, nodeName, nodePath, rootElement, type NodeId } from '../xml/index.ts';
import { isKnownColour } from './colours.ts';
import { findField, readField } from './fields.ts';
import { MAX_STRIP, readStrip } from './layout.ts';

export type WarningRule = 'duplicate-uid' | 'duplicate-strip' | 'strip-out-of-range' | 'empty-label' | 'unknown-colour';

export interface ValidationWarning {
  rule: WarningRule;
  message: string;
  node: NodeId;
  path: string;
  line?: number;
  column?: number;
}

export function validateDocument(doc: Y.Doc): ValidationWarning[] {
  const warnings: ValidationWarning[] = [];
  const warn = (rule: WarningRule, node: NodeId, message: string) => {
    const loc = nodeLocation(doc, node);
    const path = nodePath(doc, node);
    const where = loc ? ` (line ${loc.line}, column ${loc.column})` : '';
    warnings.push({
      rule,
      node,
      path,
      message: `${path}${where}: ${message}`,
      ...(loc ? { line: loc.line, column: loc.column } : {}),
    });
  };
  const uids = new Map<string, NodeId>();
  const walk = (id: NodeId, parentName: string) => {
    const name = nodeName(doc, id)!.toLowerCase();
    const uid = attributes(doc, id).find((a) => a.name.toLowerCase() === 'uid');
    if (uid && uid.value.trim() !== '') {
      const first = uids.get(uid.value.trim().toUpperCase());
      if (first) warn('duplicate-uid', id, `duplicate UID ${uid.value} (also on ${nodePath(doc, first)})`);
      else uids.set(uid.value.trim().toUpperCase(), id);
    }
    if (name === 'layout') checkLayout(doc, id, warn);
    if (parentName === 'bank') checkKey(doc, id, warn);
    for (const c of childElements(doc, id)) walk(c, name);
  };
  walk(rootElement(doc), '');
  return warnings;
}

type Warn = (rule: WarningRule, node: NodeId, message: string) => void;

function checkLayout(doc: Y.Doc, layout: NodeId, warn: Warn): void {
  const seen = new Map<number, NodeId>();
  for (const s of childElements(doc, layout, 'Strip')) {
    const strip = readStrip(doc, s);
    if (!Number.isInteger(strip.slot) || strip.slot < 1 || strip.slot > MAX_STRIP) {
      const raw = attributes(doc, s).find((a) => a.name === 'slot')?.value;
      warn(
        'strip-out-of-range',
        s,
        `strip number ${raw === undefined ? '(missing)' : `'${raw}'`} is outside 1-${MAX_STRIP}`,
      );
      continue;
    }
    const first = seen.get(strip.slot);
    if (first !== undefined)
      warn('duplicate-strip', s, `strip ${strip.slot} appears twice in this layout (first at ${nodePath(doc, first)})`);
    else seen.set(strip.slot, s);
  }
}

function checkKey(doc: Y.Doc, key: NodeId, warn: Warn): void {
  if (findField(doc, key, 'label') && (readField(doc, key, 'label') ?? '').trim() === '')
    warn('empty-label', key, 'key has an empty label');
  const colour = readField(doc, key, 'colour');
  if (colour !== null && !isKnownColour(colour)) warn('unknown-colour', key, `unknown colour value '${colour}'`);
}
