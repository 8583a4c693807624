/**
 * The live meter's true peak leaves out the player's joins: a splice like the one WebKitGTK's
 * media element makes 40 ms into playback must not read as a peak the file does not have.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { kWeightingFilters } from '../../../src/core/dsp/k-weighting.ts';
import { makeTsKernels } from '../../../src/core/dsp/kernels.ts';
import { JOIN_SETTLE_SECONDS, PeakSettle } from '../../../src/core/dsp/peak-settle.ts';

const settle = suite('live true peak around the player’s joins');
const RATE = 48000;
const AMPLITUDE = 10 ** (-23 / 20);
const QUANTUM = 128;

/** A -23 dBFS 1 kHz tone after `silence` zero frames, repeating 12 samples 40 ms after it starts (WebKitGTK's splice). */
function splicedTone(silence: number, frames: number): Float32Array {
  const out = new Float32Array(silence + frames);
  const splice = Math.round(0.04 * RATE);
  for (let n = 0; n < frames; n++) {
    const phase = n < splice ? n : n - 12;
    out[silence + n] = AMPLITUDE * Math.sin((2 * Math.PI * 1000 * phase) / RATE);
  }
  return out;
}

/** The held true peak in dBTP, metered render quantum by render quantum as the worklet does. */
function heldTruePeak(signal: Float32Array, guard: PeakSettle | null, joinAt = -1): number {
  const kernels = makeTsKernels(1, kWeightingFilters(RATE));
  let held = 0;
  for (let offset = 0; offset + QUANTUM <= signal.length; offset += QUANTUM) {
    if (offset === joinAt) guard?.join();
    const block = signal.subarray(offset, offset + QUANTUM);
    kernels.begin(QUANTUM);
    kernels.load(0, block, QUANTUM);
    const counts = guard ? guard.counts([block], QUANTUM) : true;
    const peak = kernels.truePeak(0, 0);
    if (counts) held = Math.max(held, peak);
  }
  return 20 * Math.log10(held);
}

settle('Regression: a splice 40 ms into playback reads about 1 dB hot without the settle, and not with it', () => {
  // Silence first (the graph runs before the media starts): it must not use the window up.
  const signal = splicedTone(40 * QUANTUM, RATE);
  const raw = heldTruePeak(signal, null);
  assert.ok(raw > -22.5, `the splice overshoots: ${raw.toFixed(2)} dBTP`);
  const settled = heldTruePeak(signal, new PeakSettle(RATE));
  assert.ok(Math.abs(settled - -23) < 0.05, `settled ${settled.toFixed(3)} dBTP`);
});

settle('after the settle window peaks count again, and a join opens a new window', () => {
  const guard = new PeakSettle(RATE);
  const loud = [new Float32Array(QUANTUM).fill(0.5)];
  const windowBlocks = Math.ceil((JOIN_SETTLE_SECONDS * RATE) / QUANTUM);
  for (let i = 0; i < windowBlocks; i++) assert.not.ok(guard.counts(loud, QUANTUM), `block ${i} is inside the window`);
  assert.ok(guard.counts(loud, QUANTUM));
  guard.join();
  assert.not.ok(guard.counts(loud, QUANTUM));
  // Digital silence later in a file does not reopen the window: only a join does.
  const after = new PeakSettle(RATE, 0);
  assert.ok(after.counts([new Float32Array(QUANTUM)], QUANTUM));
  assert.ok(after.counts(loud, QUANTUM));
});

settle.run();
