/**
 * The part of the WebAssembly API that src/core/dsp/wasm-kernels.ts uses. The DOM and WebWorker
 * libraries declare it; the runtimes without them (src/core alone, Node, the AudioWorklet, all
 * of which have WebAssembly at run time) get it from this file, included by their tsconfig.
 */
type BufferSource = ArrayBuffer | ArrayBufferView;

declare namespace WebAssembly {
  class Module {
    constructor(bytes: BufferSource);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
    grow(delta: number): number;
  }
  function compile(bytes: BufferSource): Promise<Module>;
}
