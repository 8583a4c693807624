/**
 * Reading one presence (awareness) update from a client, bounded before any work: the number
 * of client ids, the byte size of each state and its JSON nesting depth are checked on the raw
 * bytes, before JSON.parse, so a 20 KB array nested 10,000 deep is refused instead of being
 * stored and later overflowing the stack when it is encoded again.
 */
import * as decoding from 'lib0/decoding';

export interface PresenceLimits {
  /** Client ids one connection may introduce (one per tab; a person has a handful). */
  maxClientsPerConnection: number;
  /** Bytes of one state's JSON (a name, a colour and a selection are well under 1 KB). */
  maxStateBytes: number;
  /** Nesting depth of one state's JSON (the app's states are 2 deep). */
  maxDepth: number;
  /**
   * How long the client ids of a connection with a presence identity stay reserved to that
   * identity after it closed (y-websocket reconnects within seconds; awareness itself forgets
   * a silent client after 30 s).
   */
  reserveMs: number;
}

export const DEFAULT_PRESENCE_LIMITS: PresenceLimits = {
  maxClientsPerConnection: 8,
  maxStateBytes: 4096,
  maxDepth: 16,
  reserveMs: 30_000,
};

/** A presence update that breaks a limit: the connection is closed with 1008. */
export class PresenceViolation extends Error {}

export interface PresenceEntry {
  clientId: number;
  clock: number;
  /** The parsed state; null removes the client's presence. */
  state: unknown;
}

const utf8 = new TextDecoder();

/** Deepest nesting of arrays and objects in `json`, stopping as soon as it passes `limit`. */
export function jsonDepthExceeds(json: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}

/** Decodes a y-protocols awareness update; throws PresenceViolation past a limit, other errors when malformed. */
export function readPresenceUpdate(payload: Uint8Array, limits: PresenceLimits): PresenceEntry[] {
  const decoder = decoding.createDecoder(payload);
  const count = decoding.readVarUint(decoder);
  if (count > limits.maxClientsPerConnection) {
    throw new PresenceViolation(`presence update for ${count} client ids (limit ${limits.maxClientsPerConnection})`);
  }
  const entries: PresenceEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const bytes = decoding.readVarUint8Array(decoder);
    if (bytes.byteLength > limits.maxStateBytes) {
      throw new PresenceViolation(`presence state of ${bytes.byteLength} bytes (limit ${limits.maxStateBytes})`);
    }
    const json = utf8.decode(bytes);
    if (jsonDepthExceeds(json, limits.maxDepth))
      throw new PresenceViolation(`presence state nested deeper than ${limits.maxDepth}`);
    entries.push({ clientId, clock, state: JSON.parse(json) as unknown });
  }
  return entries;
}

/**
 * What a read-only connection may show: that it is there and who it is (`user`), not a
 * selection or cursor (src/platform/sync/presence.ts publishes `user` and `selection`).
 */
export function readOnlyPresence(state: unknown): unknown {
  if (state === null) return null;
  const user = typeof state === 'object' && !Array.isArray(state) ? (state as { user?: unknown }).user : undefined;
  return user === undefined ? {} : { user };
}
