/**
 * Reading an App Set one section at a time for the soft keys editor. readAppSet (core) reads
 * every key of every section, which on a few-hundred-KB User Set costs 100-250 ms per edit;
 * the editor shows one section, so it lists sections cheaply and reads keys of the shown one.
 * Same rules as core/console/app-set.ts: names compared case-insensitively, every child
 * element of a Bank is a key.
 */
import type * as Y from 'yjs';
import { readKey, type AppSetBank } from '../../core/console/index.ts';
import { attributes, childElements, nodeName, rootElement, type NodeId } from '../../core/xml/index.ts';

export interface SectionHead {
  id: NodeId;
  sectionId: string | null;
}

const named = (doc: Y.Doc, id: NodeId, name: string) => nodeName(doc, id)!.toLowerCase() === name;
const attr = (doc: Y.Doc, id: NodeId, name: string) =>
  attributes(doc, id).find((a) => a.name.toLowerCase() === name)?.value ?? null;

export function listSections(doc: Y.Doc): SectionHead[] {
  return childElements(doc, rootElement(doc))
    .filter((c) => named(doc, c, 'section'))
    .map((id) => ({ id, sectionId: attr(doc, id, 'id') }));
}

export function readSectionBanks(doc: Y.Doc, section: NodeId): AppSetBank[] {
  return childElements(doc, section)
    .filter((b) => named(doc, b, 'bank'))
    .map((id) => {
      const raw = attr(doc, id, 'size');
      const size = Number(raw);
      return {
        id,
        bankId: attr(doc, id, 'id'),
        size: raw !== null && Number.isFinite(size) ? size : null,
        keys: childElements(doc, id).map((k) => readKey(doc, k)),
      };
    });
}
