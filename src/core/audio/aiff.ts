/**
 * AIFF and AIFF-C decoder: big-endian PCM ('NONE', 'twos', 'in24', 'in32'), little-endian PCM
 * ('sowt'), float ('fl32'/'FL32', 'fl64'/'FL64') and 8-bit 'raw ' (unsigned). Other
 * compression types are refused by name. Truncated sound data is decoded up to where it ends.
 */
import { defaultLayout } from '../dsp/channels.ts';
import type { ChannelLabel } from '../dsp/channels.ts';
import type { ByteSource } from './byte-source.ts';
import { fourcc, walkChunks } from './chunks.ts';
import { AudioDecodeError, checkStreamShape } from './decoder.ts';
import type { AudioDecoder } from './decoder.ts';
import { formatTime, pcmStream } from './pcm-stream.ts';
import type { PcmFormat } from './pcm.ts';

/** IEEE 754 80-bit extended (big-endian) to a number. */
export function readExtended(b: Uint8Array, at: number): number {
  const exp = ((b[at]! & 0x7f) << 8) | b[at + 1]!;
  let mant = 0;
  for (let i = 0; i < 8; i++) mant = mant * 256 + b[at + 2 + i]!;
  if (exp === 0 && mant === 0) return 0;
  const value = mant * Math.pow(2, exp - 16383 - 63);
  return b[at]! & 0x80 ? -value : value;
}

function compressionFormat(name: string, type: string, bits: number): PcmFormat {
  const bytes = Math.ceil(bits / 8);
  switch (type) {
    case 'NONE':
    case 'twos':
    case 'in24':
    case 'in32':
      if (bytes < 1 || bytes > 4) throw new AudioDecodeError(name, `AIFF with ${bits}-bit samples is not supported`);
      return {
        kind: 'int',
        bytes: type === 'in24' ? 3 : type === 'in32' ? 4 : bytes,
        bigEndian: true,
        unsigned8: false,
      };
    case 'sowt':
      if (bytes < 1 || bytes > 4)
        throw new AudioDecodeError(name, `AIFF-C 'sowt' with ${bits}-bit samples is not supported`);
      return { kind: 'int', bytes, bigEndian: false, unsigned8: false };
    case 'raw ':
      return { kind: 'int', bytes: 1, bigEndian: true, unsigned8: true };
    case 'fl32':
    case 'FL32':
      return { kind: 'float', bytes: 4, bigEndian: true, unsigned8: false };
    case 'fl64':
    case 'FL64':
      return { kind: 'float', bytes: 8, bigEndian: true, unsigned8: false };
    default:
      throw new AudioDecodeError(
        name,
        `unsupported AIFF-C compression '${type}' (only uncompressed PCM and float are decoded)`,
      );
  }
}

/** AIFF channel orders for the counts the spec defines (AIFF 1.3, p. 9). */
function aiffLayout(channels: number): ChannelLabel[] {
  if (channels === 3) return ['FL', 'FR', 'FC'];
  if (channels === 6) return ['FL', 'FLC', 'FC', 'FR', 'FRC', 'BC'];
  return defaultLayout(channels);
}

interface Comm {
  channels: number;
  frames: number;
  bits: number;
  rate: number;
  type: string;
}

export async function openAiff(source: ByteSource): Promise<AudioDecoder> {
  const name = source.name;
  const head = await source.read(0, 12);
  if (head.length < 12 || fourcc(head, 0) !== 'FORM' || !['AIFF', 'AIFC'].includes(fourcc(head, 8)))
    throw new AudioDecodeError(name, 'not an AIFF file (no FORM AIFF/AIFC header)');
  const isAifc = fourcc(head, 8) === 'AIFC';
  const warnings: string[] = [];
  let comm: Comm | null = null;
  let ssnd: { offset: number; size: number } | null = null;
  await walkChunks(source, 12, false, async ({ id, size, body }) => {
    if (id === 'COMM') {
      const c = await source.read(body, Math.min(size, 64));
      if (c.length < 18) throw new AudioDecodeError(name, 'COMM chunk is too short');
      const v = new DataView(c.buffer, c.byteOffset, c.byteLength);
      comm = {
        channels: v.getUint16(0),
        frames: v.getUint32(2),
        bits: v.getUint16(6),
        rate: readExtended(c, 8),
        type: isAifc && c.length >= 22 ? fourcc(c, 18) : 'NONE',
      };
    } else if (id === 'SSND') {
      const s = await source.read(body, 8);
      const dataOffset = s.length === 8 ? new DataView(s.buffer, s.byteOffset, 8).getUint32(0) : 0;
      ssnd = { offset: body + 8 + dataOffset, size: Math.max(0, size - 8 - dataOffset) };
      if (comm) return 'stop';
    }
  });
  const found = { comm: comm as Comm | null, ssnd: ssnd as { offset: number; size: number } | null };
  if (!found.comm) throw new AudioDecodeError(name, 'no COMM chunk: the AIFF header is missing or damaged');
  if (!found.ssnd) throw new AudioDecodeError(name, 'no SSND chunk: the file holds no audio');
  const header = found.comm,
    sound = found.ssnd;
  const rate = Math.round(header.rate);
  checkStreamShape(name, header.channels, rate);
  const format = compressionFormat(name, header.type, header.bits);
  const frameBytes = header.channels * format.bytes;
  if (header.frames === 0 || sound.size === 0) throw new AudioDecodeError(name, 'zero-length sound data');
  const available = Math.max(0, Math.min(sound.size, source.size - sound.offset));
  const inFile = Math.floor(available / frameBytes);
  const frames = Math.min(header.frames, inFile);
  if (frames === 0) throw new AudioDecodeError(name, 'the sound data ends before one whole sample frame');
  if (frames < header.frames) {
    warnings.push(
      `${name}: truncated: COMM declares ${header.frames} frames but only ${frames} are present; analysed up to ${formatTime(frames / rate)} of ${formatTime(header.frames / rate)}`,
    );
  }
  const encoding =
    format.kind === 'float'
      ? `float ${format.bytes * 8}-bit`
      : `PCM ${header.bits}-bit${format.bigEndian ? '' : ' little-endian'}`;
  return {
    info: {
      format: isAifc ? 'aifc' : 'aiff',
      encoding,
      sampleRate: rate,
      channels: header.channels,
      channelLayout: aiffLayout(header.channels),
      bitsPerSample: header.bits,
      declaredFrames: header.frames,
    },
    warnings,
    ...pcmStream(source, { offset: sound.offset, frames, channels: header.channels, format }),
  };
}
