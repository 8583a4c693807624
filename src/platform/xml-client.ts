/**
 * Main-thread side of the XML worker: `importFile` parses in the worker and applies the
 * returned Yjs update to the document's Y.Doc; `exportFile` sends the doc's state and gets the
 * file bytes back. When a Worker cannot start (or dies), the same core code runs on the main
 * thread instead, so callers never see the difference. Buffers are transferred, not copied.
 *
 * After an import the main thread parses the stored source once, on first read of the tree
 * (node ids are indexes into that parse); for console files of tens to hundreds of KB this is
 * a few milliseconds.
 */
import { transfer, wrap, type Remote } from 'comlink';
import * as Y from 'yjs';
import type { ImportResult } from '../core/xml/import-export.ts';
import { exportFromState, failureToError, importToUpdate, type XmlWorkerApi } from '../core/xml/transfer.ts';
import { XML_ROOT } from '../core/xml/store.ts';

export interface XmlClient {
  /** Imports a file into `doc`; throws XmlError (file, line, column) and leaves `doc` unchanged on bad input. */
  importFile(doc: Y.Doc, bytes: Uint8Array, fileName: string): Promise<ImportResult>;
  /** The file bytes of the XML model held by `doc`. */
  exportFile(doc: Y.Doc): Promise<Uint8Array>;
  /** True while calls go to a worker (false after falling back to the main thread). */
  readonly usesWorker: boolean;
  dispose(): void;
}

/** The Yjs origin of the update applied by an import (so undo managers can skip or track it). */
export const XML_IMPORT_ORIGIN = 'xml-import';

export function createXmlClient(): XmlClient {
  let worker: Worker | null = null;
  let remote: Remote<XmlWorkerApi> | null = null;
  let died: Promise<never> = new Promise<never>(() => {});
  try {
    worker = new Worker(new URL('../../workers/xml.worker.ts', import.meta.url), { type: 'module' });
    remote = wrap<XmlWorkerApi>(worker);
    const w = worker;
    died = new Promise<never>((_, reject) => w.addEventListener('error', (e) => reject(new Error(e.message || 'XML worker failed to start'))));
    died.catch(() => {});
  } catch {
    worker = null;
  }

  /** Runs a call in the worker; on a worker failure, switches to the main thread for good. */
  async function call<T>(viaWorker: (api: Remote<XmlWorkerApi>) => Promise<T>, local: () => T): Promise<T> {
    if (remote) {
      try {
        return await Promise.race([viaWorker(remote), died]);
      } catch (e) {
        if (!(e instanceof Error) || !/worker/i.test(e.message)) throw e;
        worker?.terminate();
        worker = null;
        remote = null;
      }
    }
    return local();
  }

  return {
    get usesWorker() { return remote !== null; },
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
    dispose() {
      worker?.terminate();
      worker = null;
      remote = null;
    },
  };
}
