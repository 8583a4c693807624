/**
 * Which live true-peak readings count: not those of the player's own joins. Where playback
 * starts, resumes or jumps (a seek, a loop) the audio the meter sees is spliced, and a splice
 * in a waveform overshoots when oversampled: WebKitGTK's media element, for one, repeats about
 * 12 samples some 40 ms after playback starts, and a -23 dBFS tone then reads -22.0 dBTP. The
 * file has no such peak (the analysis measures the file itself), so the live meter's true peak
 * leaves out the first `settleSeconds` of sounding audio after each join the page reports.
 * Silence does not use the window up: the join's audio may arrive late.
 *
 * Threading: owned by the AudioWorkletProcessor; no allocation after construction.
 */

/** What the page posts to the meter worklet's port at a join (play, resume, seek, loop). */
export const METER_JOIN_MESSAGE = 'join';

/** Long enough for the splice WebKitGTK makes about 40 ms into playback. */
export const JOIN_SETTLE_SECONDS = 0.1;

export class PeakSettle {
  private readonly settleFrames: number;
  /** Sounding frames still to pass before peaks count; a meter starts at a join (the first play). */
  private left: number;

  constructor(sampleRate: number, settleSeconds = JOIN_SETTLE_SECONDS) {
    this.settleFrames = Math.round(sampleRate * settleSeconds);
    this.left = this.settleFrames;
  }

  /** The page reported a join: the next `settleSeconds` of sounding audio do not count. */
  join(): void {
    this.left = this.settleFrames;
  }

  /**
   * Called once per block, before its peaks are taken: whether they count. A block that is
   * digital silence in every channel does not use up the window.
   */
  counts(block: readonly Float32Array[], length: number): boolean {
    if (this.left <= 0) return true;
    if (isSilent(block, length)) return false;
    this.left -= length;
    return false;
  }
}

function isSilent(block: readonly Float32Array[], length: number): boolean {
  for (let c = 0; c < block.length; c++) {
    const channel = block[c]!;
    for (let n = 0; n < length; n++) if (channel[n] !== 0) return false;
  }
  return true;
}
