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
  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> };
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
}
