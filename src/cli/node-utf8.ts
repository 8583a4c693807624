/**
 * Node's UTF-8 codec for session-text parsing (`parseSessionText(bytes, name, { decodeUtf8:
 * nodeUtf8 })`). Node's TextDecoder builds a string with non-ASCII characters at ~190 MB/s
 * on a generated export (V8's own UTF-8 decoding); checking the bytes with simdutf
 * (`isUtf8`), converting them with ICU (`transcode`) and copying the UTF-16 into a string
 * takes less than half the time. The strings are the same: valid UTF-8 has one decoding,
 * invalid UTF-8 is refused here as TextDecoder's fatal mode refuses it, and a byte order mark
 * is kept (the parser drops the file's leading one itself). ASCII goes through `latin1`,
 * which is the same text and the cheapest copy.
 */
import { isAscii, isUtf8, transcode } from 'node:buffer';
import type { Utf8Decoder } from '../core/session/index.ts';

export const nodeUtf8: Utf8Decoder = (bytes) => {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isAscii(buffer)) return buffer.toString('latin1');
  if (!isUtf8(buffer)) return null;
  return transcode(buffer, 'utf8', 'utf16le').toString('utf16le');
};
