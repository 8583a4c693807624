/**
 * Where a codec pushes peaks over: the over positions of every channel (seconds of the decoded
 * stream, from the analyser's true-peak meter) moved back by the encoder delay the decoder did
 * not remove, merged into time ranges an engineer can find in a session ("1:12 and 2:40").
 */

export interface OverRange {
  startSeconds: number;
  endSeconds: number;
  /** Overs (runs above the threshold, any channel) inside the range. */
  overs: number;
}

/** Overs closer together than this are one range: a chorus hit, not a list of every transient. */
export const MERGE_GAP_SECONDS = 1;

/**
 * `positions` are over times per channel, in seconds of the decoded stream; `delaySeconds` is
 * the encoder delay still in that stream (0 when the decoder trimmed it), subtracted so the
 * ranges are times in the source. Positions before the source's start (delay) are clamped to 0.
 */
export function overRanges(
  positions: readonly (readonly number[])[],
  delaySeconds = 0,
  gapSeconds = MERGE_GAP_SECONDS,
): OverRange[] {
  const all = positions
    .flat()
    .map((t) => Math.max(0, t - delaySeconds))
    .sort((a, b) => a - b);
  const ranges: OverRange[] = [];
  for (const t of all) {
    const last = ranges[ranges.length - 1];
    if (last && t - last.endSeconds <= gapSeconds) {
      last.endSeconds = t;
      last.overs++;
    } else ranges.push({ startSeconds: t, endSeconds: t, overs: 1 });
  }
  return ranges;
}

/** m:ss of a time in seconds (floor: the second the over falls in, as a DAW's counter shows it). */
export function clockTime(seconds: number): string {
  const whole = Math.floor(seconds);
  const m = Math.floor(whole / 60);
  return `${m}:${String(whole - m * 60).padStart(2, '0')}`;
}

/** "1:12", "1:12-1:15" for a range that spans seconds. */
export function rangeText(r: OverRange): string {
  const a = clockTime(r.startSeconds),
    b = clockTime(r.endSeconds);
  return a === b ? a : `${a}-${b}`;
}

/** "1:12", "1:12 and 2:40", "0:05, 1:12 and 2:40", then "and N more" beyond `max`. */
export function listRanges(ranges: readonly OverRange[], max = 4): string {
  const shown = ranges.slice(0, max).map(rangeText);
  const rest = ranges.length - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}
