/**
 * Walks the chunks of an IFF-style container (RIFF/RF64 little-endian, AIFF big-endian):
 * 4-byte id, 4-byte size, body, pad byte to even length. The walk always moves forward and
 * stops at the end of the source, so a lying size can never make it loop or hang.
 */
import type { ByteSource } from './byte-source.ts';

export function fourcc(b: Uint8Array, at: number): string {
  return String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);
}

export interface ChunkHeader {
  id: string;
  size: number;
  body: number;
}

/**
 * Calls `visit` for each chunk from `start`. `visit` may return a corrected size (RF64 data
 * sizes live in ds64) or 'stop' to end the walk.
 */
export async function walkChunks(
  source: ByteSource,
  start: number,
  littleEndian: boolean,
  visit: (chunk: ChunkHeader) => Promise<number | 'stop' | void>,
): Promise<void> {
  let pos = start;
  while (pos + 8 <= source.size) {
    const h = await source.read(pos, 8);
    const chunk = {
      id: fourcc(h, 0),
      size: new DataView(h.buffer, h.byteOffset, 8).getUint32(4, littleEndian),
      body: pos + 8,
    };
    const outcome = await visit(chunk);
    if (outcome === 'stop') return;
    const size = typeof outcome === 'number' ? outcome : chunk.size;
    pos = chunk.body + size + (size % 2);
  }
}
