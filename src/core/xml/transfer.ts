/**
 * The XML API as plain bytes in, bytes out, for a worker boundary (a Y.Doc cannot cross it):
 * import returns a Yjs update to apply to the caller's doc, export takes the doc's encoded
 * state. Failures come back as values, not exceptions, so that line and column survive
 * structured cloning. The worker entry and the main-thread fallback both call these.
 */
import * as Y from 'yjs';
import { XmlError } from './errors.ts';
import { exportXml, importXml, type ImportResult } from './import-export.ts';
import { editsOf, xmlRoot } from './store.ts';
import { parseEditedXml } from './text-apply.ts';

export interface XmlFailure {
  ok: false;
  message: string;
  reason: string;
  line?: number;
  column?: number;
  fileName?: string;
}

export type ImportOutcome = { ok: true; update: Uint8Array; result: ImportResult } | XmlFailure;
export type ExportOutcome = { ok: true; bytes: Uint8Array } | XmlFailure;
export type CheckOutcome = { ok: true } | XmlFailure;

/** What the XML worker exposes through comlink. */
export interface XmlWorkerApi {
  importFile(bytes: Uint8Array, fileName: string, currentState?: Uint8Array): ImportOutcome | Promise<ImportOutcome>;
  exportFile(state: Uint8Array): ExportOutcome | Promise<ExportOutcome>;
  checkText(text: string): CheckOutcome | Promise<CheckOutcome>;
}

function failure(e: unknown): XmlFailure {
  if (e instanceof XmlError) {
    return {
      ok: false,
      message: e.message,
      reason: e.reason,
      ...(e.line !== undefined ? { line: e.line, column: e.column ?? 1 } : {}),
      ...(e.fileName ? { fileName: e.fileName } : {}),
    };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { ok: false, message, reason: message };
}

/** Turns a failure value back into the XmlError it was. */
export function failureToError(f: XmlFailure): XmlError {
  return new XmlError(f.reason, f.line, f.column, f.fileName);
}

/**
 * Imports into a scratch doc loaded with `currentState` (the target doc's state, when it already
 * holds something) and returns only what changed, so applying it to the target replaces an
 * earlier model instead of racing it.
 */
export function importToUpdate(bytes: Uint8Array, fileName: string, currentState?: Uint8Array): ImportOutcome {
  try {
    const doc = new Y.Doc();
    if (currentState) Y.applyUpdate(doc, currentState);
    const before = Y.encodeStateVector(doc);
    const result = importXml(doc, bytes, fileName);
    return { ok: true, update: Y.encodeStateAsUpdate(doc, before), result };
  } catch (e) {
    return failure(e);
  }
}

/** Exports from an encoded doc state. An unedited doc returns its stored bytes without parsing. */
export function exportFromState(state: Uint8Array): ExportOutcome {
  try {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    const source = xmlRoot(doc).get('source');
    if (source instanceof Uint8Array && editsOf(doc)?.size === 0) return { ok: true, bytes: source.slice() };
    return { ok: true, bytes: exportXml(doc) };
  } catch (e) {
    return failure(e);
  }
}

/**
 * Checks edited raw XML text before it is applied (text-apply.ts parseEditedXml: size, nesting,
 * well-formedness, entities), so hostile text is parsed off the main thread first.
 */
export function checkEditedText(text: string): CheckOutcome {
  try {
    parseEditedXml(text);
    return { ok: true };
  } catch (e) {
    return failure(e);
  }
}
