/**
 * Plays a file through the live meter: an <audio> element (the browser streams it; nothing is
 * decoded in JS) feeds an AudioWorkletNode running workers/meter.worklet.ts, which passes the
 * audio on to the speakers and posts meter readings. The AudioContext runs at the file's own
 * sample rate where the browser allows it, so the meter sees the samples unresampled.
 *
 * The worklet is bundled by Vite as its own ES module (`?worker&url`: a plain
 * `new URL('x.ts', import.meta.url)` would copy the TypeScript source untranspiled) and the
 * service worker precaches it with the other assets/*.js.
 */
import meterUrl from '../../../workers/meter.worklet.ts?worker&url';
import { METER_JOIN_MESSAGE } from '../../core/dsp/peak-settle.ts';

export interface MeterReading {
  momentary: number | null;
  shortTerm: number | null;
  /** Largest true peak since the previous reading, dBTP. */
  truePeak: number | null;
  correlation: number | null;
  seconds: number;
  /** Whether the worklet runs the WASM kernels (else the TypeScript reference). */
  wasm: boolean;
}

export interface LivePlayback {
  /** Resolves when the file has played to its end (or playback was stopped). */
  readonly ended: Promise<void>;
  /** The context's rate: the file's own when the browser allows it. */
  readonly sampleRate: number;
  stop(): Promise<void>;
}

const finite = (v: number | undefined): number | null => (v !== undefined && Number.isFinite(v) ? v : null);

export function readingFrom(values: Float64Array): MeterReading {
  return {
    momentary: finite(values[0]),
    shortTerm: finite(values[1]),
    truePeak: finite(values[2]),
    correlation: finite(values[3]),
    seconds: values[4] ?? 0,
    wasm: values[5] === 1,
  };
}

/** Adds the meter processor to `context` and returns a node metering `channels` channels. */
export async function makeMeterNode(
  context: BaseAudioContext,
  channels: number,
  onReading: (r: MeterReading) => void,
): Promise<AudioWorkletNode> {
  await context.audioWorklet.addModule(meterUrl);
  const node = new AudioWorkletNode(context, 'mixdesk-live-meter', {
    numberOfInputs: 1,
    numberOfOutputs: 1,
    outputChannelCount: [channels],
    channelCount: channels,
    channelCountMode: 'explicit',
    channelInterpretation: 'discrete',
    processorOptions: { channels },
  });
  node.port.onmessage = (event: MessageEvent<Float64Array>) => onReading(readingFrom(event.data));
  return node;
}

/**
 * Tells the meter where the player joins audio (play or resume, a seek, a loop's jump back), so
 * its true peak leaves the splice out (core/dsp/peak-settle.ts).
 */
export function reportJoins(media: HTMLMediaElement, node: AudioWorkletNode): void {
  const join = () => node.port.postMessage(METER_JOIN_MESSAGE);
  media.addEventListener('play', join);
  media.addEventListener('seeking', join);
}

function openContext(sampleRate: number): AudioContext {
  try {
    return new AudioContext({ sampleRate, latencyHint: 'playback' });
  } catch {
    return new AudioContext({ latencyHint: 'playback' });
  }
}

/** How long the audio output may take to start before the live meter gives up. */
const OUTPUT_START_MS = 5000;
export const NO_OUTPUT_MESSAGE =
  "The live meter needs this device's audio output, which did not start within 5 s (the browser blocked it, or there is no sound device). The analysis above is complete without it.";

export async function playWithMeter(
  file: Blob,
  name: string,
  sampleRate: number,
  channels: number,
  onReading: (r: MeterReading) => void,
): Promise<LivePlayback> {
  if (typeof AudioContext !== 'function' || typeof AudioWorkletNode !== 'function')
    throw new Error('this browser cannot play audio through a live meter (no AudioWorklet)');
  const context = openContext(sampleRate);
  const url = URL.createObjectURL(file);
  const audio = new Audio();
  audio.src = url;
  const stop = async () => {
    audio.pause();
    URL.revokeObjectURL(url);
    if (context.state !== 'closed') await context.close();
  };
  try {
    const node = await makeMeterNode(context, Math.min(8, channels), onReading);
    context.createMediaElementSource(audio).connect(node).connect(context.destination);
    reportJoins(audio, node);
    // Where the browser does not let the audio output start (seen in WebKitGTK under an
    // autoplay policy that blocks it) resume() never settles; bounded, so the page says so instead of waiting for ever.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const started = await Promise.race([
      context.resume().then(() => true),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), OUTPUT_START_MS);
      }),
    ]);
    clearTimeout(timer);
    if (!started) {
      void stop().catch(() => undefined);
      throw new Error(NO_OUTPUT_MESSAGE);
    }
    const ended = new Promise<void>((resolve) => {
      audio.addEventListener('ended', () => resolve());
      audio.addEventListener('pause', () => resolve());
    });
    await audio.play();
    void ended.then(stop);
    return { ended, sampleRate: context.sampleRate, stop };
  } catch (error) {
    if (error instanceof Error && error.message === NO_OUTPUT_MESSAGE) throw error;
    await stop();
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`${name}: this browser cannot play this file (${why})`);
  }
}
