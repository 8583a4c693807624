/**
 * What the relay lets this device do with a document, read off a y-websocket provider:
 * 'read-write', 'read-only' (a friend's document shared with us: the relay announces it with
 * the auth frame "read-only" and drops our edits, so the editors must disable their controls
 * and say so), or 'revoked' (the relay closed the socket with 4403: the share was revoked, the
 * document went to Trash, or we were signed out; the stock client stops reconnecting).
 *
 * For the document and editor features to show the read-only banner and close a revoked view.
 */
import * as authProtocol from 'y-protocols/auth';
import type { WebsocketProvider } from 'y-websocket';

export type RelayAccess = 'read-write' | 'read-only' | 'revoked';

/** y-websocket message kind of auth frames, and the relay's reason for read-only connections. */
const MESSAGE_AUTH = 2;
const READ_ONLY_REASON = 'read-only';
/** The relay's close code for taken-away access (sync-server/accounts/relay-authorization.ts). */
export const ACCESS_REVOKED_CLOSE_CODE = 4403;

/** Calls `onChange` whenever the access changes; returns the unsubscribe function. */
export function watchRelayAccess(provider: WebsocketProvider, onChange: (access: RelayAccess) => void): () => void {
  let access: RelayAccess = 'read-write';
  const set = (next: RelayAccess) => {
    if (next !== access) {
      access = next;
      onChange(next);
    }
  };
  const previous = provider.messageHandlers[MESSAGE_AUTH];
  provider.messageHandlers[MESSAGE_AUTH] = (_encoder, decoder) => {
    authProtocol.readAuthMessage(decoder, provider.doc, (_doc, reason) => {
      if (reason === READ_ONLY_REASON) set('read-only');
    });
  };
  const onClose = (event: { code: number } | null) => {
    if (event?.code === ACCESS_REVOKED_CLOSE_CODE) set('revoked');
  };
  provider.on('connection-close', onClose);
  return () => {
    provider.off('connection-close', onClose);
    if (previous) provider.messageHandlers[MESSAGE_AUTH] = previous;
  };
}
