/**
 * FLAC decoder (native FLAC streams, optionally behind an ID3v2 tag). Reads the source in
 * 1 MiB windows, decodes frame by frame and yields planar Float32 chunks, so memory stays
 * bounded. A truncated stream is decoded up to its last whole frame, with a warning; frames
 * failing their CRC-16 are kept and counted in a warning; garbage between frames is skipped.
 */
import { defaultLayout } from '../dsp/channels.ts';
import type { ByteSource } from './byte-source.ts';
import { AudioDecodeError, checkStreamShape } from './decoder.ts';
import type { AudioDecoder } from './decoder.ts';
import { OUT_OF_DATA } from './flac/bit-reader.ts';
import { BadFrameError, decodeFrame } from './flac/frame.ts';
import type { StreamInfo } from './flac/frame.ts';
import { formatTime } from './pcm-stream.ts';

const WINDOW = 1 << 20;

async function skipId3(source: ByteSource): Promise<number> {
  const h = await source.read(0, 10);
  if (h.length === 10 && h[0] === 0x49 && h[1] === 0x44 && h[2] === 0x33) {
    const size = ((h[6]! & 0x7f) << 21) | ((h[7]! & 0x7f) << 14) | ((h[8]! & 0x7f) << 7) | (h[9]! & 0x7f);
    return 10 + size + (h[5]! & 0x10 ? 10 : 0);
  }
  return 0;
}

async function readMetadata(source: ByteSource): Promise<{ info: StreamInfo; audioStart: number }> {
  const name = source.name;
  let pos = await skipId3(source);
  const magic = await source.read(pos, 4);
  if (magic.length < 4 || String.fromCharCode(...magic) !== 'fLaC')
    throw new AudioDecodeError(name, 'not a FLAC file (no fLaC marker)');
  pos += 4;
  let info: StreamInfo | null = null;
  for (let last = false; !last;) {
    const h = await source.read(pos, 4);
    if (h.length < 4) throw new AudioDecodeError(name, 'the FLAC metadata ends before any audio');
    last = (h[0]! & 0x80) !== 0;
    const type = h[0]! & 0x7f;
    const size = (h[1]! << 16) | (h[2]! << 8) | h[3]!;
    if (type === 0) {
      const b = await source.read(pos + 4, 34);
      if (b.length < 34 || size < 34) throw new AudioDecodeError(name, 'STREAMINFO block is too short');
      const sampleRate = (b[10]! << 12) | (b[11]! << 4) | (b[12]! >> 4);
      const channels = ((b[12]! >> 1) & 0x07) + 1;
      const bitsPerSample = (((b[12]! & 1) << 4) | (b[13]! >> 4)) + 1;
      const totalSamples = (b[13]! & 0x0f) * 2 ** 32 + ((b[14]! << 24) >>> 0) + (b[15]! << 16) + (b[16]! << 8) + b[17]!;
      info = { sampleRate, channels, bitsPerSample, totalSamples, maxBlockSize: (b[2]! << 8) | b[3]! };
    } else if (type === 127) throw new AudioDecodeError(name, 'invalid FLAC metadata block type 127');
    pos += 4 + size;
    if (pos > source.size) throw new AudioDecodeError(name, 'a FLAC metadata block runs past the end of the file');
  }
  if (!info) throw new AudioDecodeError(name, 'no STREAMINFO block');
  return { info, audioStart: pos };
}

export async function openFlac(source: ByteSource): Promise<AudioDecoder> {
  const name = source.name;
  const { info, audioStart } = await readMetadata(source);
  checkStreamShape(name, info.channels, info.sampleRate);
  if (info.bitsPerSample < 4 || info.bitsPerSample > 32)
    throw new AudioDecodeError(name, `unsupported FLAC bit depth ${info.bitsPerSample}`);
  if (info.totalSamples === 0 && audioStart >= source.size)
    throw new AudioDecodeError(name, 'zero-length audio: the FLAC stream holds no frames');
  const warnings: string[] = [];

  async function* chunks(): AsyncGenerator<Float32Array[]> {
    let buf = new Uint8Array(0);
    let bufStart = audioStart; // file offset of buf[0]
    let at = 0;
    let eof = false;
    let decoded = 0,
      badCrc = 0,
      skipped = 0;
    const scratch = Array.from({ length: info.channels }, () => new Float64Array(info.maxBlockSize || 4096));
    const scale = 1 / 2 ** (info.bitsPerSample - 1);
    const refill = async () => {
      const more = await source.read(bufStart + buf.length, WINDOW);
      if (more.length === 0) {
        eof = true;
        return;
      }
      const next = new Uint8Array(buf.length - at + more.length);
      next.set(buf.subarray(at));
      next.set(more, buf.length - at);
      bufStart += at;
      buf = next;
      at = 0;
    };
    for (;;) {
      if (buf.length - at < 16 && !eof) await refill();
      if (at >= buf.length) break;
      try {
        const frame = decodeFrame(buf, at, buf.length, info, scratch);
        if (!frame.crcOk) badCrc++;
        const frameScale = frame.bitsPerSample === info.bitsPerSample ? scale : 1 / 2 ** (frame.bitsPerSample - 1);
        const out = frame.channels.map((ch) => {
          const f = new Float32Array(frame.blockSize);
          for (let i = 0; i < frame.blockSize; i++) f[i] = ch[i]! * frameScale;
          return f;
        });
        at = frame.end;
        decoded += frame.blockSize;
        yield out;
      } catch (e) {
        if (e === OUT_OF_DATA) {
          if (!eof) {
            await refill();
            continue;
          }
          warnings.push(
            `${name}: truncated: the last FLAC frame is incomplete; analysed up to ${formatTime(decoded / info.sampleRate)}${info.totalSamples ? ` of ${formatTime(info.totalSamples / info.sampleRate)}` : ''}`,
          );
          break;
        }
        if (!(e instanceof BadFrameError)) throw e;
        at++;
        skipped++; // resynchronise on the next plausible frame header
      }
    }
    if (skipped > 0) warnings.push(`${name}: skipped ${skipped} bytes that were not valid FLAC frames`);
    if (badCrc > 0)
      warnings.push(`${name}: ${badCrc} FLAC frame(s) failed their CRC-16 check; their audio may be damaged`);
    if (info.totalSamples && decoded < info.totalSamples && !warnings.some((w) => w.includes('truncated'))) {
      warnings.push(`${name}: STREAMINFO declares ${info.totalSamples} samples but only ${decoded} were decoded`);
    }
    if (decoded === 0) throw new AudioDecodeError(name, 'no decodable FLAC frame in the file');
  }

  return {
    info: {
      format: 'flac',
      encoding: `FLAC ${info.bitsPerSample}-bit`,
      sampleRate: info.sampleRate,
      channels: info.channels,
      channelLayout: defaultLayout(info.channels),
      bitsPerSample: info.bitsPerSample,
      declaredFrames: info.totalSamples || null,
    },
    warnings,
    chunks,
  };
}
