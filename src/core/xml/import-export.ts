/**
 * Bytes in, bytes out. Import checks the whole file before touching the Y.Doc (size, binary,
 * encoding, lossless decode, well-formedness, entity bounds), so bad input imports nothing.
 * It then stores the file's bytes once plus an empty edit log (see store.ts) in one transaction.
 * Export serialises the model and encodes it as the file was encoded.
 */
import * as Y from 'yjs';
import { sniffBinary } from './binary.ts';
import { decodeXmlBytes, encodeXmlText, type TextEncodingInfo } from './encoding.ts';
import { XmlError } from './errors.ts';
import { modelOf, rememberModel, XmlModel } from './model.ts';
import { parseXml } from './parse.ts';
import { serialiseModel } from './serialise.ts';
import { xmlRoot, type StoredInfo } from './store.ts';

export const MAX_XML_BYTES = 50 * 1024 * 1024;

export interface ImportResult {
  fileName: string;
  encoding: TextEncodingInfo;
  /** Size of the file in bytes. */
  bytes: number;
  /** Number of nodes (elements, text, comments...) in the file. */
  nodes: number;
  /** Name of the root element. */
  rootName: string;
  /** Things worth telling the user that did not stop the import. */
  warnings: string[];
}

function sameBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

function looksUtf16(bytes: Uint8Array): boolean {
  return (
    (bytes[0] === 0xff && bytes[1] === 0xfe) ||
    (bytes[0] === 0xfe && bytes[1] === 0xff) ||
    (bytes[0] === 0x3c && bytes[1] === 0 && bytes[2] === 0x3f && bytes[3] === 0) ||
    (bytes[0] === 0 && bytes[1] === 0x3c && bytes[2] === 0 && bytes[3] === 0x3f)
  );
}

/**
 * Imports an XML file into `doc` (replacing any XML model it held). Throws XmlError naming the
 * file, with line and column when the problem has a place; the doc is then left unchanged.
 */
export function importXml(doc: Y.Doc, bytes: Uint8Array, fileName: string): ImportResult {
  try {
    if (bytes.length > MAX_XML_BYTES) {
      throw new XmlError(
        `file is ${(bytes.length / 1048576).toFixed(1)} MB; the limit is ${MAX_XML_BYTES / 1048576} MB`,
      );
    }
    if (bytes.length === 0) throw new XmlError('file is empty');
    if (!looksUtf16(bytes)) {
      const binary = sniffBinary(bytes);
      if (binary) throw new XmlError(`this is a ${binary}, not an XML file`);
    }
    const { text, info, warnings } = decodeXmlBytes(bytes);
    const mismatch = sameBytes(encodeXmlText(text, info), bytes);
    if (mismatch >= 0)
      throw new XmlError(
        `byte ${mismatch} cannot be read back exactly in ${info.encoding}; refused rather than altered`,
      );
    const parsed = parseXml(text);
    const source = new Uint8Array(bytes);
    const stored: StoredInfo = { fileName, encoding: info.encoding, bom: info.bom, declared: info.declared };
    const edits = new Y.Map<unknown>();
    doc.transact(() => {
      const root = xmlRoot(doc);
      root.set('source', source);
      root.set('info', stored);
      root.set('edits', edits);
    });
    rememberModel(new XmlModel(doc, source, parsed, stored, edits));
    const rootEl = parsed.nodes.find((n) => n.kind === 'element')!;
    return {
      fileName,
      encoding: info,
      bytes: bytes.length,
      nodes: parsed.nodes.length - 1,
      rootName: text.slice(rootEl.start + 1, rootEl.nameEnd),
      warnings,
    };
  } catch (e) {
    if (e instanceof XmlError) throw e.inFile(fileName);
    throw e;
  }
}

/** The document as text (for a raw view); line endings and references as they will be written. */
export function exportXmlText(doc: Y.Doc): string {
  return serialiseModel(modelOf(doc));
}

/** The document as file bytes, in the encoding (and with the BOM) it was imported with. */
export function exportXml(doc: Y.Doc): Uint8Array {
  const model = modelOf(doc);
  return encodeXmlText(serialiseModel(model), model.encoding);
}

/** The file name given at import. */
export function xmlFileName(doc: Y.Doc): string {
  return modelOf(doc).info.fileName;
}
