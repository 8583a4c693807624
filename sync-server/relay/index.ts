/** The relay's public surface: what sync-server/server.ts, tests and later issues import. */
export { makeRelay, MAX_MESSAGE_BYTES, type Relay, type RelayOptions } from './relay.ts';
export { isValidDocId, parseSyncPath, DOC_ID_MAX_LENGTH } from './doc-id.ts';
export type { DocPersistence } from './persistence.ts';
export { SqlitePersistence, type SqlitePersistenceOptions } from './sqlite-persistence.ts';
export { mergeToState } from './merge-updates.ts';
export { MemoryPersistence } from './memory-persistence.ts';
export { InProcessFanout, type Fanout, type FanoutMessage } from './fanout.ts';
export {
  sameOriginAuthenticate,
  type AccessLevel,
  type AuthDecision,
  type RelayHooks,
  type UpgradeContext,
} from './hooks.ts';
export { jsonLineLogger, silentLogger, type RelayLogger, type RelayLogRecord } from './logger.ts';
export {
  READ_ONLY_REASON,
  CloseCode,
  messageSync,
  messageAwareness,
  messageAuth,
  messageQueryAwareness,
} from './protocol.ts';
export { DEFAULT_RATE_LIMIT, type RateLimit } from './relay-connection.ts';
export { DEFAULT_PRESENCE_LIMITS, type PresenceLimits } from './presence-update.ts';
export { DEFAULT_PENDING_LIMITS, type PendingLimits } from './pending-guard.ts';
export { DEFAULT_UPDATE_LIMITS, type UpdateLimits } from './update-slices.ts';
