/**
 * Where a render's bytes go, written in order: a Node file (the CLI), an origin-private file
 * or a list of Blob parts (the browser worker). After `close()` the bytes can be read back as a
 * ByteSource, which is how a render is re-verified by the same streaming analysis.
 * `abort()` discards what was written (a cancelled render leaves no half file).
 */
import { MemoryByteSource, type ByteSource } from './byte-source.ts';

export interface ByteSink {
  /** Appends `bytes`; the sink may keep the array, so the caller must not reuse it. */
  write(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
  abort(): Promise<void>;
  /** The written bytes, readable after close(). */
  readBack(): Promise<ByteSource>;
}

/** A ByteSink in memory: tests and small renders. */
export class MemoryByteSink implements ByteSink {
  private parts: Uint8Array[] = [];
  private size = 0;

  constructor(readonly name: string) {}

  async write(bytes: Uint8Array): Promise<void> {
    this.parts.push(bytes);
    this.size += bytes.length;
  }

  async close(): Promise<void> {}

  async abort(): Promise<void> {
    this.parts = [];
    this.size = 0;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }

  async readBack(): Promise<ByteSource> {
    return new MemoryByteSource(this.name, this.bytes());
  }
}
