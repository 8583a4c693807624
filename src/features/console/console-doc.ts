/**
 * The reactive side of one console-config Y.Doc for the editors: a tick that changes whenever
 * the XML model (or the saved versions) change, locally or from a collaborator, and the local
 * edit path. Every edit made through `edit` runs in one transaction with this editor's own
 * origin, so the Y.UndoManager undoes only this person's changes (never a collaborator's, never
 * an import). Owner-bound: call inside a Solid component.
 */
import * as Y from 'yjs';
import { createSignal, onCleanup, type Accessor } from 'solid-js';
import {
  fieldMap,
  isAppSet,
  isLayoutDocument,
  mergeMap,
  watchFieldMerge,
  watchLayoutMerge,
} from '../../core/console/index.ts';
import { XML_ROOT } from '../../core/xml/index.ts';
import { versionsOf } from './versions.ts';

export type ConsoleKind = 'empty' | 'app-set' | 'layout' | 'xml';

export interface ConsoleDoc {
  doc: Y.Doc;
  /** Read it in a memo or effect to re-run when the document changes. */
  tick: Accessor<number>;
  kind: Accessor<ConsoleKind>;
  /** True while the document is shared read-only with this person: `edit`, `undo` and `redo` refuse. */
  readOnly: Accessor<boolean>;
  /** Runs `fn` as one undoable local edit; errors are handed to `onError`. Returns whether it succeeded. */
  edit(fn: () => void): boolean;
  undo(): void;
  redo(): void;
  canUndo: Accessor<boolean>;
  canRedo: Accessor<boolean>;
  /** The transaction origin of this person's edits. */
  origin: object;
}

/** Whether a doc holds an imported XML file yet (a fresh "New document" does not). */
export function hasXmlModel(doc: Y.Doc): boolean {
  const root = doc.getMap(XML_ROOT);
  return root.get('source') instanceof Uint8Array && root.get('edits') instanceof Y.Map;
}

export function detectKind(doc: Y.Doc): ConsoleKind {
  if (!hasXmlModel(doc)) return 'empty';
  try {
    if (isAppSet(doc)) return 'app-set';
    if (isLayoutDocument(doc)) return 'layout';
  } catch {
    /* an unreadable model shows as generic XML, where the raw view says more */
  }
  return 'xml';
}

/**
 * `author` names who edits on this device (for the merge history of a raw XML edit of a layout);
 * `readOnly` refuses edits, undo and redo (a document shared read-only).
 */
export function createConsoleDoc(
  doc: Y.Doc,
  onError: (error: unknown) => void,
  author: () => string = () => '',
  readOnly: Accessor<boolean> = () => false,
): ConsoleDoc {
  const origin = { editor: 'console' };
  const [tick, setTick] = createSignal(0);
  const bump = () => setTick((t) => t + 1);
  const root = doc.getMap(XML_ROOT);
  const versions = versionsOf(doc);
  const merge = mergeMap(doc);
  const fields = fieldMap(doc);
  root.observeDeep(bump);
  versions.observe(bump);
  merge.observe(bump);
  fields.observe(bump);
  // A collaborator's layout and field edits are merged into the XML as they arrive (docs/merge.md).
  const unwatchLayouts = watchLayoutMerge(doc, () => ({ who: author(), now: Date.now() }));
  const unwatchFields = watchFieldMerge(doc);
  // The merge registers are undone with the XML they were written with.
  const undoManager = new Y.UndoManager([root, merge, fields], {
    trackedOrigins: new Set([origin]),
    captureTimeout: 0,
  });
  const [canUndo, setCanUndo] = createSignal(false);
  const [canRedo, setCanRedo] = createSignal(false);
  const stacks = () => {
    setCanUndo(undoManager.undoStack.length > 0);
    setCanRedo(undoManager.redoStack.length > 0);
  };
  undoManager.on('stack-item-added', stacks);
  undoManager.on('stack-item-popped', stacks);
  undoManager.on('stack-cleared', stacks);
  onCleanup(() => {
    root.unobserveDeep(bump);
    versions.unobserve(bump);
    merge.unobserve(bump);
    fields.unobserve(bump);
    unwatchLayouts();
    unwatchFields();
    undoManager.destroy();
  });
  const [kind, setKind] = createSignal<ConsoleKind>(detectKind(doc));
  const rekind = () => setKind(detectKind(doc));
  root.observe(rekind);
  onCleanup(() => root.unobserve(rekind));
  return {
    doc,
    tick,
    kind,
    origin,
    canUndo,
    canRedo,
    readOnly,
    edit(fn) {
      // A read-only document is never changed here: the relay would drop the update, and the
      // editor would show an edit nobody else ever sees.
      if (readOnly()) return false;
      try {
        doc.transact(fn, origin);
        return true;
      } catch (error) {
        onError(error);
        return false;
      }
    },
    undo() {
      if (!readOnly()) undoManager.undo();
    },
    redo() {
      if (!readOnly()) undoManager.redo();
    },
  };
}
