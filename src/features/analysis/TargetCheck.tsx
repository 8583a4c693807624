/**
 * Pass/fail against a delivery target: integrated loudness within the target's tolerance and
 * true peak at or below its ceiling. Tolerances: +-1 LU (EBU R 128 and the streaming
 * platforms' normalisation targets), +-2 LU for ATSC A/85.
 */
import { createSignal, For, Show } from 'solid-js';
import type { AnalysisResult } from '../../core/dsp/result-schema.ts';
import { compareToTarget, TARGETS, type TargetId } from '../../core/dsp/targets.ts';

const TOLERANCE_LU: Record<TargetId, number> = { spotify: 1, apple: 1, youtube: 1, 'ebu-r128': 1, 'atsc-a85': 2 };

export function TargetCheck(props: { result: AnalysisResult; initial?: TargetId }) {
  const [target, setTarget] = createSignal<TargetId>(props.initial ?? 'spotify');
  const cmp = () => compareToTarget(props.result, TARGETS[target()]);
  const loudnessOk = () => { const d = cmp().loudnessDeviationLu; return d === null ? null : Math.abs(d) <= TOLERANCE_LU[target()]; };
  const peakOk = () => cmp().truePeakWithinCeiling;
  const verdict = () => (loudnessOk() === null || peakOk() === null ? 'n/a' : loudnessOk() && peakOk() ? 'pass' : 'fail');
  const fmt = (v: number | null, digits = 1) => (v === null ? 'n/a' : `${v > 0 ? '+' : ''}${v.toFixed(digits)}`);
  return (
    <section class="card target-check" aria-labelledby="target-title">
      <div class="target-head">
        <h2 id="target-title">Delivery target</h2>
        <label class="field">
          <span class="label">Target</span>
          <select aria-label="Target" value={target()} onChange={(e) => setTarget(e.currentTarget.value as TargetId)}>
            <For each={Object.values(TARGETS)}>{(t) => <option value={t.id}>{t.name} ({t.integratedLufs} LUFS, {t.truePeakDbtp} dBTP)</option>}</For>
          </select>
        </label>
        <span class={`verdict verdict-${verdict()}`} data-verdict={verdict()} role="status">{verdict() === 'pass' ? 'Pass' : verdict() === 'fail' ? 'Fail' : 'Cannot judge'}</span>
      </div>
      <dl class="facts">
        <dt>Loudness vs {TARGETS[target()].integratedLufs} LUFS</dt>
        <dd data-check="loudness">{fmt(cmp().loudnessDeviationLu)} LU · <Show when={loudnessOk() !== null} fallback="integrated loudness undefined">{loudnessOk() ? 'within' : 'outside'} ±{TOLERANCE_LU[target()]} LU</Show></dd>
        <dt>True peak vs {TARGETS[target()].truePeakDbtp} dBTP</dt>
        <dd data-check="true-peak">{props.result.peaks.truePeak.value === null ? 'n/a' : `${props.result.peaks.truePeak.value.toFixed(1)} dBTP`} · {peakOk() === null ? 'n/a' : peakOk() ? 'within the ceiling' : 'above the ceiling'}</dd>
        <dt>Gain to target</dt>
        <dd>{fmt(cmp().gainToTargetDb)} dB, true peak after that gain {fmt(cmp().truePeakAfterGainDbtp)} dBTP</dd>
      </dl>
    </section>
  );
}
