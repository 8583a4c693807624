/** Reads a picked Pro Tools session text export: the parsed session, or what is wrong, in words. */
import { MAX_SESSION_TEXT_BYTES, parseSessionText, type Session } from '../../core/session/index.ts';

export async function readSessionFile(file: File): Promise<{ session: Session } | { problem: string }> {
  if (file.size > MAX_SESSION_TEXT_BYTES)
    return {
      problem: `${file.name}: the file is over the ${MAX_SESSION_TEXT_BYTES / 1048576} MB limit for a session text`,
    };
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch (e) {
    // A file moved or deleted after it was picked cannot be read.
    return { problem: `${file.name}: could not be read (${e instanceof Error ? e.message : String(e)})` };
  }
  const result = parseSessionText(bytes, file.name);
  if (!result.ok) {
    const e = result.error;
    return { problem: `${e.file}:${e.line}:${e.column}: ${e.message}` };
  }
  return { session: result.session };
}
