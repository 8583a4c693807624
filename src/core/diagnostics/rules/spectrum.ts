/** DC offset and the low end against the tonal-balance bands. */
import { powerToDb } from '../../dsp/units.ts';
import type { Rule } from '../diagnostic.ts';
import { REF } from './common.ts';

/** Mean sample value above this (-60 dBFS) is a DC offset worth removing. */
export const DC_LIMIT = 0.001;
/** Share of the energy below 200 Hz above which the low end swamps the mix (70 %). */
export const LOW_END_HEAVY_DB = -1.5;
/** Share of the energy below 200 Hz under which the mix has no bottom (2 %). */
export const LOW_END_THIN_DB = -17;

export const dcOffset: Rule = {
  id: 'dc-offset',
  checks: `mean sample value above ${DC_LIMIT} (-60 dBFS) on any channel`,
  reference: REF.heuristic,
  run({ result: r }) {
    const worst = r.channels.reduce(
      (a, c) => (Math.abs(c.dcOffset.value ?? 0) > Math.abs(a.dcOffset.value ?? 0) ? c : a),
      r.channels[0]!,
    );
    const dc = worst?.dcOffset.value ?? 0;
    if (Math.abs(dc) <= DC_LIMIT) return null;
    return {
      id: 'dc-offset',
      severity: 'warning',
      title: 'DC offset',
      message: `Channel ${worst.label} has a DC offset of ${dc.toFixed(4)} (${(20 * Math.log10(Math.abs(dc))).toFixed(0)} dBFS): it wastes headroom, and edits click.`,
      evidence: r.channels.map((c) => ({ label: `DC ${c.label}`, value: c.dcOffset.value, unit: 'linear' as const })),
      at: [],
      fix: 'Apply a DC-removal (high-pass below 10 Hz) filter before the limiter.',
      reference: REF.heuristic,
    };
  },
};

export const lowEnd: Rule = {
  id: 'low-end',
  checks: `energy below 200 Hz above ${LOW_END_HEAVY_DB} dB (70 %) or below ${LOW_END_THIN_DB} dB (2 %) of the total`,
  reference: REF.heuristic,
  run({ result: r }) {
    const tb = r.spectrum.tonalBalance;
    if (tb.sub.value === null && tb.low.value === null) return null;
    const share = (f: { value: number | null }) => (f.value === null ? 0 : Math.pow(10, f.value / 10));
    const lowShare = share(tb.sub) + share(tb.low);
    const lowDb = lowShare > 0 ? powerToDb(lowShare) : -Infinity;
    const evidence = [
      { label: 'Below 200 Hz', value: Number.isFinite(lowDb) ? lowDb : null, unit: 'dB' as const },
      { label: 'Sub (20-60 Hz)', value: tb.sub.value, unit: 'dB' as const },
      { label: 'Low (60-200 Hz)', value: tb.low.value, unit: 'dB' as const },
    ];
    if (lowDb > LOW_END_HEAVY_DB) {
      return {
        id: 'low-end',
        severity: 'warning',
        title: 'Low end too heavy',
        message: `${(lowShare * 100).toFixed(0)} % of the energy is below 200 Hz: the bass eats the headroom and the loudness, so the mix will sound dull and small after normalisation.`,
        evidence,
        at: [],
        fix: 'Check the kick and bass levels on full-range monitors; high-pass everything that does not need the bottom octave.',
        reference: REF.heuristic,
      };
    }
    if (lowDb < LOW_END_THIN_DB) {
      return {
        id: 'low-end',
        severity: 'warning',
        title: 'Little or no low end',
        message: `Only ${(lowShare * 100).toFixed(1)} % of the energy is below 200 Hz: the mix will sound thin on full-range systems.`,
        evidence,
        at: [],
        fix: 'Check for a high-pass on the mix bus and the bass level on monitors that reach below 60 Hz.',
        reference: REF.heuristic,
      };
    }
    return null;
  },
};
