/**
 * XML worker entry: parsing and serialising off the main thread. A thin shell over
 * src/core/xml/transfer.ts; results' buffers are transferred, not copied.
 */
import { expose, transfer } from 'comlink';
import { checkEditedText, exportFromState, importToUpdate, type XmlWorkerApi } from '../src/core/xml/transfer.ts';

const api: XmlWorkerApi = {
  importFile(bytes, fileName, currentState) {
    const out = importToUpdate(bytes, fileName, currentState);
    return out.ok ? transfer(out, [out.update.buffer]) : out;
  },
  exportFile(state) {
    const out = exportFromState(state);
    return out.ok ? transfer(out, [out.bytes.buffer]) : out;
  },
  checkText: checkEditedText,
};

expose(api);
