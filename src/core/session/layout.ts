import { stripsForTracks } from '../console/surfaces.ts';
import type { Session, SessionTrack } from './types.ts';

/** Strips on the largest S6 layout. */
export const MAX_STRIPS = 256;

/** A layout as plain data: slot numbers 1..strips as on the surface, `null` for a blank strip. */
export interface SessionLayout {
  name: string;
  strips: Array<{ slot: number; track: string | null }>;
  /** Tracks that did not fit, said in words. */
  warnings: string[];
}

export interface SessionLayoutOptions {
  /** Strips per layout: the room profile's, or the session's tracks in whole 8-strip modules. */
  strips: number;
  /** Hidden tracks are still on the console unless left out. */
  includeHidden: boolean;
  /** Inactive tracks likewise. */
  includeInactive: boolean;
  /** More tracks than strips: further layouts (true), or the rest left out with a warning. */
  split: boolean;
}

/** The tracks a layout from the session shows, in session order. */
export function sessionTracksFor(
  session: Pick<Session, 'tracks'>,
  options: Pick<SessionLayoutOptions, 'includeHidden' | 'includeInactive'>,
): SessionTrack[] {
  return session.tracks.filter(
    (t) => (options.includeHidden || !t.state.hidden) && (options.includeInactive || !t.state.inactive),
  );
}

const stripsOf = (names: Array<string | null>, count: number): SessionLayout['strips'] =>
  Array.from({ length: count }, (_, i) => ({ slot: i + 1, track: names[i] ?? null }));

/**
 * "Create layout from session": the session's tracks on strips 1, 2, 3… in session order, each
 * layout `strips` long (blank strips listed, so the editor shows the surface's size). When the
 * tracks do not fit, `split` makes further layouts named "<session> 1-16", "<session> 17-32"…
 * (one action, ready for bank keys); otherwise the rest is left out with a warning.
 */
export function layoutsFromSession(
  session: Pick<Session, 'header' | 'tracks'>,
  options: SessionLayoutOptions,
): SessionLayout[] {
  const size = Math.max(1, Math.min(MAX_STRIPS, Math.floor(options.strips)));
  const tracks = sessionTracksFor(session, options);
  const name = session.header.sessionName;
  if (tracks.length <= size || !options.split) {
    const warnings: string[] = [];
    const extra = tracks.length - size;
    if (extra > 0) {
      const first = tracks[size];
      warnings.push(
        `${extra} track${extra === 1 ? '' : 's'} beyond strip ${size} left out, starting with '${first?.name ?? ''}' (line ${first?.line ?? 0})`,
      );
    }
    return [
      {
        name,
        strips: stripsOf(
          tracks.map((t) => t.name),
          size,
        ),
        warnings,
      },
    ];
  }
  const out: SessionLayout[] = [];
  for (let from = 0; from < tracks.length; from += size) {
    const part = tracks.slice(from, from + size);
    out.push({
      name: `${name} ${from + 1}-${from + part.length}`,
      strips: stripsOf(
        part.map((t) => t.name),
        size,
      ),
      warnings: [],
    });
  }
  return out;
}

/**
 * The layout made when a session text is imported with no room to size it for: every track
 * (hidden and inactive included, since they are still tracks on the console), on as many strips
 * as the tracks need in whole 8-strip modules, up to 256; tracks past 256 are left out with a
 * warning.
 */
export function layoutFromSession(session: Pick<Session, 'header' | 'tracks'>): SessionLayout {
  const strips = stripsForTracks(session.tracks.length);
  const [layout] = layoutsFromSession(session, { strips, includeHidden: true, includeInactive: true, split: false });
  return layout ?? { name: session.header.sessionName, strips: [], warnings: [] };
}
