/**
 * Routes a document to the editor of its kind; each kind's editor lives in its own feature and
 * is loaded when first needed, so the library's first paint does not wait for the editors
 * (the service worker precaches their chunks, so this works offline too).
 */
import { lazy, Match, Switch } from 'solid-js';
import type { DocumentKind } from '../../core/documents/kinds.ts';
import type { DocHandle } from '../../platform/docs/doc-store.ts';
import type { DocSync } from '../../platform/sync/websocket-doc-sync.ts';

const AnalysisEditor = lazy(() => import('../analysis/AnalysisEditor.tsx').then((m) => ({ default: m.AnalysisEditor })));
const ConsoleEditor = lazy(() => import('../console/ConsoleEditor.tsx').then((m) => ({ default: m.ConsoleEditor })));

export function KindEditor(props: { kind: DocumentKind; handle: DocHandle; sync: DocSync }) {
  return (
    <Switch>
      <Match when={props.kind === 'console-config'}><ConsoleEditor handle={props.handle} sync={props.sync} /></Match>
      <Match when={props.kind === 'analysis-report'}><AnalysisEditor handle={props.handle} sync={props.sync} /></Match>
    </Switch>
  );
}
