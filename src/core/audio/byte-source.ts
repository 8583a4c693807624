/**
 * Where encoded bytes come from. Decoders pull byte ranges, so a browser `File` (via
 * `file.slice(a, b).arrayBuffer()`), a Node file descriptor (`fs.read`) or an in-memory buffer
 * can all feed them without the whole file ever being loaded.
 */
export interface ByteSource {
  /** Shown in every message about this input (a file name or path). */
  readonly name: string;
  /** Total size in bytes. */
  readonly size: number;
  /** Up to `length` bytes starting at `offset`; fewer only at the end of the source. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * Bytes `from`..`to` in order, as views of `chunkBytes` each (fewer only at the end), each
   * valid only until the next is asked for: a source that can fills one buffer again and again
   * instead of allocating one per read. Optional, and null where the source cannot stream;
   * readers then use `readSequence`.
   */
  sequence?(from: number, to: number, chunkBytes: number): AsyncIterable<Uint8Array> | null;
}

/** Bytes `from`..`to` of a source by plain reads of `chunkBytes`, stopping early where it ends. */
export async function* readSequence(
  source: ByteSource,
  from: number,
  to: number,
  chunkBytes: number,
): AsyncGenerator<Uint8Array> {
  for (let at = from; at < to;) {
    const want = Math.min(chunkBytes, to - at);
    const bytes = await source.read(at, want);
    if (bytes.length > 0) yield bytes;
    if (bytes.length < want) return;
    at += want;
  }
}

/** A ByteSource over bytes already in memory (tests, small files, drag-and-drop buffers). */
export class MemoryByteSource implements ByteSource {
  readonly size: number;
  constructor(
    readonly name: string,
    private readonly bytes: Uint8Array,
  ) {
    this.size = bytes.length;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    return this.bytes.subarray(Math.min(offset, this.size), Math.min(offset + length, this.size));
  }
}

/**
 * The part of a browser/worker Blob or File the core reads, named structurally so the core
 * needs no DOM types (a Blob, a File and Node's Blob all fit).
 */
export interface BlobLike {
  readonly size: number;
  slice(start: number, end: number): BlobSliceLike;
}

interface BlobSliceLike {
  arrayBuffer(): Promise<ArrayBuffer>;
  stream?(): { getReader(options: { mode: 'byob' }): ByobReaderLike };
}

interface ByobReaderLike {
  read(view: Uint8Array<ArrayBuffer>): Promise<{ done: boolean; value?: Uint8Array | undefined }>;
  cancel(): Promise<void>;
}

/**
 * WebKit (Safari, WebKitGTK) reads a Blob's byte stream much more slowly than its slices: the
 * 4-minute WAV took 2.8-3.6 s to analyse in WebKitGTK's worker through BYOB reads against
 * 1.4-2.2 s through 4 MB slices (the same build otherwise, alternating, one run). So WebKit
 * reads slices, as it did before streaming came in for Chromium's memory (the memory e2e runs
 * in Chromium). Told apart by the user agent: WebKit's says AppleWebKit without Chrome's token.
 */
function byteStreamsAreSlow(): boolean {
  const agent = (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent ?? '';
  return /AppleWebKit/.test(agent) && !/Chrome\/|Chromium\//.test(agent);
}
const SLICES_ARE_FASTER = byteStreamsAreSlow();

/**
 * A Blob's bytes `from`..`to` through a BYOB reader into one buffer of `chunkBytes`, reused for
 * every chunk (see ByteSource.sequence). `slice().arrayBuffer()` allocates a new buffer per
 * read, and V8 collects dead ArrayBuffers only once some 64 MB of them have piled up: each
 * analysis worker reading a 1 GB file carried ~90 MB nobody needed. Streaming was also faster
 * in Chromium (384 MB: 0.2-0.3 s against 3.8 s for 4 MB slices of an in-memory Blob). Null where
 * a Blob's stream is not a byte stream (an engine without readable byte streams), so the
 * caller reads slices as before, and in WebKit, where slices are faster (byteStreamsAreSlow).
 */
export function blobSequence(
  blob: BlobLike,
  from: number,
  to: number,
  chunkBytes: number,
): AsyncIterable<Uint8Array> | null {
  if (SLICES_ARE_FASTER) return null;
  let reader: ByobReaderLike | undefined;
  const slice = blob.slice(from, to);
  try {
    reader = slice.stream?.().getReader({ mode: 'byob' });
  } catch {
    return null; // not a byte stream: no BYOB reader
  }
  return reader ? byobChunks(slice, reader, chunkBytes) : null;
}

/**
 * The blob streams being read, held from module scope until their reader is done. A pending read
 * of a blob's stream is otherwise reachable only from its own promise chain, and the engines have
 * collected such a stream mid-read, so the read never settled and the job waiting on it went
 * with it: bench:render's browser worker hung at 74 % of a render, idle, on the third run of a
 * warm worker, Chromium 156 (WebKit fixed the same in its blob streams in 2025). The regression
 * test forces collections mid-read: tests/e2e/blob-stream-gc.test.ts.
 */
const streamsBeingRead = new Set<object>();

async function* byobChunks(slice: object, reader: ByobReaderLike, chunkBytes: number): AsyncGenerator<Uint8Array> {
  let buffer: Uint8Array<ArrayBuffer> = new Uint8Array(chunkBytes);
  const held = { slice, reader };
  streamsBeingRead.add(held);
  try {
    for (;;) {
      let filled = 0,
        ended = false;
      while (filled < chunkBytes && !ended) {
        const { done, value } = await reader.read(buffer.subarray(filled));
        // A BYOB read takes the buffer away and hands it back in `value`: keep hold of it.
        if (value) buffer = new Uint8Array(value.buffer as ArrayBuffer, 0, chunkBytes);
        if (done || !value) ended = true;
        else filled += value.byteLength;
      }
      if (filled > 0) yield buffer.subarray(0, filled);
      if (ended) return;
    }
  } finally {
    streamsBeingRead.delete(held);
    // Stopped early (a cancel, a decode error): let the browser stop reading the file.
    reader.cancel().catch(() => {});
  }
}

/** A ByteSource over a browser/worker Blob or File: only the slices asked for are read. */
export class BlobByteSource implements ByteSource {
  readonly size: number;
  constructor(
    readonly name: string,
    private readonly blob: BlobLike,
  ) {
    this.size = blob.size;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    return new Uint8Array(await this.blob.slice(offset, Math.min(offset + length, this.size)).arrayBuffer());
  }

  sequence(from: number, to: number, chunkBytes: number): AsyncIterable<Uint8Array> | null {
    return blobSequence(this.blob, from, to, chunkBytes);
  }
}
