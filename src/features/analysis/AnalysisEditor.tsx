/** The view of an analysis-report document: the saved numbers and plots (the audio is not kept). */
import { createSignal, onCleanup, Show } from 'solid-js';
import type { DocHandle } from '../../platform/docs/doc-store.ts';
import type { DocSync } from '../../platform/sync/websocket-doc-sync.ts';
import { findTarget } from '../../core/diagnostics/delivery-targets.ts';
import { diagnose } from '../../core/diagnostics/diagnose.ts';
import { sourceFactsFrom } from '../../core/diagnostics/diagnostic.ts';
import { readReport, REPORT_MAP, setReportTarget } from './report-doc.ts';
import { CodecCheck } from './CodecCheck.tsx';
import { ReferencePanel } from './ReferencePanel.tsx';
import { RenderPanel } from './RenderPanel.tsx';
import { ResultView } from './ResultView.tsx';
import { useReadOnly } from '../shared/read-only.tsx';

export function AnalysisEditor(props: { handle: DocHandle; sync: DocSync }) {
  const readOnly = useReadOnly();
  const [report, setReport] = createSignal(readReport(props.handle.doc));
  const map = props.handle.doc.getMap(REPORT_MAP);
  const refresh = () => setReport(readReport(props.handle.doc));
  map.observe(refresh);
  onCleanup(() => map.unobserve(refresh));
  return (
    <Show
      when={report()}
      fallback={
        <section class="card editor-placeholder" aria-label="Report">
          <h2>Analysis report</h2>
          <p class="hint">
            This report holds no measurements yet. <a href="/analyze">Analyze a mix</a> and use "Save as report". Audio
            never leaves this device.
          </p>
        </section>
      }
    >
      {(r) => (
        <section aria-label="Report">
          <p class="hint">
            Analysed {new Date(r().analysedAt).toLocaleString()}; the report keeps the numbers, not the audio.
          </p>
          <ResultView
            name={r().fileName}
            stream={r().stream}
            result={r().result}
            analysedAt={r().analysedAt}
            {...(r().targetId ? { targetId: r().targetId } : {})}
            previewExtra={(platformId) => (
              <CodecCheck
                doc={props.handle.doc}
                platformId={platformId}
                sampleRate={r().stream.sampleRate}
                channels={r().stream.channels}
                readOnly={readOnly()}
              />
            )}
            onTargetChange={(id) => {
              // Read-only: the chosen target changes this view only, the report stays as shared.
              if (readOnly()) return;
              const t = findTarget(id);
              if (t)
                setReportTarget(props.handle.doc, id, diagnose(r().result, t, sourceFactsFrom(r().stream.encoding)));
            }}
          />
          <ReferencePanel doc={props.handle.doc} mix={r()} readOnly={readOnly()} />
          <RenderPanel doc={props.handle.doc} fileName={r().fileName} readOnly={readOnly()} />
        </section>
      )}
    </Show>
  );
}
