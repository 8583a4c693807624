/**
 * Routes a document to the editor of its kind. The shell composes it into the document page, so
 * the document feature needs no other feature. Each kind's editor lives in its own feature and
 * is loaded when first needed, so the library's first paint does not wait for the editors
 * (the service worker precaches their chunks, so this works offline too).
 */
import { lazy, Match, Switch } from 'solid-js';
import type { KindEditorProps } from '../features/document/DocumentPage.tsx';

const AnalysisEditor = lazy(() =>
  import('../features/analysis/AnalysisEditor.tsx').then((m) => ({ default: m.AnalysisEditor })),
);
const ConsoleEditor = lazy(() =>
  import('../features/console/ConsoleEditor.tsx').then((m) => ({ default: m.ConsoleEditor })),
);

export function KindEditor(props: KindEditorProps) {
  return (
    <Switch>
      <Match when={props.kind === 'console-config'}>
        <ConsoleEditor handle={props.handle} sync={props.sync} />
      </Match>
      <Match when={props.kind === 'analysis-report'}>
        <AnalysisEditor handle={props.handle} sync={props.sync} />
      </Match>
    </Switch>
  );
}
