/**
 * The few AudioWorkletGlobalScope globals the meter uses. tsconfig.worker.json has lib WebWorker
 * (no DOM, no AudioWorklet types), so they are declared here.
 */
declare const sampleRate: number;
declare const currentTime: number;

declare abstract class AudioWorkletProcessor {
  readonly port: MessagePort;
  constructor(options?: { processorOptions?: unknown; numberOfInputs?: number; numberOfOutputs?: number });
  abstract process(inputs: Float32Array[][], outputs: Float32Array[][], parameters: Record<string, Float32Array>): boolean;
}

declare function registerProcessor(name: string, processorCtor: new (options?: { processorOptions?: unknown }) => AudioWorkletProcessor): void;
