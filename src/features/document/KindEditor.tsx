/**
 * The editor for a document's kind. The console editors and the analysis report come in
 * their own features; until they land this shows what the document holds.
 */
import { Match, Switch } from 'solid-js';
import type { DocumentKind } from '../../core/documents/kinds.ts';
import type { DocHandle } from '../../platform/docs/doc-store.ts';

export function KindEditor(props: { kind: DocumentKind; handle: DocHandle }) {
  return (
    <section class="card editor-placeholder" aria-label="Editor">
      <Switch>
        <Match when={props.kind === 'console-config'}>
          <h2>Console configuration</h2>
          <p class="hint">Import an App Set, a layout or any console XML file to edit it here.</p>
        </Match>
        <Match when={props.kind === 'analysis-report'}>
          <h2>Analysis report</h2>
          <p class="hint">Drop a mix to analyse it on this device. Audio never leaves it.</p>
        </Match>
      </Switch>
    </section>
  );
}
