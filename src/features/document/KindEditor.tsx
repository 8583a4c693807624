/** Routes a document to the editor of its kind; each kind's editor lives in its own feature. */
import { Match, Switch } from 'solid-js';
import type { DocumentKind } from '../../core/documents/kinds.ts';
import type { DocHandle } from '../../platform/docs/doc-store.ts';
import type { DocSync } from '../../platform/sync/websocket-doc-sync.ts';
import { AnalysisEditor } from '../analysis/AnalysisEditor.tsx';
import { ConsoleEditor } from '../console/ConsoleEditor.tsx';

export function KindEditor(props: { kind: DocumentKind; handle: DocHandle; sync: DocSync }) {
  return (
    <Switch>
      <Match when={props.kind === 'console-config'}><ConsoleEditor handle={props.handle} sync={props.sync} /></Match>
      <Match when={props.kind === 'analysis-report'}><AnalysisEditor handle={props.handle} sync={props.sync} /></Match>
    </Switch>
  );
}
