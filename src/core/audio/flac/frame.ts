/**
 * One FLAC frame: header, subframes (constant, verbatim, fixed, LPC), Rice/escaped residuals,
 * wasted bits and stereo decorrelation. Samples come out as integers held in Float64Arrays
 * (exact up to 53 bits, so 32-bit side channels cannot overflow).
 */
import { BitReader } from './bit-reader.ts';
import { crc16, crc8 } from './crc.ts';

export interface StreamInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  totalSamples: number;
  maxBlockSize: number;
}

export interface DecodedFrame {
  blockSize: number;
  channels: Float64Array[];
  bitsPerSample: number;
  end: number;
  crcOk: boolean;
  sampleRate: number;
}

/** A frame whose header is not valid FLAC (used for resynchronisation). */
export class BadFrameError extends Error {}

const RATES = [0, 88200, 176400, 192000, 8000, 16000, 22050, 24000, 32000, 44100, 48000, 96000];
const SIZES = [0, 8, 12, 0, 16, 20, 24, 32];

function utf8Number(r: BitReader): number {
  const first = r.bits(8);
  let extra = 0,
    v = first;
  if (first >= 0xfe) {
    extra = 6;
    v = 0;
  } else if (first >= 0xfc) {
    extra = 5;
    v = first & 0x01;
  } else if (first >= 0xf8) {
    extra = 4;
    v = first & 0x03;
  } else if (first >= 0xf0) {
    extra = 3;
    v = first & 0x07;
  } else if (first >= 0xe0) {
    extra = 2;
    v = first & 0x0f;
  } else if (first >= 0xc0) {
    extra = 1;
    v = first & 0x1f;
  } else if (first >= 0x80) throw new BadFrameError('bad frame number');
  for (let i = 0; i < extra; i++) {
    const b = r.bits(8);
    if ((b & 0xc0) !== 0x80) throw new BadFrameError('bad frame number');
    v = v * 64 + (b & 0x3f);
  }
  return v;
}

function residual(r: BitReader, out: Float64Array, blockSize: number, order: number): void {
  const method = r.bits(2);
  if (method > 1) throw new BadFrameError('reserved residual coding method');
  const paramBits = method === 0 ? 4 : 5;
  const escape = method === 0 ? 15 : 31;
  const partOrder = r.bits(4);
  const partitions = 1 << partOrder;
  const per = blockSize >> partOrder;
  if (per * partitions !== blockSize || per < order) throw new BadFrameError('bad residual partition order');
  let at = order;
  for (let p = 0; p < partitions; p++) {
    const count = p === 0 ? per - order : per;
    const k = r.bits(paramBits);
    if (k === escape) {
      const n = r.bits(5);
      for (let i = 0; i < count; i++) out[at + i] = r.signed(n);
    } else r.rice(out, at, count, k);
    at += count;
  }
}

function subframe(r: BitReader, out: Float64Array, blockSize: number, bps: number): void {
  if (r.bits(1) !== 0) throw new BadFrameError('subframe padding bit set');
  const type = r.bits(6);
  let wasted = 0;
  if (r.bits(1)) wasted = r.unary() + 1;
  const bits = bps - wasted;
  if (type === 0) {
    out.fill(r.signed(bits), 0, blockSize);
  } else if (type === 1) {
    for (let i = 0; i < blockSize; i++) out[i] = r.signed(bits);
  } else if (type >= 8 && type <= 12) {
    const order = type - 8;
    for (let i = 0; i < order; i++) out[i] = r.signed(bits);
    residual(r, out, blockSize, order);
    switch (order) {
      case 1:
        for (let i = 1; i < blockSize; i++) out[i]! += out[i - 1]!;
        break;
      case 2:
        for (let i = 2; i < blockSize; i++) out[i]! += 2 * out[i - 1]! - out[i - 2]!;
        break;
      case 3:
        for (let i = 3; i < blockSize; i++) out[i]! += 3 * out[i - 1]! - 3 * out[i - 2]! + out[i - 3]!;
        break;
      case 4:
        for (let i = 4; i < blockSize; i++)
          out[i]! += 4 * out[i - 1]! - 6 * out[i - 2]! + 4 * out[i - 3]! - out[i - 4]!;
        break;
      default:
        break;
    }
  } else if (type >= 32) {
    const order = type - 31;
    if (order > blockSize) throw new BadFrameError('LPC order exceeds block size');
    for (let i = 0; i < order; i++) out[i] = r.signed(bits);
    const precision = r.bits(4) + 1;
    if (precision === 16) throw new BadFrameError('invalid LPC precision');
    const shift = r.signed(5);
    if (shift < 0) throw new BadFrameError('negative LPC shift');
    const coefs = new Float64Array(order);
    for (let i = 0; i < order; i++) coefs[i] = r.signed(precision);
    residual(r, out, blockSize, order);
    const scale = 1 / 2 ** shift;
    for (let i = order; i < blockSize; i++) {
      let sum = 0;
      for (let j = 0; j < order; j++) sum += coefs[j]! * out[i - 1 - j]!;
      out[i]! += Math.floor(sum * scale);
    }
  } else throw new BadFrameError(`reserved subframe type ${type}`);
  if (wasted) {
    const m = 2 ** wasted;
    for (let i = 0; i < blockSize; i++) out[i]! *= m;
  }
}

/** Decodes the frame starting at `start`; throws OUT_OF_DATA when `buf` ends inside it. */
export function decodeFrame(
  buf: Uint8Array,
  start: number,
  end: number,
  info: StreamInfo,
  scratch: Float64Array[],
): DecodedFrame {
  const r = new BitReader(buf, start, end);
  const sync = r.bits(15);
  if (sync !== 0x7ffc) throw new BadFrameError('no frame sync');
  r.bits(1); // blocking strategy: the frame number is not needed for decoding
  const sizeCode = r.bits(4),
    rateCode = r.bits(4),
    assign = r.bits(4),
    sizeBits = r.bits(3);
  if (r.bits(1)) throw new BadFrameError('reserved header bit set');
  if (rateCode === 15 || sizeBits === 3 || assign > 10 || sizeCode === 0)
    throw new BadFrameError('reserved header value');
  utf8Number(r);
  let blockSize =
    sizeCode === 1 ? 192 : sizeCode <= 5 ? 576 << (sizeCode - 2) : sizeCode >= 8 ? 256 << (sizeCode - 8) : 0;
  if (sizeCode === 6) blockSize = r.bits(8) + 1;
  if (sizeCode === 7) blockSize = r.bits(16) + 1;
  let sampleRate = rateCode === 0 ? info.sampleRate : (RATES[rateCode] ?? 0);
  if (rateCode === 12) sampleRate = r.bits(8) * 1000;
  if (rateCode === 13) sampleRate = r.bits(16);
  if (rateCode === 14) sampleRate = r.bits(16) * 10;
  const headerEnd = r.bytePos;
  const crc = r.bits(8);
  if (crc8(buf, start, headerEnd) !== crc) throw new BadFrameError('header CRC mismatch');
  const bps = sizeBits === 0 ? info.bitsPerSample : SIZES[sizeBits]!;
  const channels = assign <= 7 ? assign + 1 : 2;
  if (channels !== info.channels)
    throw new BadFrameError(`frame has ${channels} channels, stream has ${info.channels}`);
  for (let c = 0; c < channels; c++) {
    if (scratch[c]!.length < blockSize) scratch[c] = new Float64Array(blockSize);
    const side = (assign === 8 && c === 1) || (assign === 9 && c === 0) || (assign === 10 && c === 1);
    subframe(r, scratch[c]!, blockSize, side ? bps + 1 : bps);
  }
  r.align();
  const frameEnd = r.bytePos;
  const crcOk = crc16(buf, start, frameEnd) === r.bits(16);
  const a = scratch[0]!,
    b = scratch[1]!;
  if (assign === 8) for (let i = 0; i < blockSize; i++) b[i] = a[i]! - b[i]!;
  else if (assign === 9) for (let i = 0; i < blockSize; i++) a[i]! += b[i]!;
  else if (assign === 10) {
    for (let i = 0; i < blockSize; i++) {
      const side = b[i]!;
      const mid = a[i]! * 2 + (Math.abs(side) % 2); // (mid << 1) | (side & 1), without 32-bit limits
      a[i] = (mid + side) / 2;
      b[i] = (mid - side) / 2;
    }
  }
  return { blockSize, channels: scratch.slice(0, channels), bitsPerSample: bps, end: r.bytePos, crcOk, sampleRate };
}
