/**
 * The lossless XML model: import a file into a Y.Doc, read and edit its nodes, export it back.
 * See store.ts for how the model is laid out in the Y.Doc and why concurrent edits merge.
 */
export { XmlError } from './errors.ts';
export type { EncodingName, TextEncodingInfo } from './encoding.ts';
export type { NodeKind } from './parsed.ts';
export { DOCUMENT_ID, XML_ROOT, type NodeId, type Quote } from './store.ts';
export { importXml, exportXml, exportXmlText, xmlFileName, MAX_XML_BYTES, type ImportResult } from './import-export.ts';
export {
  attributes,
  childElements,
  childNodes,
  documentNode,
  getAttribute,
  getText,
  importedAttribute,
  importedAttributes,
  importedChildElements,
  nodeExists,
  nodeKind,
  nodeLocation,
  nodeName,
  nodePath,
  parentNode,
  rootElement,
  type XmlAttribute,
} from './nodes.ts';
export {
  insertAttribute,
  insertElement,
  insertText,
  moveNode,
  removeAttribute,
  removeNode,
  setAttribute,
  setText,
  type InsertOptions,
  type TidyOption,
} from './edit.ts';
export { copyNode } from './copy.ts';
export { diffVersions, type XmlChange } from './diff.ts';
export { roundtripXml } from './roundtrip.ts';
export { rebaseTextEdit } from './text-rebase.ts';
export { applyXmlText, parseEditedXml, MAX_EDIT_DEPTH, type TextApplySummary } from './text-apply.ts';
