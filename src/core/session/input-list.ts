/**
 * The input list printed with a strip sheet (issue 15, part 4): every track of a session text in
 * session order, with its comments and what the session says of its state. Pro Tools' "Session
 * Info as Text" carries no I/O assignments, so the list has none; hidden and inactive tracks are
 * listed and marked, since the sheet is for people patching the room.
 */
import type { Session } from './types.ts';

export interface InputListRow {
  number: number;
  name: string;
  comments: string;
  /** "Inactive", "Hidden", "Muted", joined; empty for an ordinary track. */
  state: string;
}

export function inputList(session: Pick<Session, 'tracks'>): InputListRow[] {
  return session.tracks.map((t, i) => ({
    number: i + 1,
    name: t.name,
    comments: t.comments.trim(),
    state: [t.state.inactive && 'Inactive', t.state.hidden && 'Hidden', t.state.muted && 'Muted']
      .filter(Boolean)
      .join(', '),
  }));
}
