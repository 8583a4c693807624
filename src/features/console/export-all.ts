/**
 * "Export all console files": every console document in the library (not in the Trash) as
 * one .zip, each file at the path it was imported from (folder structure and file names kept).
 * Documents without an imported file are skipped; two files wanting one path get a suffix.
 */
import * as Y from 'yjs';
import { zipSync } from 'fflate';
import { xmlFileName } from '../../core/xml/index.ts';
import type { LibraryService } from '../../platform/library/library-service.ts';
import type { XmlClient } from '../../platform/xml-client.ts';
import { hasXmlModel } from './console-doc.ts';
import { CONSOLE_INFO } from './import-files.ts';

function uniquePath(path: string, taken: Set<string>): string {
  let candidate = path;
  for (let n = 2; taken.has(candidate); n++) candidate = path.replace(/(\.[^./]+)?$/, (ext) => ` (${n})${ext}`);
  taken.add(candidate);
  return candidate;
}

export async function exportAllConsoleFiles(deps: {
  library: LibraryService;
  xml: XmlClient;
}): Promise<{ zip: Uint8Array; count: number }> {
  const entries = (await deps.library.list()).filter((e) => e.kind === 'console-config' && e.deletedAt === null);
  const files: Record<string, Uint8Array> = {};
  const taken = new Set<string>();
  for (const entry of entries) {
    const handle = await deps.library.load(entry.id);
    try {
      if (!hasXmlModel(handle.doc)) continue;
      const stored = handle.doc.getMap(CONSOLE_INFO).get('path');
      const path = typeof stored === 'string' && stored ? stored : xmlFileName(handle.doc);
      files[uniquePath(path, taken)] = await deps.xml.exportFile(handle.doc as Y.Doc);
    } finally {
      await handle.close();
    }
  }
  return { zip: zipSync(files, { level: 6 }), count: Object.keys(files).length };
}
