/**
 * Document ids as they appear in the relay URL `/sync/<docId>`.
 *
 * The alphabet is deliberately narrow (ASCII letters, digits, `_` and `-`, 1..128 characters):
 * an id is used as a SQLite key, a log field and later a Redis channel name, and such ids need
 * no escaping anywhere. The check runs before any other work on an upgrade request.
 */

export const DOC_ID_MAX_LENGTH = 128;
const DOC_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;
const SYNC_PREFIX = '/sync/';

/** True when `id` may name a document. */
export function isValidDocId(id: string): boolean {
  return DOC_ID_PATTERN.test(id);
}

export type SyncPathResult =
  { kind: 'doc'; docId: string } | { kind: 'not-sync' } | { kind: 'bad-doc-id'; reason: string };

/**
 * Reads the document id out of a request URL (`/sync/<docId>?query`). Paths outside
 * `/sync/` are `not-sync`; ids outside the alphabet or too long are `bad-doc-id` with a
 * reason meant for the HTTP response body.
 */
export function parseSyncPath(url: string | undefined): SyncPathResult {
  const path = (url ?? '/').split('?', 1)[0] ?? '/';
  if (!path.startsWith(SYNC_PREFIX)) return { kind: 'not-sync' };
  const docId = path.slice(SYNC_PREFIX.length);
  if (docId.length === 0) return { kind: 'bad-doc-id', reason: 'missing document id after /sync/' };
  if (docId.length > DOC_ID_MAX_LENGTH) {
    return {
      kind: 'bad-doc-id',
      reason: `document id is ${docId.length} characters, at most ${DOC_ID_MAX_LENGTH} allowed`,
    };
  }
  if (!DOC_ID_PATTERN.test(docId)) {
    const bad = [...docId].find((c) => !/[A-Za-z0-9_-]/.test(c)) ?? '?';
    return { kind: 'bad-doc-id', reason: `document id contains '${bad}'; allowed are A-Z a-z 0-9 _ -` };
  }
  return { kind: 'doc', docId };
}
