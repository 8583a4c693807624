/**
 * The globals src/core may use besides ES2022: text codecs and abort signals, which browsers,
 * workers and Node all have. tsconfig.core.json type-checks src/core with ES2022, these and
 * src/webassembly.d.ts only, so a timer, fetch, the DOM or a Node API in core code fails the
 * type-check. Declared as narrowly as core uses them; widen here when core needs more.
 */
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}

declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: ArrayBuffer | ArrayBufferView, options?: { stream?: boolean }): string;
}

interface AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
}

declare class AbortController {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
}
