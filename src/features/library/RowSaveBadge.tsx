/**
 * A library row's save state, in the document's own words (issue 11): "Saved on this device",
 * "Saved on server, <time>", "N changes waiting to upload", "Offline". The server part comes
 * from the relay's durable acknowledgement seen by the last background sync pass; until one
 * arrives the document is known to be saved on this device only. Never "Syncing" offline.
 */
import { useApp } from '../../app/app-context.ts';
import { describeSaveState, type SaveState } from '../../platform/sync/durable-state.ts';
import { SYNC_DESCRIPTIONS } from '../../platform/sync/sync-state.ts';

export function RowSaveBadge(props: { id: string }) {
  const { sync, syncState } = useApp();
  const state = (): SaveState | null => {
    const s = syncState(props.id);
    if (s === 'error') return null;
    if (s === 'offline') return { kind: 'offline', waiting: 0 };
    if (s === 'local-only') return { kind: 'device' };
    return sync.saveStateOf(props.id) ?? { kind: 'device' };
  };
  return (
    <span
      class={`save-state save-${state()?.kind ?? 'error'}`}
      data-save-state={state()?.kind ?? 'error'}
      data-sync-state={syncState(props.id)}
      title={SYNC_DESCRIPTIONS[syncState(props.id)]}
    >
      {(() => {
        const s = state();
        return s ? describeSaveState(s) : 'Sync error';
      })()}
    </span>
  );
}
