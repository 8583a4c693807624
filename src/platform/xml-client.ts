/**
 * Main-thread side of the XML worker: `importFile` parses in the worker and applies the
 * returned Yjs update to the document's Y.Doc; `exportFile` sends the doc's state and gets the
 * file bytes back. When a Worker cannot start (or dies), the same core code runs on the main
 * thread instead, so callers never see the difference. Buffers are transferred, not copied.
 * No DOM globals here (the worker comes from the caller), so Node tests run it.
 *
 * After an import the main thread parses the stored source once, on first read of the tree
 * (node ids are indexes into that parse); for console files of tens to hundreds of KB this is
 * a few milliseconds.
 */
import { transfer } from 'comlink';
import * as Y from 'yjs';
import type { ImportResult } from '../core/xml/import-export.ts';
import {
  checkEditedText,
  exportFromState,
  failureToError,
  importToUpdate,
  type XmlWorkerApi,
} from '../core/xml/transfer.ts';
import { XML_ROOT } from '../core/xml/store.ts';
import { isWorkerGone, makeWorkerSlot, type WorkerLike } from './workers/make-worker-slot.ts';

export interface XmlClient {
  /** Imports a file into `doc`; throws XmlError (file, line, column) and leaves `doc` unchanged on bad input. */
  importFile(doc: Y.Doc, bytes: Uint8Array, fileName: string): Promise<ImportResult>;
  /** The file bytes of the XML model held by `doc`. */
  exportFile(doc: Y.Doc): Promise<Uint8Array>;
  /** Checks edited raw XML text (size, nesting, well-formedness) in the worker; throws XmlError with line and column. */
  checkText(text: string): Promise<void>;
  /** True while calls go to a worker (false after falling back to the main thread). */
  readonly usesWorker: boolean;
  dispose(): void;
}

/** The Yjs origin of the update applied by an import (so undo managers can skip or track it). */
export const XML_IMPORT_ORIGIN = 'xml-import';

/**
 * `startWorker` makes the XML worker (see xml-worker.ts; null or a throw means no worker). Calls
 * run on the main thread from the first worker failure on (make-worker-slot.ts says what
 * counts as one); an XML error in the file is the import's failure, not the worker's.
 */
export function makeXmlClient(startWorker: () => WorkerLike | null): XmlClient {
  const slot = makeWorkerSlot<XmlWorkerApi>(startWorker, 'the XML worker');

  /** Runs a call in the worker; when the worker is gone, runs the same core code here, for good. */
  async function call<T>(viaWorker: (api: XmlWorkerApi) => T | Promise<T>, local: () => T): Promise<T> {
    if (slot.alive) {
      try {
        return await slot.run(viaWorker);
      } catch (error) {
        if (!isWorkerGone(error)) throw error;
        slot.stop();
      }
    }
    return local();
  }

  return {
    get usesWorker() {
      return slot.alive;
    },
    async importFile(doc, bytes, fileName) {
      const hasModel = doc.getMap(XML_ROOT).size > 0;
      const state = hasModel ? Y.encodeStateAsUpdate(doc) : undefined;
      const copy = bytes.slice();
      const out = await call(
        (api) => api.importFile(transfer(copy, [copy.buffer]), fileName, state),
        () => importToUpdate(bytes, fileName, state),
      );
      if (!out.ok) throw failureToError(out);
      Y.applyUpdate(doc, out.update, XML_IMPORT_ORIGIN);
      return out.result;
    },
    async exportFile(doc) {
      const state = Y.encodeStateAsUpdate(doc);
      const out = await call(
        (api) => api.exportFile(transfer(state, [state.buffer])),
        () => exportFromState(Y.encodeStateAsUpdate(doc)),
      );
      if (!out.ok) throw failureToError(out);
      return out.bytes;
    },
    async checkText(text) {
      const out = await call(
        (api) => api.checkText(text),
        () => checkEditedText(text),
      );
      if (!out.ok) throw failureToError(out);
    },
    dispose() {
      slot.stop();
    },
  };
}
