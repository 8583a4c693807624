/**
 * What the console sub-editors share: the reactive document, the current selection (published
 * as presence so collaborators see it) and the collaborators' selections.
 *
 * Selection ids are stable on every replica: `key:<node>`, `strip:<layout node>:<slot>`,
 * `node:<node>` (XML node ids are the same everywhere, see src/core/xml/store.ts).
 */
import type { Accessor } from 'solid-js';
import type { PeerPresence } from '../../platform/sync/presence.ts';
import type { ConsoleDoc } from './console-doc.ts';

export interface EditorContext {
  cd: ConsoleDoc;
  selection: Accessor<string | null>;
  select(id: string | null): void;
  peers: Accessor<PeerPresence[]>;
  /** The name this person edits under (recorded with their intents and versions). */
  author: Accessor<string>;
}

export const keySelection = (node: string) => `key:${node}`;
export const nodeSelection = (node: string) => `node:${node}`;
export const stripSelection = (layout: string, slot: number) => `strip:${layout}:${slot}`;

export function parseStripSelection(id: string | null): { layout: string; slot: number } | null {
  const m = id ? /^strip:(.+):(\d+)$/.exec(id) : null;
  return m ? { layout: m[1]!, slot: Number(m[2]) } : null;
}

/** Collaborators who have `id` selected. */
export function peersOn(peers: PeerPresence[], id: string): PeerPresence[] {
  return peers.filter((p) => p.selection === id);
}
