/**
 * Bytes <-> text for the encodings console files use, exactly: decoding then encoding an
 * unedited file gives back the same bytes. Detection order follows XML 1.0 appendix F: a byte
 * order mark wins; then UTF-16 is recognised from `<?` in two-byte form; otherwise the
 * `encoding` of the XML declaration (read as ASCII) picks the code page, UTF-8 by default.
 * UTF-16 is decoded code unit by code unit so even unpaired surrogates survive.
 */
import { XmlError } from './errors.ts';
import {
  decodeSingleByte,
  encodeSingleByte,
  LATIN1,
  MAC_ROMAN,
  WINDOWS_1252,
  type SingleByteCodec,
} from '../text/single-byte.ts';

export type EncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'iso-8859-1' | 'windows-1252' | 'macintosh';

/** How a file's text is stored as bytes; kept with the document so export writes the same form. */
export interface TextEncodingInfo {
  encoding: EncodingName;
  /** The file starts with a byte order mark. */
  bom: boolean;
  /** The encoding name as written in the XML declaration, or null when there is none. */
  declared: string | null;
}

export interface DecodedText {
  text: string;
  info: TextEncodingInfo;
  warnings: string[];
}

const SINGLE_BYTE: Record<string, SingleByteCodec> = {
  'iso-8859-1': LATIN1,
  'windows-1252': WINDOWS_1252,
  macintosh: MAC_ROMAN,
};

const ALIASES: Record<string, EncodingName> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'utf-16': 'utf-16le',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
  'iso-8859-1': 'iso-8859-1',
  'iso8859-1': 'iso-8859-1',
  'iso_8859-1': 'iso-8859-1',
  latin1: 'iso-8859-1',
  'latin-1': 'iso-8859-1',
  l1: 'iso-8859-1',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  'x-cp1252': 'windows-1252',
  'us-ascii': 'windows-1252',
  ascii: 'windows-1252',
  macintosh: 'macintosh',
  macroman: 'macintosh',
  'mac-roman': 'macintosh',
  'x-mac-roman': 'macintosh',
  mac: 'macintosh',
  'x-mac': 'macintosh',
};

/** Maps an encoding label from an XML declaration to a supported encoding, or null. */
export function resolveEncodingLabel(label: string): EncodingName | null {
  return ALIASES[label.trim().toLowerCase()] ?? null;
}

function declaredEncoding(
  bytes: Uint8Array,
  start: number,
  step: 1 | 2,
  be: boolean,
): { label: string; column: number } | null {
  let head = '';
  for (let i = start + (be ? step - 1 : 0); i < bytes.length && head.length < 256; i += step) {
    const b = bytes[i]!;
    head += String.fromCharCode(b);
    if (b === 0x3e) break;
  }
  if (!/^[ \t\r\n]*<\?xml[ \t\r\n]/.test(head)) return null;
  const m = /\sencoding\s*=\s*(["'])([^"']*)\1/.exec(head);
  if (!m) return null;
  return { label: m[2]!, column: m.index + m[0].indexOf(m[1]!) + 2 };
}

function decodeUtf16(bytes: Uint8Array, start: number, be: boolean): string {
  if ((bytes.length - start) % 2 !== 0) throw new XmlError('UTF-16 file has an odd number of bytes (truncated?)');
  const parts: string[] = [];
  const CHUNK = 8192;
  for (let i = start; i < bytes.length; i += CHUNK * 2) {
    const end = Math.min(bytes.length, i + CHUNK * 2);
    const units = new Array<number>((end - i) / 2);
    for (let j = i, k = 0; j < end; j += 2, k++)
      units[k] = be ? (bytes[j]! << 8) | bytes[j + 1]! : bytes[j]! | (bytes[j + 1]! << 8);
    parts.push(String.fromCharCode.apply(null, units));
  }
  return parts.join('');
}

function encodeUtf16(text: string, bom: boolean, be: boolean): Uint8Array {
  const off = bom ? 2 : 0;
  const out = new Uint8Array(off + text.length * 2);
  if (bom) {
    out[0] = be ? 0xfe : 0xff;
    out[1] = be ? 0xff : 0xfe;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[off + 2 * i] = be ? c >> 8 : c & 0xff;
    out[off + 2 * i + 1] = be ? c & 0xff : c >> 8;
  }
  return out;
}

/** Decodes a whole file. Throws XmlError for a declared encoding Mixdesk cannot read. */
export function decodeXmlBytes(bytes: Uint8Array): DecodedText {
  const warnings: string[] = [];
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return {
      text: decodeUtf16(bytes, 2, false),
      info: { encoding: 'utf-16le', bom: true, declared: declaredEncoding(bytes, 2, 2, false)?.label ?? null },
      warnings,
    };
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return {
      text: decodeUtf16(bytes, 2, true),
      info: { encoding: 'utf-16be', bom: true, declared: declaredEncoding(bytes, 2, 2, true)?.label ?? null },
      warnings,
    };
  }
  if (bytes[0] === 0x3c && bytes[1] === 0x00 && bytes[2] === 0x3f && bytes[3] === 0x00) {
    return {
      text: decodeUtf16(bytes, 0, false),
      info: { encoding: 'utf-16le', bom: false, declared: declaredEncoding(bytes, 0, 2, false)?.label ?? null },
      warnings,
    };
  }
  if (bytes[0] === 0x00 && bytes[1] === 0x3c && bytes[2] === 0x00 && bytes[3] === 0x3f) {
    return {
      text: decodeUtf16(bytes, 0, true),
      info: { encoding: 'utf-16be', bom: false, declared: declaredEncoding(bytes, 0, 2, true)?.label ?? null },
      warnings,
    };
  }
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const decl = declaredEncoding(bytes, bom ? 3 : 0, 1, false);
  let encoding: EncodingName = 'utf-8';
  if (decl && !bom) {
    const resolved = resolveEncodingLabel(decl.label);
    if (!resolved)
      throw new XmlError(
        `unsupported encoding '${decl.label}' in the XML declaration (supported: UTF-8, UTF-16, ISO-8859-1, windows-1252, macintosh)`,
        1,
        decl.column,
      );
    if (resolved === 'utf-16le' || resolved === 'utf-16be')
      warnings.push(`declares ${decl.label} but has no UTF-16 byte order mark; read as UTF-8`);
    else encoding = resolved;
  }
  const info: TextEncodingInfo = { encoding, bom, declared: decl?.label ?? null };
  if (encoding !== 'utf-8') return { text: decodeSingleByte(bytes, SINGLE_BYTE[encoding]!), info, warnings };
  const body = bom ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body), info, warnings };
  } catch {
    warnings.push('the file is not valid UTF-8; read as windows-1252 so that every byte is kept');
    return { text: decodeSingleByte(body, WINDOWS_1252), info: { ...info, encoding: 'windows-1252' }, warnings };
  }
}

/** Encodes text in the file's encoding, with its byte order mark when it had one. */
export function encodeXmlText(text: string, info: TextEncodingInfo): Uint8Array {
  switch (info.encoding) {
    case 'utf-16le':
      return encodeUtf16(text, info.bom, false);
    case 'utf-16be':
      return encodeUtf16(text, info.bom, true);
    case 'utf-8': {
      const body = new TextEncoder().encode(text);
      if (!info.bom) return body;
      const out = new Uint8Array(body.length + 3);
      out.set([0xef, 0xbb, 0xbf]);
      out.set(body, 3);
      return out;
    }
    default: {
      const body = encodeSingleByte(text, SINGLE_BYTE[info.encoding]!);
      if (!info.bom) return body;
      const out = new Uint8Array(body.length + 3);
      out.set([0xef, 0xbb, 0xbf]);
      out.set(body, 3);
      return out;
    }
  }
}

/** True when a code point can be written directly in this encoding (else a character reference is needed). */
export function canEncodeCodePoint(codePoint: number, encoding: EncodingName): boolean {
  if (encoding === 'utf-8' || encoding === 'utf-16le' || encoding === 'utf-16be') return true;
  return SINGLE_BYTE[encoding]!.encodeMap.has(codePoint);
}
