/**
 * The few AudioWorkletGlobalScope globals the meter uses. tsconfig.worklet.json has no DOM or
 * WebWorker library (a worklet has no timers, fetch or importScripts), so they are declared
 * here, MessagePort as far as the meter uses it.
 */
interface MessagePort {
  postMessage(message: unknown): void;
  onmessage: ((event: { data: unknown }) => void) | null;
}

declare const sampleRate: number;
declare const currentTime: number;

declare abstract class AudioWorkletProcessor {
  readonly port: MessagePort;
  constructor(options?: { processorOptions?: unknown; numberOfInputs?: number; numberOfOutputs?: number });
  abstract process(
    inputs: Float32Array[][],
    outputs: Float32Array[][],
    parameters: Record<string, Float32Array>,
  ): boolean;
}

declare function registerProcessor(
  name: string,
  processorCtor: new (options?: { processorOptions?: unknown }) => AudioWorkletProcessor,
): void;
