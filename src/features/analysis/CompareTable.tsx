/**
 * The side-by-side table of a reference compare: every summary figure of the mix beside each
 * reference's, with the difference (reference − mix), and the level-match gain per reference.
 * The rows come from core/dsp/compare.ts, the same as `mixdesk compare` prints.
 */
import { For } from 'solid-js';
import type { Comparison } from '../../core/dsp/compare.ts';
import { unitSymbol } from './figure-groups.ts';
import type { Unit } from '../../core/dsp/result-schema.ts';

const digits = (unit: string) => (unit === 'ratio' || unit === 'linear' ? 2 : 1);
const num = (v: number | null, unit: string) => (v === null ? 'n/a' : v.toFixed(digits(unit)));
/** Signed, with values that round to zero shown as ±0 rather than -0.0. */
export function signed(v: number | null, d = 1): string {
  if (v === null) return 'n/a';
  const text = Math.abs(v).toFixed(d);
  return Number(text) === 0 ? `±${text}` : `${v < 0 ? '−' : '+'}${text}`;
}

/** Rows from here on are grouped under a heading row (the per-band stereo rows, 14 of them). */
const SECTIONS: [prefix: string, title: string][] = [['stereo.bands.', 'Stereo per band']];
function sectionStarting(rows: Comparison['rows'], i: number): string | null {
  const here = SECTIONS.find(([prefix]) => rows[i]!.id.startsWith(prefix));
  return here && !(i > 0 && rows[i - 1]!.id.startsWith(here[0])) ? here[1] : null;
}

export function CompareTable(props: { comparison: Comparison; references: string[] }) {
  return (
    <div class="table-scroll">
      <table class="channel-table compare-table" aria-label="Mix beside references">
        <thead>
          <tr>
            <th scope="col">Figure</th>
            <th scope="col">Mix</th>
            <For each={props.references}>
              {(_, i) => (
                <>
                  <th scope="col">Ref {i() + 1}</th>
                  <th scope="col">diff</th>
                </>
              )}
            </For>
          </tr>
        </thead>
        <tbody>
          <For each={props.comparison.rows}>
            {(row, i) => {
              const unit = unitSymbol(row.unit as Unit);
              const section = sectionStarting(props.comparison.rows, i());
              return (
                <>
                  {section && (
                    <tr class="compare-section">
                      <th scope="colgroup" colSpan={2 + 2 * props.references.length}>
                        {section}
                      </th>
                    </tr>
                  )}
                  <tr>
                    <th scope="row">
                      {row.label}
                      {unit ? ` (${unit})` : ''}
                    </th>
                    <td data-compare-mix={row.id}>{num(row.mix, row.unit)}</td>
                    <For each={row.refs}>
                      {(r, i) => (
                        <>
                          <td data-compare-ref={`${i()}:${row.id}`}>{num(r.value, row.unit)}</td>
                          <td class="compare-diff" data-compare-diff={`${i()}:${row.id}`}>
                            {signed(r.diff, digits(row.unit))}
                          </td>
                        </>
                      )}
                    </For>
                  </tr>
                </>
              );
            }}
          </For>
          <tr class="compare-match">
            <th scope="row">Level match (gain on ref, dB)</th>
            <td>–</td>
            <For each={props.comparison.matchGainDb}>
              {(g, i) => (
                <>
                  <td data-match-gain={i()}>{signed(g)}</td>
                  <td />
                </>
              )}
            </For>
          </tr>
        </tbody>
      </table>
    </div>
  );
}
