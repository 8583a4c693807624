/**
 * WAV decoder: RIFF WAVE, RF64 and BW64 (64-bit sizes from the ds64 chunk); PCM 8/16/24/32-bit,
 * IEEE float 32/64, WAVE_FORMAT_EXTENSIBLE with its channel mask mapped to a channel layout.
 * Truncated data is decoded up to where it ends, with a warning; anything else wrong in the
 * header is an AudioDecodeError naming the file and the problem.
 */
import { defaultLayout, layoutFromMask } from '../dsp/channels.ts';
import type { ByteSource } from './byte-source.ts';
import { fourcc, walkChunks } from './chunks.ts';
import { AudioDecodeError, checkStreamShape } from './decoder.ts';
import type { AudioDecoder, ContainerFormat } from './decoder.ts';
import { formatTime, pcmStream } from './pcm-stream.ts';
import type { PcmFormat } from './pcm.ts';

const KNOWN_CODECS: Record<number, string> = {
  0x0002: 'Microsoft ADPCM',
  0x0006: 'A-law',
  0x0007: 'mu-law',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0050: 'MPEG audio',
  0x0055: 'MPEG Layer III (MP3)',
  0x00ff: 'AAC',
  0x0160: 'WMA',
  0x0161: 'WMA',
  0x2000: 'AC-3',
  0x2001: 'DTS',
};

interface Fmt {
  tag: number;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  bits: number;
  mask: number;
}

function parseFmt(name: string, b: Uint8Array): Fmt {
  if (b.length < 16) throw new AudioDecodeError(name, `fmt chunk is ${b.length} bytes, at least 16 expected`);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let tag = v.getUint16(0, true);
  let mask = 0;
  if (tag === 0xfffe) {
    if (b.length < 40) throw new AudioDecodeError(name, 'WAVE_FORMAT_EXTENSIBLE fmt chunk is shorter than 40 bytes');
    mask = v.getUint32(20, true);
    tag = v.getUint16(24, true);
  }
  return {
    tag,
    channels: v.getUint16(2, true),
    sampleRate: v.getUint32(4, true),
    blockAlign: v.getUint16(12, true),
    bits: v.getUint16(14, true),
    mask,
  };
}

function pcmFormat(name: string, fmt: Fmt): PcmFormat {
  if (fmt.tag !== 1 && fmt.tag !== 3) {
    const known = KNOWN_CODECS[fmt.tag];
    throw new AudioDecodeError(
      name,
      `unsupported WAV codec 0x${fmt.tag.toString(16).padStart(4, '0')}${known ? ` (${known})` : ''}; only PCM and IEEE float WAV are decoded here${known ? ' (compressed formats need the browser decoder)' : ''}`,
    );
  }
  const bytes = fmt.blockAlign / fmt.channels;
  if (!Number.isInteger(bytes) || bytes * 8 < fmt.bits || fmt.bits === 0) {
    throw new AudioDecodeError(
      name,
      `inconsistent header: block align ${fmt.blockAlign} does not fit ${fmt.channels} channels of ${fmt.bits}-bit samples`,
    );
  }
  if (fmt.tag === 3 && bytes !== 4 && bytes !== 8)
    throw new AudioDecodeError(name, `float WAV with ${fmt.bits}-bit samples is not supported (32 or 64 only)`);
  if (fmt.tag === 1 && (bytes < 1 || bytes > 4))
    throw new AudioDecodeError(name, `PCM WAV with ${bytes * 8}-bit containers is not supported (8 to 32 only)`);
  return { kind: fmt.tag === 3 ? 'float' : 'int', bytes, bigEndian: false, unsigned8: bytes === 1 };
}

export async function openWav(source: ByteSource): Promise<AudioDecoder> {
  const name = source.name;
  const head = await source.read(0, 12);
  const riff = head.length >= 12 ? fourcc(head, 0) : '';
  if (!['RIFF', 'RF64', 'BW64'].includes(riff) || fourcc(head, 8) !== 'WAVE')
    throw new AudioDecodeError(name, 'not a WAV file (no RIFF/RF64/BW64 WAVE header)');
  const format: ContainerFormat = riff === 'RIFF' ? 'wav' : riff === 'RF64' ? 'rf64' : 'bw64';
  const warnings: string[] = [];
  let fmt: Fmt | null = null;
  let ds64Data: number | null = null;
  let data: { offset: number; size: number } | null = null;
  await walkChunks(source, 12, true, async ({ id, size, body }) => {
    if (id === 'ds64') {
      const d = await source.read(body, Math.min(size, 28));
      if (d.length < 16) throw new AudioDecodeError(name, 'ds64 chunk is too short');
      const dv = new DataView(d.buffer, d.byteOffset, d.byteLength);
      ds64Data = dv.getUint32(8, true) + dv.getUint32(12, true) * 2 ** 32;
    } else if (id === 'fmt ') {
      fmt = parseFmt(name, await source.read(body, Math.min(size, 64)));
    } else if (id === 'data') {
      if (format !== 'wav' && size === 0xffffffff) {
        if (ds64Data === null)
          throw new AudioDecodeError(
            name,
            `${format.toUpperCase()} data size is in a ds64 chunk, but there is none before the data`,
          );
        size = ds64Data;
      }
      data = { offset: body, size };
      return fmt ? 'stop' : size;
    }
  });
  fmt = fmt as Fmt | null;
  data = data as { offset: number; size: number } | null;
  if (!fmt) throw new AudioDecodeError(name, 'no fmt chunk: the WAV header is missing or damaged');
  if (!data) throw new AudioDecodeError(name, 'no data chunk: the file holds no audio');
  checkStreamShape(name, fmt.channels, fmt.sampleRate);
  const pcm = pcmFormat(name, fmt);
  if (data.size === 0) throw new AudioDecodeError(name, 'the data chunk is empty (zero-length audio)');
  const frameBytes = fmt.channels * pcm.bytes;
  const available = Math.max(0, Math.min(data.size, source.size - data.offset));
  const frames = Math.floor(available / frameBytes);
  const declaredFrames = Math.floor(data.size / frameBytes);
  if (frames === 0)
    throw new AudioDecodeError(
      name,
      `the data chunk declares ${data.size} bytes but the file ends before one whole sample frame`,
    );
  if (available < data.size) {
    warnings.push(
      `${name}: truncated: the data chunk declares ${data.size} bytes but only ${available} are present; analysed up to ${formatTime(frames / fmt.sampleRate)} of ${formatTime(declaredFrames / fmt.sampleRate)}`,
    );
  } else if (data.size % frameBytes !== 0) {
    warnings.push(`${name}: the data chunk ends with a partial sample frame (${data.size % frameBytes} bytes ignored)`);
  }
  const layout = (fmt.mask ? layoutFromMask(fmt.mask, fmt.channels) : null) ?? defaultLayout(fmt.channels);
  if (fmt.mask && !layoutFromMask(fmt.mask, fmt.channels))
    warnings.push(
      `${name}: channel mask 0x${fmt.mask.toString(16)} names more speakers than the ${fmt.channels} channels; default layout used`,
    );
  const region = { offset: data.offset, frames, channels: fmt.channels, format: pcm };
  return {
    info: {
      format,
      encoding: `${pcm.kind === 'float' ? 'float' : 'PCM'} ${fmt.bits}-bit`,
      sampleRate: fmt.sampleRate,
      channels: fmt.channels,
      channelLayout: layout,
      bitsPerSample: fmt.bits,
      declaredFrames,
    },
    warnings,
    ...pcmStream(source, region),
  };
}
