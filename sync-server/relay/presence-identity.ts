/**
 * Presence identity: who a connection is, for reserving the presence (awareness) client ids it
 * introduced after it closes (document-presence.ts), so that nobody else can take one and show
 * under someone else's name before its owner reconnects.
 *
 * A client id alone proves nothing: every peer of the document receives it in each presence
 * update. So an id is reserved only to something a spoofer does not have:
 *  - the identity the host gives the connection (`RelayHooks.identify`, e.g. the signed-in
 *    account: accounts know who is behind a session cookie or token);
 *  - otherwise a presence key the client chose and sends in its URL
 *    (`/sync/<docId>?presenceKey=<16-128 of A-Z a-z 0-9 _ ->`, with y-websocket
 *    `new WebsocketProvider(url, docId, doc, { params: { presenceKey } })`): a random secret
 *    per tab that the relay never repeats to anyone;
 *  - otherwise none: an anonymous connection without a key cannot be told from a spoofer, so
 *    its ids are free again as soon as it closes (they are still its alone while it is open).
 */
export const PRESENCE_KEY_PARAM = 'presenceKey';

const KEY_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

/** The presence key in a request URL, or null when there is none or it is malformed. */
export function presenceKeyOf(url: string | undefined): string | null {
  const query = (url ?? '').split('?')[1];
  if (!query) return null;
  const key = new URLSearchParams(query).get(PRESENCE_KEY_PARAM);
  return key !== null && KEY_PATTERN.test(key) ? key : null;
}

/** The identity to reserve ids to: the host's (`identify`) first, then the URL's presence key. */
export function presenceIdentity(identified: string | null | undefined, url: string | undefined): string | null {
  if (identified) return `identity:${identified}`;
  const key = presenceKeyOf(url);
  return key ? `key:${key}` : null;
}
