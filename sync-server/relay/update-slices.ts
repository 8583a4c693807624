/**
 * Bounding the work of one Yjs update before it is applied.
 *
 * Applying an update costs about a microsecond per struct (item) on the event loop, and Yjs
 * integrates a whole update in one go: one valid 5 MB update of 300,000 map entries froze the
 * relay for seconds. Refusing big updates is no answer, because an honest first sync of a large
 * document (a client that edited offline) arrives as one sync step 2 in one frame.
 *
 * So the relay reads the update's struct layout (V1 encoding) without building any struct —
 * a skip over the bytes, no allocation per struct — and:
 *  - refuses it when it declares more than `maxStructs` structs (checked on the block headers
 *    as they are reached, so refusing costs at most the scan of `maxStructs` structs);
 *  - applies it whole when it has at most `sliceStructs` structs (every ordinary edit);
 *  - otherwise cuts it into slices of at most `sliceStructs` structs each, which the
 *    connection applies one per event-loop turn. A slice is a valid update on its own: V1
 *    writes every struct self-contained (origins as full ids), so a run of structs is copied
 *    byte for byte under a block header naming its client and first clock. The delete set goes
 *    with the last slice. A slice whose structs build on a later slice waits in Yjs's pending
 *    store until that slice arrives, as any out-of-order update does.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { StructLayout } from './transaction-update.ts';

export interface UpdateLimits {
  /** Structs one update may carry; more closes the connection with 1008. */
  maxStructs: number;
  /** Structs applied in one event-loop turn; a larger update is applied in slices of this size. */
  sliceStructs: number;
}

/**
 * 250 structs apply in well under a millisecond once the code is warm, and in tens of ms while
 * it is still cold; the connection applies as many slices per event-loop turn as fit its
 * time budget. 500,000 is far above an honest Mixdesk document: the imported file is one struct (its
 * bytes), and each edited fact (attribute, text, placement) is one map entry, so even copying
 * a whole 256-strip console is tens of thousands.
 */
export const DEFAULT_UPDATE_LIMITS: UpdateLimits = { maxStructs: 500_000, sliceStructs: 250 };

export type UpdatePlan =
  /** `layout`: where its structs sit (null past MAX_LAYOUT_BLOCKS blocks), for appliedAsSent. */
  | { kind: 'whole'; structs: number; layout: StructLayout | null }
  | { kind: 'too-many'; structs: number }
  | { kind: 'slices'; structs: number; slices: Uint8Array[] };

/** A run of consecutive structs of one client, as bytes of the update. */
interface Run {
  client: number;
  clock: number;
  count: number;
  start: number;
  end: number;
}

const BIT6 = 32;
const BIT7 = 64;
const BIT8 = 128;
const BITS5 = 31;

/**
 * Blocks of an update whose layout is kept (an honest edit has one per client it touches); a
 * crafted update of empty blocks costs no struct budget, so the layout is bounded on its own.
 */
const MAX_LAYOUT_BLOCKS = 64;

/** The scan yields after this many structs (it costs about a microsecond per struct at most). */
export const SCAN_STRUCTS_PER_TURN = 2_000;

/** planUpdate in one go (tests, small updates). */
export function planUpdate(update: Uint8Array, limits: UpdateLimits): UpdatePlan {
  const scan = scanUpdate(update, limits);
  for (;;) {
    const step = scan.next();
    if (step.done) return step.value;
  }
}

/**
 * Reads (and checks) the struct layout of a V1 update and says how to apply it; throws on
 * malformed bytes. Yields after every SCAN_STRUCTS_PER_TURN structs so the caller can let
 * the event loop run between parts of a long scan.
 */
export function* scanUpdate(update: Uint8Array, limits: UpdateLimits): Generator<void, UpdatePlan, void> {
  const decoder = decoding.createDecoder(update);
  const blocks = decoding.readVarUint(decoder);
  let structs = 0;
  let scanned = 0;
  const runs: Run[] = [];
  const layout: number[] | null = blocks <= MAX_LAYOUT_BLOCKS ? [] : null;
  for (let b = 0; b < blocks; b++) {
    const count = decoding.readVarUint(decoder);
    const client = decoding.readVarUint(decoder);
    let clock = decoding.readVarUint(decoder);
    const from = clock;
    structs += count;
    if (structs > limits.maxStructs) return { kind: 'too-many', structs };
    let run: Run = { client, clock, count: 0, start: decoder.pos, end: decoder.pos };
    for (let i = 0; i < count; i++) {
      if (run.count === limits.sliceStructs) {
        runs.push(run);
        run = { client, clock, count: 0, start: decoder.pos, end: decoder.pos };
      }
      clock += skipStruct(decoder);
      run.count++;
      run.end = decoder.pos;
      if (++scanned % SCAN_STRUCTS_PER_TURN === 0) yield;
    }
    if (run.count > 0) runs.push(run);
    layout?.push(client, from, clock);
  }
  if (structs <= limits.sliceStructs)
    return { kind: 'whole', structs, layout: layout && endsWithDeleteSet(decoder) ? layout : null };
  return { kind: 'slices', structs, slices: cut(update, runs, decoder.pos, limits.sliceStructs) };
}

/** Groups runs into slices of at most `sliceStructs` structs; the delete set goes with the last. */
function cut(update: Uint8Array, runs: Run[], deleteSetStart: number, sliceStructs: number): Uint8Array[] {
  const groups: Run[][] = [];
  let group: Run[] = [];
  let size = 0;
  for (const run of runs) {
    if (size + run.count > sliceStructs && group.length > 0) {
      groups.push(group);
      group = [];
      size = 0;
    }
    group.push(run);
    size += run.count;
  }
  if (group.length > 0) groups.push(group);
  const emptyDeleteSet = Uint8Array.of(0);
  return groups.map((runsOfSlice, i) => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, runsOfSlice.length);
    for (const run of runsOfSlice) {
      encoding.writeVarUint(encoder, run.count);
      encoding.writeVarUint(encoder, run.client);
      encoding.writeVarUint(encoder, run.clock);
      encoding.writeUint8Array(encoder, update.subarray(run.start, run.end));
    }
    encoding.writeUint8Array(encoder, i === groups.length - 1 ? update.subarray(deleteSetStart) : emptyDeleteSet);
    return encoding.toUint8Array(encoder);
  });
}

/**
 * Whether the rest of the update is exactly one delete set (V1: clients, then per client its
 * id and (clock, length) pairs). An update with bytes after it is still applied (Yjs ignores
 * them) but is not stored or sent as it came (appliedAsSent): only what Yjs read goes on.
 */
function endsWithDeleteSet(decoder: decoding.Decoder): boolean {
  const rest = decoding.clone(decoder);
  try {
    const clients = decoding.readVarUint(rest);
    for (let c = 0; c < clients; c++) {
      decoding.readVarUint(rest);
      const ranges = decoding.readVarUint(rest);
      for (let r = 0; r < ranges; r++) {
        decoding.readVarUint(rest);
        decoding.readVarUint(rest);
      }
    }
  } catch {
    return false;
  }
  return rest.pos === rest.arr.length;
}

/** Skips one struct (GC, Skip or Item) and returns its length in clock units. */
function skipStruct(decoder: decoding.Decoder): number {
  const info = decoding.readUint8(decoder);
  const ref = info & BITS5;
  if (ref === 0 || ref === 10) return decoding.readVarUint(decoder); // GC, Skip
  if ((info & BIT8) !== 0) skipId(decoder); // origin
  if ((info & BIT7) !== 0) skipId(decoder); // right origin
  if ((info & (BIT7 | BIT8)) === 0) {
    if (decoding.readVarUint(decoder) === 1) skipString(decoder);
    else skipId(decoder); // parent
    if ((info & BIT6) !== 0) skipString(decoder); // parentSub (map key)
  }
  return skipContent(decoder, ref);
}

function skipContent(decoder: decoding.Decoder, ref: number): number {
  switch (ref) {
    case 1: // deleted
      return decoding.readVarUint(decoder);
    case 2: {
      // JSON
      const len = decoding.readVarUint(decoder);
      for (let i = 0; i < len; i++) skipString(decoder);
      return len;
    }
    case 3: // binary
      skipString(decoder);
      return 1;
    case 4: // string: its length is in UTF-16 code units
      return skipUtf16Length(decoder);
    case 5: // embed
      skipString(decoder);
      return 1;
    case 6: // format
      skipString(decoder);
      skipString(decoder);
      return 1;
    case 7: {
      // type: XmlElement and XmlHook carry a name
      const typeRef = decoding.readVarUint(decoder);
      if (typeRef === 3 || typeRef === 5) skipString(decoder);
      return 1;
    }
    case 8: {
      // any
      const len = decoding.readVarUint(decoder);
      for (let i = 0; i < len; i++) skipAny(decoder, 0);
      return len;
    }
    case 9: // sub-document
      skipString(decoder);
      skipAny(decoder, 0);
      return 1;
    default:
      throw new Error(`unknown struct content ${ref}`);
  }
}

function skipId(decoder: decoding.Decoder): void {
  decoding.readVarUint(decoder);
  decoding.readVarUint(decoder);
}

/** Moves past `n` bytes without reading them (no view, no copy: this runs once per string). */
function skipBytes(decoder: decoding.Decoder, n: number): void {
  if (decoder.pos + n > decoder.arr.length) throw new Error('unexpected end of update');
  decoder.pos += n;
}

function skipString(decoder: decoding.Decoder): void {
  skipBytes(decoder, decoding.readVarUint(decoder));
}

/** Skips a UTF-8 string and returns its length in UTF-16 code units (a Yjs string's clock length). */
function skipUtf16Length(decoder: decoding.Decoder): number {
  const len = decoding.readVarUint(decoder);
  const start = decoder.pos;
  skipBytes(decoder, len);
  const bytes = decoder.arr;
  let units = 0;
  for (let i = start; i < decoder.pos; i++) {
    const byte = bytes[i]!;
    if ((byte & 0xc0) !== 0x80) units++; // start of a code point
    if (byte >= 0xf0) units++; // 4-byte sequence: a surrogate pair
  }
  return units;
}

/** Deeper `any` values than this are refused (Yjs's own reader would overflow the stack first). */
const MAX_ANY_DEPTH = 1000;

/** Skips one lib0 `any` value (the encoding of map values and array entries). */
function skipAny(decoder: decoding.Decoder, depth: number): void {
  if (depth > MAX_ANY_DEPTH) throw new Error('value nested too deeply');
  const type = decoding.readUint8(decoder);
  switch (type) {
    case 127: // undefined
    case 126: // null
    case 121: // false
    case 120: // true
      return;
    case 125: // integer
      decoding.readVarInt(decoder);
      return;
    case 124: // float32
      skipBytes(decoder, 4);
      return;
    case 123: // float64
    case 122: // bigint
      skipBytes(decoder, 8);
      return;
    case 119: // string
    case 116: // Uint8Array
      skipString(decoder);
      return;
    case 118: {
      // object
      const len = decoding.readVarUint(decoder);
      for (let i = 0; i < len; i++) {
        skipString(decoder);
        skipAny(decoder, depth + 1);
      }
      return;
    }
    case 117: {
      // array
      const len = decoding.readVarUint(decoder);
      for (let i = 0; i < len; i++) skipAny(decoder, depth + 1);
      return;
    }
    default:
      throw new Error(`unknown value type ${type}`);
  }
}
