/**
 * Search, filter and sort over library rows: pure functions so the library view and the
 * tests share one definition of what "matches" means.
 */
import type { DocumentKind } from './kinds.ts';
import type { LibraryEntry } from './library-entry.ts';

export type SortKey = 'updated' | 'name' | 'created' | 'size' | 'kind';
export type LibraryView = 'library' | 'trash';

export interface LibraryQuery {
  view: LibraryView;
  /** Words to find in the name, tags and notes; every word must match somewhere. */
  text: string;
  kind: DocumentKind | 'all';
  /** Exact room profile, or 'all'. */
  roomProfile: string;
  sort: SortKey;
  descending: boolean;
}

export const DEFAULT_QUERY: LibraryQuery = {
  view: 'library',
  text: '',
  kind: 'all',
  roomProfile: 'all',
  sort: 'updated',
  descending: true,
};

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

export function matchesText(entry: LibraryEntry, text: string): boolean {
  const words = fold(text).split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = fold([entry.name, entry.tags.join(' '), entry.notes, entry.id].join('\n'));
  return words.every((word) => haystack.includes(word));
}

function compare(a: LibraryEntry, b: LibraryEntry, key: SortKey): number {
  switch (key) {
    case 'name':
      return collator.compare(a.name, b.name);
    case 'created':
      return a.createdAt - b.createdAt;
    case 'size':
      return a.size - b.size;
    case 'kind':
      return a.kind.localeCompare(b.kind) || collator.compare(a.name, b.name);
    case 'updated':
      return a.updatedAt - b.updatedAt;
  }
}

export function queryLibrary(entries: readonly LibraryEntry[], query: LibraryQuery): LibraryEntry[] {
  const inTrash = query.view === 'trash';
  const result = entries.filter(
    (entry) =>
      (entry.deletedAt !== null) === inTrash &&
      (query.kind === 'all' || entry.kind === query.kind) &&
      (query.roomProfile === 'all' || entry.roomProfile === query.roomProfile) &&
      matchesText(entry, query.text),
  );
  const direction = query.descending ? -1 : 1;
  // Ties fall back to the id so the order is stable across renders and devices.
  return result.sort((a, b) => direction * compare(a, b, query.sort) || a.id.localeCompare(b.id));
}

/** The room profiles in use, for the filter menu. */
export function roomProfiles(entries: readonly LibraryEntry[]): string[] {
  return [...new Set(entries.map((e) => e.roomProfile).filter(Boolean))].sort(collator.compare);
}

export const TRASH_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/** Documents in Trash for longer than the retention period, to be purged. */
export function expiredInTrash(entries: readonly LibraryEntry[], now: number): LibraryEntry[] {
  return entries.filter((entry) => entry.deletedAt !== null && now - entry.deletedAt > TRASH_RETENTION_MS);
}
