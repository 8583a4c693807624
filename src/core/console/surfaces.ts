/**
 * The control surfaces a room profile can name, and how many strips a layout for each has:
 *
 * - S1: one unit of 8 faders, or two side by side (16).
 * - S3: 16 faders.
 * - S4 and S6: built from 8-channel fader modules; an S6 layout holds up to 256 strips.
 * - Avid Control (the iPad/Android app): one bank of 8 channel strips.
 *
 * A room profile says which surface the room has and how many strips its layouts get; a layout
 * made from a session is sized to that, and the layout editor shows that many strips.
 */
export const SURFACES = ['S1', 'S3', 'S4', 'S6', 'Avid Control'] as const;
export type Surface = (typeof SURFACES)[number];

/** The surface of a room and the strips its layouts get. */
export interface RoomSurface {
  surface: Surface;
  strips: number;
}

/** Strips on the largest S6 layout, and the most any layout holds. */
export const MAX_SURFACE_STRIPS = 256;
/** Channels per S4/S6 fader module: strips are added a module at a time. */
export const MODULE_STRIPS = 8;

const modules = (): number[] =>
  Array.from({ length: MAX_SURFACE_STRIPS / MODULE_STRIPS }, (_, i) => (i + 1) * MODULE_STRIPS);

/** The strip counts a surface can have, smallest first. */
export function stripChoices(surface: Surface): number[] {
  switch (surface) {
    case 'S1':
      return [8, 16];
    case 'S3':
      return [16];
    case 'S4':
    case 'S6':
      return modules();
    case 'Avid Control':
      return [8];
  }
}

/** The strip count a new room profile for the surface starts with. */
export function defaultStrips(surface: Surface): number {
  switch (surface) {
    case 'S4':
      return 16;
    case 'S6':
      return 32;
    default:
      return stripChoices(surface)[0] ?? MODULE_STRIPS;
  }
}

export const isSurface = (value: unknown): value is Surface =>
  typeof value === 'string' && (SURFACES as readonly string[]).includes(value);

/**
 * A stored room surface as it can be trusted: null when it is not one (an older document, a
 * hand-made or damaged value); a strip count the surface cannot have becomes the nearest one
 * it can.
 */
export function readRoomSurface(value: unknown): RoomSurface | null {
  if (typeof value !== 'object' || value === null) return null;
  const { surface, strips } = value as { surface?: unknown; strips?: unknown };
  if (!isSurface(surface)) return null;
  const choices = stripChoices(surface);
  const wanted = typeof strips === 'number' && Number.isFinite(strips) ? strips : defaultStrips(surface);
  const nearest = choices.reduce((best, c) => (Math.abs(c - wanted) < Math.abs(best - wanted) ? c : best));
  return { surface, strips: nearest };
}

/** Strips for a layout when no room says: the tracks rounded up to whole 8-strip modules. */
export function stripsForTracks(tracks: number): number {
  return Math.min(MAX_SURFACE_STRIPS, Math.max(MODULE_STRIPS, Math.ceil(tracks / MODULE_STRIPS) * MODULE_STRIPS));
}

/** "S6, 32 strips" */
export const describeRoomSurface = (room: RoomSurface): string =>
  `${room.surface}, ${room.strips} strip${room.strips === 1 ? '' : 's'}`;
