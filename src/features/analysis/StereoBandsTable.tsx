/**
 * The report's stereo per band: for each tonal band, the correlation of left and right (a bar
 * from -1 to +1, so a mono low end and wide highs read at a glance) and the side/mid width in
 * dB. Rows come from core/dsp/stereo-bands.ts; results made before it existed show nothing.
 */
import { For } from 'solid-js';
import type { StereoBands } from '../../core/dsp/result-schema.ts';
import { TONAL_BAND_LABELS, TONAL_BANDS } from '../../core/dsp/spectrum.ts';
import { formatValue } from './figure-groups.ts';

const range = (lowHz: number, highHz: number) =>
  `${lowHz >= 1000 ? `${lowHz / 1000} kHz` : `${lowHz} Hz`} to ${highHz >= 1000 ? `${highHz / 1000} kHz` : `${highHz} Hz`}`;

/** Left offset and width (percent of the track) of a bar from 0 to `v` on a -1..+1 scale. */
function bar(v: number): { left: string; width: string } {
  const c = Math.max(-1, Math.min(1, v));
  return { left: `${50 + Math.min(0, c) * 50}%`, width: `${Math.abs(c) * 50}%` };
}

export function StereoBandsTable(props: { bands: StereoBands }) {
  return (
    <div class="table-scroll stereo-bands">
      <table class="channel-table" aria-label="Stereo per band">
        <thead>
          <tr>
            <th scope="col">Band</th>
            <th scope="col" title={props.bands.mid.correlation.definition}>
              Correlation
            </th>
            <th scope="col" title={props.bands.mid.width.definition}>
              Width (dB)
            </th>
          </tr>
        </thead>
        <tbody>
          <For each={TONAL_BANDS}>
            {(b) => {
              const f = () => props.bands[b.name];
              return (
                <tr>
                  <th scope="row" title={range(b.lowHz, b.highHz)}>
                    {TONAL_BAND_LABELS[b.name]}
                  </th>
                  <td data-stereo-band={`${b.name}.correlation`}>
                    <span class="corr-track" aria-hidden="true">
                      {f().correlation.value !== null && (
                        <span
                          class={`corr-bar${f().correlation.value! < 0 ? ' negative' : ''}`}
                          style={bar(f().correlation.value!)}
                        />
                      )}
                    </span>
                    <span class="corr-value">{formatValue(f().correlation)}</span>
                  </td>
                  <td data-stereo-band={`${b.name}.width`}>{formatValue(f().width)}</td>
                </tr>
              );
            }}
          </For>
        </tbody>
      </table>
    </div>
  );
}
