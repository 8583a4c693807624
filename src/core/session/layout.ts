import type { Session } from './types.ts';

/** Strips on the largest S6 layout. */
export const MAX_STRIPS = 256;

/** A layout as plain data: slot numbers 1..256 as on the surface, `null` for a blank strip. */
export interface SessionLayout {
  name: string;
  strips: Array<{ slot: number; track: string | null }>;
  /** Tracks that did not fit, said in words. */
  warnings: string[];
}

/**
 * "Create layout from session": the session's tracks on strips 1, 2, 3… in session order
 * (hidden and inactive tracks included, since they are still tracks on the console), the
 * remaining slots up to 256 blank. Tracks past strip 256 are left out with a warning.
 */
export function layoutFromSession(session: Pick<Session, 'header' | 'tracks'>): SessionLayout {
  const strips: SessionLayout['strips'] = [];
  for (let slot = 1; slot <= MAX_STRIPS; slot++) strips.push({ slot, track: session.tracks[slot - 1]?.name ?? null });
  const warnings: string[] = [];
  const extra = session.tracks.length - MAX_STRIPS;
  if (extra > 0) {
    const first = session.tracks[MAX_STRIPS];
    warnings.push(
      `${extra} track${extra === 1 ? '' : 's'} beyond strip ${MAX_STRIPS} left out, starting with '${first?.name ?? ''}' (line ${first?.line ?? 0})`,
    );
  }
  return { name: session.header.sessionName, strips, warnings };
}
