/** A document's sync state as a small labelled badge. */
import { SYNC_DESCRIPTIONS, SYNC_LABELS, type SyncState } from '../../platform/sync/sync-state.ts';

export function SyncBadge(props: { state: SyncState }) {
  return (
    <span class={`sync-badge sync-${props.state}`} title={SYNC_DESCRIPTIONS[props.state]} data-sync-state={props.state}>
      {SYNC_LABELS[props.state]}
    </span>
  );
}
