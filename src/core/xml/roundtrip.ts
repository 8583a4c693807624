/**
 * The whole path a file takes through Mixdesk, in one call: import into a fresh Y.Doc, encode
 * the doc as a Yjs update, load that update into a second Y.Doc (as another device would), and
 * export from there. Used by the CLI and the golden tests.
 */
import * as Y from 'yjs';
import { exportXml, importXml } from './import-export.ts';

export function roundtripXml(bytes: Uint8Array, fileName: string): Uint8Array {
  const first = new Y.Doc();
  importXml(first, bytes, fileName);
  const second = new Y.Doc();
  Y.applyUpdate(second, Y.encodeStateAsUpdate(first));
  return exportXml(second);
}
