/** The editor of a console-config document (soft keys, layouts, any XML). */
import type { DocHandle } from '../../platform/docs/doc-store.ts';
import type { DocSync } from '../../platform/sync/websocket-doc-sync.ts';

export function ConsoleEditor(_props: { handle: DocHandle; sync: DocSync }) {
  return (
    <section class="card editor-placeholder" aria-label="Editor">
      <h2>Console configuration</h2>
      <p class="hint">Import an App Set, a layout or any console XML file to edit it here.</p>
    </section>
  );
}
