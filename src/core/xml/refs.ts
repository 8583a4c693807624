/**
 * Reading and writing character data: references are decoded only when a value is read
 * (the source keeps them as written), and values are escaped only when an edited value is
 * written. Escaping picks the smallest change that reads back as the same value in any XML
 * parser: attribute values keep their quote style, tabs/newlines in attributes become
 * character references (a parser would turn literal ones into spaces), new lines in text use
 * the document's line ending, and characters the file's encoding cannot hold become `&#x..;`.
 */
import { canEncodeCodePoint, type EncodingName } from './encoding.ts';
import type { EntityDecl } from './parsed.ts';

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const REF = /&(#x[0-9a-fA-F]+|#[0-9]+|[^\s&;#<>"']+);/g;

/** Decodes references; internal entities expand (their size was bounded at parse), unknown and external ones stay as written. */
export function decodeReferences(raw: string, entities: Map<string, EntityDecl>, depth = 0): string {
  if (raw.indexOf('&') < 0) return raw;
  return raw.replace(REF, (whole, body: string) => {
    if (body.charCodeAt(0) === 35) {
      const cp = body[1] === 'x' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
    }
    const predefined = PREDEFINED[body];
    if (predefined !== undefined) return predefined;
    const decl = entities.get(body);
    if (!decl || decl.value === null || depth > 32) return whole;
    return decodeReferences(decl.value, entities, depth + 1);
  });
}

/** Character data of a text node as an XML parser reports it: references decoded, line endings as LF. */
export function decodeText(raw: string, entities: Map<string, EntityDecl>): string {
  return decodeReferences(raw.replace(/\r\n?/g, '\n'), entities);
}

/** An attribute value as an XML parser reports it: literal whitespace normalised to spaces, references decoded. */
export function decodeAttribute(raw: string, entities: Map<string, EntityDecl>): string {
  return decodeReferences(raw.replace(/\r\n|[\r\n\t]/g, ' '), entities);
}

function charRef(cp: number): string {
  return `&#x${cp.toString(16).toUpperCase()};`;
}

function escapeWith(value: string, encoding: EncodingName, special: (c: string) => string | undefined): string {
  let out = '';
  for (const ch of value) {
    const replaced = special(ch);
    if (replaced !== undefined) {
      out += replaced;
      continue;
    }
    const cp = ch.codePointAt(0)!;
    out += cp < 0x80 || canEncodeCodePoint(cp, encoding) ? ch : charRef(cp);
  }
  return out;
}

/** Escapes an attribute value for the given quote character. */
export function escapeAttribute(value: string, quote: '"' | "'", encoding: EncodingName): string {
  return escapeWith(value, encoding, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '"':
        return quote === '"' ? '&quot;' : c;
      case "'":
        return quote === "'" ? '&apos;' : c;
      case '\t':
        return '&#9;';
      case '\n':
        return '&#10;';
      case '\r':
        return '&#13;';
      default:
        return undefined;
    }
  });
}

/** Escapes text content; new lines are written with the document's line ending. */
export function escapeText(value: string, newline: string, encoding: EncodingName): string {
  return escapeWith(value.replace(/\r\n?/g, '\n'), encoding, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '\n':
        return newline;
      default:
        return undefined;
    }
  });
}

/** Content of an edited comment, CDATA section or PI: made well-formed, otherwise verbatim. */
export function sanitiseMarkupContent(kind: 'comment' | 'cdata' | 'pi', value: string): string {
  if (kind === 'comment') return value.replace(/--/g, '- -').replace(/-$/, '- ');
  if (kind === 'cdata') return value.replace(/]]>/g, ']]]]><![CDATA[>');
  return value.replace(/\?>/g, '? >');
}
