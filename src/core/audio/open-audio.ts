/**
 * Picks the decoder from the file's first bytes (never from its name). Formats that only the
 * browser can decode (MP3, AAC/M4A, Ogg/Opus/Vorbis, WebM) are recognised and refused with a
 * message saying so.
 */
import { openAiff } from './aiff.ts';
import type { ByteSource } from './byte-source.ts';
import { AudioDecodeError } from './decoder.ts';
import type { AudioDecoder } from './decoder.ts';
import { openFlac } from './flac.ts';
import { openWav } from './wav.ts';

/** File extensions the pure-TS decoders handle (used to pick files from a folder). */
export const NATIVE_EXTENSIONS = ['.wav', '.wave', '.rf64', '.bw64', '.aif', '.aiff', '.aifc', '.flac'] as const;
/** Extensions recognised as audio that need the browser's decoders. */
export const BROWSER_ONLY_EXTENSIONS = ['.mp3', '.m4a', '.aac', '.mp4', '.ogg', '.opus', '.oga', '.webm'] as const;

const BROWSER_ONLY =
  'can only be decoded in the browser (WebCodecs / OfflineAudioContext); the CLI and the pure-TS decoders handle WAV, AIFF and FLAC';

function ascii(b: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...b.subarray(from, to));
}

export async function openAudio(source: ByteSource): Promise<AudioDecoder> {
  const name = source.name;
  if (source.size === 0) throw new AudioDecodeError(name, 'the file is empty (0 bytes)');
  const h = await source.read(0, 16);
  const id = ascii(h, 0, 4);
  if ((id === 'RIFF' || id === 'RF64' || id === 'BW64') && ascii(h, 8, 12) === 'WAVE') return openWav(source);
  if (id === 'FORM' && (ascii(h, 8, 12) === 'AIFF' || ascii(h, 8, 12) === 'AIFC')) return openAiff(source);
  if (id === 'fLaC') return openFlac(source);
  if (id.startsWith('ID3')) {
    const flac = await openFlac(source).catch(() => null);
    if (flac) return flac;
    throw new AudioDecodeError(name, `looks like MP3 (ID3 tag) and ${BROWSER_ONLY}`);
  }
  if (id === 'OggS') throw new AudioDecodeError(name, `is Ogg (Opus/Vorbis/FLAC-in-Ogg) and ${BROWSER_ONLY}`);
  if (ascii(h, 4, 8) === 'ftyp') throw new AudioDecodeError(name, `is MP4/M4A (AAC or ALAC) and ${BROWSER_ONLY}`);
  if (h[0] === 0x1a && h[1] === 0x45 && h[2] === 0xdf && h[3] === 0xa3)
    throw new AudioDecodeError(name, `is WebM/Matroska and ${BROWSER_ONLY}`);
  if (h.length >= 2 && h[0] === 0xff && (h[1]! & 0xe0) === 0xe0)
    throw new AudioDecodeError(name, `looks like MPEG audio (MP3/AAC ADTS) and ${BROWSER_ONLY}`);
  if (id === 'RIFF') throw new AudioDecodeError(name, `is a RIFF file of type '${ascii(h, 8, 12)}', not WAVE`);
  throw new AudioDecodeError(name, 'unknown audio format (not WAV, RF64/BW64, AIFF/AIFC or FLAC)');
}
