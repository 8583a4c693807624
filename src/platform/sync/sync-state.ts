/** What the user sees of a document's sync, and how each state is worded. */
export type SyncState = 'local-only' | 'syncing' | 'synced' | 'offline' | 'error';

export const SYNC_LABELS: Record<SyncState, string> = {
  'local-only': 'Local only',
  syncing: 'Syncing',
  synced: 'Synced',
  offline: 'Offline',
  error: 'Sync error',
};

export const SYNC_DESCRIPTIONS: Record<SyncState, string> = {
  'local-only': 'Kept on this device only; sync is off.',
  syncing: 'Exchanging changes with the server.',
  synced: 'Every change is on the server too.',
  offline: 'The server cannot be reached; changes are kept here and sent when it can.',
  error: 'The server refused this document.',
};
