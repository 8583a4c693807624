/** The view of an analysis-report document. */
import type { DocHandle } from '../../platform/docs/doc-store.ts';
import type { DocSync } from '../../platform/sync/websocket-doc-sync.ts';

export function AnalysisEditor(_props: { handle: DocHandle; sync: DocSync }) {
  return (
    <section class="card editor-placeholder" aria-label="Report">
      <h2>Analysis report</h2>
      <p class="hint">Drop a mix to analyse it on this device. Audio never leaves it.</p>
    </section>
  );
}
