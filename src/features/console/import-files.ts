/**
 * Import of console files: each picked or dropped file becomes one console-config document.
 * XML goes through the XML client (worker, or main thread as fallback), a Pro Tools "Session
 * Info as Text" export becomes a Mixdesk layout document ("Create layout from session").
 * A file is checked completely before its document is created, so a bad file never leaves a
 * half-imported document behind; it is reported with its message and the others still import.
 * Cancel stops between files: what was imported stays, the rest is listed as not imported.
 */
import { saveVersion } from './versions.ts';
import * as Y from 'yjs';
import { createLayoutXml } from '../../core/console/index.ts';
import {
  layoutExportFileName,
  layoutFromSession,
  parseSessionText,
  sessionDocumentName,
} from '../../core/session/index.ts';
import { MAX_XML_BYTES } from '../../core/xml/index.ts';
import type { LibraryService } from '../../platform/library/library-service.ts';
import type { XmlClient } from '../../platform/xml-client.ts';

export interface ImportItem {
  file: File;
  /** Path inside the picked folder ('UserSet/Pro Tools.xml'), or the file name. */
  path: string;
}

export type ImportOutcome =
  { path: string; ok: true; id: string; name: string; note?: string } | { path: string; ok: false; message: string };

/** The map holding where a console document came from (its path inside a User Set folder). */
export const CONSOLE_INFO = 'console';

export interface ImportProgress {
  done: number;
  total: number;
  current: string | null;
}

const SESSION_START = /^(\uFEFF)?SESSION NAME:/;

function looksLikeSessionText(file: File, bytes: Uint8Array): boolean {
  if (!/\.txt$/i.test(file.name)) return false;
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 64));
  return SESSION_START.test(head);
}

/** The Yjs update of one file's document content, or a message saying what is wrong and where. */
async function contentOf(
  item: ImportItem,
  xml: XmlClient,
  author: string,
): Promise<{ update: Uint8Array; name: string; note?: string } | { message: string }> {
  const { file } = item;
  if (file.size > MAX_XML_BYTES)
    return {
      message: `${item.path}: file is ${(file.size / 1048576).toFixed(1)} MB; the limit is ${MAX_XML_BYTES / 1048576} MB`,
    };
  const bytes = new Uint8Array(await file.arrayBuffer());
  const doc = new Y.Doc();
  let name = file.name;
  let exportName = file.name;
  let note: string | undefined;
  try {
    if (looksLikeSessionText(file, bytes)) {
      const parsed = parseSessionText(bytes, item.path);
      if (!parsed.ok)
        return { message: `${item.path}:${parsed.error.line}:${parsed.error.column}: ${parsed.error.message}` };
      const layout = layoutFromSession(parsed.session);
      name = sessionDocumentName(parsed.session, file.name);
      exportName = layoutExportFileName(name);
      const text = createLayoutXml([{ name, strips: layout.strips }]);
      await xml.importFile(doc, new TextEncoder().encode(text), exportName);
      if (layout.warnings.length) note = layout.warnings.join('; ');
    } else {
      await xml.importFile(doc, bytes, file.name);
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // The XML core names the file; name the folder too when there is one.
    return {
      message:
        item.path !== file.name && message.startsWith(file.name)
          ? item.path + message.slice(file.name.length)
          : message,
    };
  }
  doc.getMap(CONSOLE_INFO).set('path', item.path === file.name ? exportName : item.path.replace(/[^/]*$/, exportName));
  // An automatic version of the file as imported, so there is always a state to go back to.
  saveVersion(doc, `Imported ${name}`, author, Date.now(), true);
  return { update: Y.encodeStateAsUpdate(doc), name, ...(note ? { note } : {}) };
}

export async function importConsoleFiles(
  items: ImportItem[],
  deps: { library: LibraryService; xml: XmlClient; author: string },
  onProgress: (p: ImportProgress) => void,
  signal: AbortSignal,
): Promise<ImportOutcome[]> {
  const out: ImportOutcome[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (signal.aborted) {
      out.push({ path: item.path, ok: false, message: `${item.path}: not imported (cancelled)` });
      continue;
    }
    onProgress({ done: i, total: items.length, current: item.path });
    try {
      const content = await contentOf(item, deps.xml, deps.author);
      if ('message' in content) {
        out.push({ path: item.path, ok: false, message: content.message });
        continue;
      }
      const folder = item.path.includes('/') ? item.path.slice(0, item.path.lastIndexOf('/')) : '';
      const id = await deps.library.create({
        kind: 'console-config',
        name: content.name,
        content: content.update,
        tags: folder ? [folder.split('/')[0]!] : [],
        notes: [folder ? `Imported from ${item.path}` : `Imported from ${item.file.name}`, content.note]
          .filter(Boolean)
          .join('\n'),
      });
      out.push({ path: item.path, ok: true, id, name: content.name, ...(content.note ? { note: content.note } : {}) });
    } catch (error) {
      out.push({
        path: item.path,
        ok: false,
        message: `${item.path}: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }
  onProgress({ done: items.length, total: items.length, current: null });
  return out;
}

/** Files from an <input type=file> (with folder paths when picked with webkitdirectory). */
export function itemsFromInput(files: FileList | null): ImportItem[] {
  return [...(files ?? [])].map((file) => ({ file, path: file.webkitRelativePath || file.name }));
}

/** Files from a drop, walking dropped folders (with their paths). */
export async function itemsFromDrop(data: DataTransfer): Promise<ImportItem[]> {
  const entries = [...data.items].map((i) => i.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => !!e);
  // Taken now: the DataTransfer is emptied once the drop event returns.
  const dropped = [...data.files];
  if (!entries.length) return dropped.map((file) => ({ file, path: file.name }));
  const out: ImportItem[] = [];
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    if (entry.isFile) {
      // WebKit gives a dropped file that is not on disk (made by a page, or from another app) an
      // entry whose file() fails ("Path does not exist"); the drop's own File is the same file.
      const file = await new Promise<File>((resolve, reject) =>
        (entry as FileSystemFileEntry).file(resolve, reject),
      ).catch((error: unknown) => {
        const own = prefix === '' ? dropped.find((f) => f.name === entry.name) : undefined;
        if (own) return own;
        throw error;
      });
      out.push({ file, path: prefix + entry.name });
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
        if (!batch.length) break;
        for (const child of batch) await walk(child, `${prefix}${entry.name}/`);
      }
    }
  };
  for (const e of entries) await walk(e, '');
  return out;
}
