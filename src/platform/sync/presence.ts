/**
 * Who I am to collaborators: a display name and a colour, kept on this device and shown
 * beside my selection in shared editors (awareness field 'user').
 */
import type { Awareness } from 'y-protocols/awareness';

export interface Identity {
  name: string;
  colour: string;
}

/** Colours that read on the dark theme and are told apart by most colour-blind users. */
export const PRESENCE_COLOURS = [
  '#ff9933',
  '#40c8be',
  '#f25c9a',
  '#7aa2ff',
  '#c7e25b',
  '#b68cff',
  '#ffd166',
  '#5ad17e',
];
const IDENTITY_KEY = 'mixdesk.identity';

export function loadIdentity(): Identity {
  try {
    const stored = JSON.parse(localStorage.getItem(IDENTITY_KEY) ?? 'null') as Partial<Identity> | null;
    if (
      stored &&
      typeof stored.name === 'string' &&
      typeof stored.colour === 'string' &&
      /^#[0-9a-f]{6}$/i.test(stored.colour)
    ) {
      return { name: stored.name, colour: stored.colour };
    }
  } catch {
    /* a damaged value falls back to a fresh identity */
  }
  const identity = {
    name: `Engineer ${Math.floor(100 + Math.random() * 900)}`,
    colour: PRESENCE_COLOURS[Math.floor(Math.random() * PRESENCE_COLOURS.length)]!,
  };
  localStorage.setItem(IDENTITY_KEY, JSON.stringify(identity));
  return identity;
}

export function saveIdentity(identity: Identity): void {
  localStorage.setItem(
    IDENTITY_KEY,
    JSON.stringify({ name: identity.name.trim().slice(0, 60) || 'Engineer', colour: identity.colour }),
  );
}

/** What one collaborator shares: who, and what they have selected in the current editor. */
export interface PeerPresence {
  clientId: number;
  name: string;
  colour: string;
  selection: string | null;
}

export function publishIdentity(awareness: Awareness, identity: Identity): void {
  awareness.setLocalStateField('user', { name: identity.name, colour: identity.colour });
}

/** Connections whose selection stays private (read-only viewers: presence shown, no selection). */
const selectionWithheld = new WeakSet<Awareness>();

/** Editors publish the id of what is selected (a strip, a key, an element path) or null. */
export function publishSelection(awareness: Awareness, selection: string | null): void {
  awareness.setLocalStateField('selection', selectionWithheld.has(awareness) ? null : selection);
}

/** From now on this device shows that it is there but not what it selects (a read-only view). */
export function withholdSelection(awareness: Awareness): void {
  selectionWithheld.add(awareness);
  if (awareness.getLocalState()?.selection) awareness.setLocalStateField('selection', null);
}

export function readPeers(awareness: Awareness): PeerPresence[] {
  const peers: PeerPresence[] = [];
  for (const [clientId, state] of awareness.getStates()) {
    if (clientId === awareness.clientID) continue;
    const user = (state as { user?: { name?: unknown; colour?: unknown } }).user;
    if (!user || typeof user.name !== 'string') continue;
    const selection = (state as { selection?: unknown }).selection;
    peers.push({
      clientId,
      name: user.name,
      colour: typeof user.colour === 'string' && /^#[0-9a-f]{6}$/i.test(user.colour) ? user.colour : '#9aa3b2',
      selection: typeof selection === 'string' ? selection : null,
    });
  }
  return peers.sort((a, b) => a.clientId - b.clientId);
}
