/**
 * The codec check's streaming and its verdict, with a round trip of known behaviour (a gain
 * and a delay, no codec): overs land at source times once the delay is skipped, the codec's
 * tail padding cannot add overs past the end, the sentence names the times and a ceiling, and
 * a round trip that cannot run here is said plainly.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { codecCheckAudio, CodecUnavailableError } from '../../../src/core/codec/codec-check-audio.ts';
import { suggestCeiling } from '../../../src/core/codec/codec-check.ts';
import {
  firstAvailable,
  type CodecRoundTrip,
  type DecodedBlock,
  type RoundTripFactory,
} from '../../../src/core/codec/round-trip.ts';
import { findTarget, type StreamingTarget } from '../../../src/core/diagnostics/delivery-targets.ts';
import { MemoryByteSource } from '../../../src/core/audio/byte-source.ts';
import { writeWav } from '../../support/wav-writer.ts';
import { dbToAmp } from '../../support/signals.ts';

const RATE = 48000;
const apple = findTarget('apple') as StreamingTarget;

/** A "codec" that raises the level by `gainDb`, answers `delay` frames late and pads `tail` frames of full scale at the end. */
class GainRoundTrip implements CodecRoundTrip {
  readonly encoder = 'test gain';
  private head = true;
  constructor(
    private readonly gain: number,
    readonly delayFrames: number,
    private readonly tail: number,
    private readonly channels: number,
  ) {}
  push(planes: Float32Array[]): Promise<DecodedBlock[]> {
    const out: DecodedBlock[] = [];
    if (this.head) out.push({ planes: planesOf(this.channels, this.delayFrames), sampleRate: RATE });
    this.head = false;
    out.push({ planes: planes.map((p) => p.map((v) => v * this.gain)), sampleRate: RATE });
    return Promise.resolve(out);
  }
  flush(): Promise<DecodedBlock[]> {
    const pad = planesOf(this.channels, this.delayFrames + this.tail).map((p) => p.fill(0.999 * this.gain));
    return Promise.resolve([{ planes: pad, sampleRate: RATE }]);
  }
  close(): void {}
}

const gainRoundTrip =
  (gainDb: number, delay: number, tail = 0): RoundTripFactory =>
  (r) =>
    Promise.resolve(new GainRoundTrip(dbToAmp(gainDb), delay, tail, r.channels));

const planesOf = (channels: number, n: number) => Array.from({ length: channels }, () => new Float32Array(n));

/** 4 s stereo: a -20 dBFS 997 Hz tone with two bursts at -0.3 dBFS at 1.0 s and 3.0 s. */
function source(): MemoryByteSource {
  const n = 4 * RATE;
  const planes = planesOf(2, n);
  for (let i = 0; i < n; i++) {
    const t = i / RATE;
    const loud = (t >= 1 && t < 1.2) || (t >= 3 && t < 3.2);
    const v = (loud ? dbToAmp(-0.3) : dbToAmp(-20)) * Math.sin(2 * Math.PI * 997 * t);
    planes[0]![i] = v;
    planes[1]![i] = v;
  }
  return new MemoryByteSource('bursts.wav', writeWav(planes, { sampleRate: RATE, format: 'float32' }));
}

test('a codec that adds 1 dB: overs at the bursts, at source times despite its delay; padding past the end ignored', async () => {
  const r = await codecCheckAudio(source(), { platform: apple, roundTrip: gainRoundTrip(1, 2112, 4800) });
  assert.ok(r.before.truePeakDbtp! < 0 && r.before.oversAbove0 === 0, `before ${r.before.truePeakDbtp}`);
  assert.ok(Math.abs(r.after.truePeakDbtp! - (r.before.truePeakDbtp! + 1)) < 0.05, `after ${r.after.truePeakDbtp}`);
  assert.ok(Math.abs(r.loudnessChangeLu! - 1) < 0.05);
  assert.is(r.overRanges.length, 2);
  assert.ok(r.overRanges[0]!.startSeconds >= 1 && r.overRanges[0]!.endSeconds < 1.2, JSON.stringify(r.overRanges));
  assert.ok(r.overRanges[1]!.startSeconds >= 3 && r.overRanges[1]!.endSeconds < 3.2, JSON.stringify(r.overRanges));
  assert.is(r.suggestedCeilingDbtp, -1.5);
  assert.match(
    r.sentence,
    /^After Apple Music's AAC 256 kbit\/s: \+0\.7 dBTP \(was -0\.3 dBTP\), \d+ overs at 0:01 and 0:03/,
  );
  assert.match(r.sentence, /lower the ceiling to -1\.5 dBTP\.$/);
});

test('a transparent codec: no overs, within the platform ceiling, no advice', async () => {
  const r = await codecCheckAudio(source(), { platform: apple, roundTrip: gainRoundTrip(-1.5, 0) });
  assert.is(r.after.oversAbove0, 0);
  assert.is(r.suggestedCeilingDbtp, null);
  assert.match(r.sentence, /no overs; loudness -1\.5 LU; within Apple Music's -1 dBTP\.$/);
});

test('a round trip that cannot run here fails with its reason, before any audio is read', async () => {
  const none: RoundTripFactory = () => Promise.resolve({ unavailable: 'this browser has no AAC encoder' });
  try {
    await codecCheckAudio(source(), { platform: apple, roundTrip: none });
    assert.unreachable();
  } catch (e) {
    assert.instance(e, CodecUnavailableError);
    assert.is((e as Error).message, 'this browser has no AAC encoder');
  }
});

test("the browser's encoder first, a WASM one next; when none runs, every reason is said", async () => {
  const no =
    (why: string): RoundTripFactory =>
    () =>
      Promise.resolve({ unavailable: why });
  const r = await codecCheckAudio(source(), {
    platform: apple,
    roundTrip: firstAvailable([no('no AAC encoder (WebCodecs)'), gainRoundTrip(0, 0)]),
  });
  assert.is(r.encoder, 'test gain');
  const none = await firstAvailable([no('no AAC encoder (WebCodecs)'), no('the WASM encoder does MP3 only')])({
    codec: 'aac',
    bitrateKbps: 256,
    sampleRate: RATE,
    channels: 2,
  });
  assert.equal(none, { unavailable: 'no AAC encoder (WebCodecs); the WASM encoder does MP3 only' });
});

test('cancel stops the check between chunks and closes the codec; more than two channels are refused plainly', async () => {
  const controller = new AbortController();
  let closed = false;
  const closing: RoundTripFactory = async (r) => {
    const rt = (await gainRoundTrip(0, 0)(r)) as CodecRoundTrip;
    const push = rt.push.bind(rt);
    rt.push = (planes) => {
      controller.abort();
      return push(planes);
    };
    rt.close = () => (closed = true);
    return rt;
  };
  try {
    await codecCheckAudio(source(), { platform: apple, roundTrip: closing, signal: controller.signal });
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /codec check cancelled/);
  }
  assert.ok(closed, 'the codec is closed after a cancel');
  const six = new MemoryByteSource('6ch.wav', writeWav(planesOf(6, RATE), { sampleRate: RATE, format: 'pcm24' }));
  try {
    await codecCheckAudio(six, { platform: apple, roundTrip: gainRoundTrip(0, 0) });
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /takes mono or stereo files \(this one has 6 channels\)/);
  }
});

test('the suggested ceiling leaves the overshoot and 0.5 dB, never above the platform advice', () => {
  const f = (tp: number, overs = 0) => ({
    truePeakDbtp: tp,
    samplePeakDbfs: tp,
    integratedLufs: -9,
    oversAbove0: overs,
    clippedSamples: 0,
  });
  assert.is(suggestCeiling(f(-0.1), f(0.6, 3), -1), -1.2);
  assert.is(suggestCeiling(f(-0.1), f(-0.3), -1), -1);
  assert.is(suggestCeiling(f(-2), f(-1.8), -1), null);
});

test.run();
