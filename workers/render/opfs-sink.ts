/**
 * ByteSinks for the render worker. OpfsByteSink writes to a file in the origin-private file
 * system through a synchronous access handle (worker-only, written in place, not held in
 * memory), so a render of a 1 GB input stays bounded here too. MemoryBlobSink is the fallback
 * where OPFS sync handles are missing: parts kept as Blobs, which the browser may page out.
 */
import type { ByteSink } from '../../src/core/audio/byte-sink.ts';
import { BlobByteSource, type ByteSource } from '../../src/core/audio/byte-source.ts';

/** Folder of the origin-private file system that holds renders; only the latest is kept. */
const FOLDER = 'renders';

export class OpfsByteSink implements ByteSink {
  private position = 0;
  private closed = false;

  private constructor(
    readonly name: string,
    private readonly dir: FileSystemDirectoryHandle,
    private readonly handle: FileSystemFileHandle,
    private readonly access: FileSystemSyncAccessHandle,
  ) {}

  /** A sink for `name`, after deleting earlier renders; null where OPFS sync access is missing. */
  static async open(name: string): Promise<OpfsByteSink | null> {
    try {
      const root = await navigator.storage.getDirectory();
      const dir = await root.getDirectoryHandle(FOLDER, { create: true });
      const old: string[] = [];
      for await (const key of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) old.push(key);
      for (const key of old) await dir.removeEntry(key).catch(() => {});
      const handle = await dir.getFileHandle(name, { create: true });
      const access = await handle.createSyncAccessHandle();
      access.truncate(0);
      return new OpfsByteSink(name, dir, handle, access);
    } catch {
      return null;
    }
  }

  async write(bytes: Uint8Array): Promise<void> {
    let done = 0;
    while (done < bytes.length) done += this.access.write(bytes.subarray(done), { at: this.position + done });
    this.position += bytes.length;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.access.flush();
    this.access.close();
  }

  async abort(): Promise<void> {
    await this.close();
    await this.dir.removeEntry(this.name).catch(() => {});
  }

  async file(): Promise<File> {
    return this.handle.getFile();
  }

  async readBack(): Promise<ByteSource> {
    return new BlobByteSource(this.name, await this.file());
  }
}

export class MemoryBlobSink implements ByteSink {
  private parts: Blob[] = [];

  constructor(readonly name: string) {}

  async write(bytes: Uint8Array): Promise<void> {
    this.parts.push(new Blob([bytes as Uint8Array<ArrayBuffer>]));
  }

  async close(): Promise<void> {}

  async abort(): Promise<void> {
    this.parts = [];
  }

  async file(): Promise<File> {
    return new File(this.parts, this.name, { type: 'audio/wav' });
  }

  async readBack(): Promise<ByteSource> {
    return new BlobByteSource(this.name, await this.file());
  }
}
