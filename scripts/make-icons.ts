/**
 * Draws Mixdesk's app icons (three faders on a dark ground) into public/icons as PNG.
 * Run once when the design changes: `node --import tsx scripts/make-icons.ts`. The PNGs are
 * committed, so builds need no image tools.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

type RGBA = [number, number, number, number];
const BACKGROUND: RGBA = [20, 22, 26, 255];
const TRACK: RGBA = [58, 63, 72, 255];
const KNOBS: RGBA[] = [
  [255, 153, 51, 255],
  [64, 200, 190, 255],
  [240, 240, 240, 255],
];

function crc32(bytes: Uint8Array): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

function png(size: number, pixel: (x: number, y: number) => RGBA): Buffer {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) raw.set(pixel(x + 0.5, y + 0.5), y * (size * 4 + 1) + 1 + x * 4);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8;
  header[9] = 6; // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array()),
  ]);
}

/** Faders in the unit square scaled by `content` around the centre; corners rounded unless full-bleed. */
function icon(size: number, content: number, rounded: boolean): Buffer {
  const knobY = [0.62, 0.38, 0.52];
  return png(size, (px, py) => {
    const x = px / size,
      y = py / size;
    if (rounded) {
      const r = 0.18,
        cx = Math.min(Math.max(x, r), 1 - r),
        cy = Math.min(Math.max(y, r), 1 - r);
      if (Math.hypot(x - cx, y - cy) > r) return [0, 0, 0, 0];
    }
    const u = (x - 0.5) / content + 0.5,
      v = (y - 0.5) / content + 0.5;
    for (let i = 0; i < 3; i++) {
      const centre = 0.25 + i * 0.25;
      if (Math.abs(u - centre) < 0.085 && Math.abs(v - knobY[i]!) < 0.05) return KNOBS[i]!;
      if (Math.abs(u - centre) < 0.018 && v > 0.15 && v < 0.85) return TRACK;
    }
    return BACKGROUND;
  });
}

const dir = new URL('../public/icons/', import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL('icon-192.png', dir), icon(192, 1, true));
writeFileSync(new URL('icon-512.png', dir), icon(512, 1, true));
writeFileSync(new URL('maskable-512.png', dir), icon(512, 0.72, false));
writeFileSync(new URL('apple-touch-icon.png', dir), icon(180, 0.85, false));
console.log('icons written to public/icons');
