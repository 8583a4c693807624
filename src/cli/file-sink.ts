/**
 * A ByteSink over a Node file: bytes go to `<out>.part` and the file is renamed into place on
 * close, so a cancelled or failed render never leaves a half-written WAV under the chosen name.
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { ByteSink } from '../core/audio/byte-sink.ts';
import type { ByteSource } from '../core/audio/byte-source.ts';
import { FileByteSource } from './analyze.ts';

export class FileByteSink implements ByteSink {
  private fd: number | null;
  private readonly partial: string;
  private source: FileByteSource | null = null;

  constructor(readonly path: string) {
    this.partial = `${path}.part`;
    this.fd = openSync(this.partial, 'w');
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.fd === null) throw new Error(`${this.path}: already closed`);
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
  }

  async close(): Promise<void> {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
    renameSync(this.partial, this.path);
  }

  async abort(): Promise<void> {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    this.source?.close();
    rmSync(this.partial, { force: true });
  }

  async readBack(): Promise<ByteSource> {
    this.source ??= new FileByteSource(this.path);
    return this.source;
  }

  /** Closes the read-back descriptor. */
  release(): void {
    this.source?.close();
    this.source = null;
  }
}
