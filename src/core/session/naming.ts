import type { Session } from './types.ts';

/** Longest document name the library accepts (core/documents/meta.ts NAME_MAX_LENGTH). */
const NAME_LIMIT = 200;

/**
 * The name of the document made from a session text: the SESSION NAME inside it (what the
 * engineer calls the show), not the export's file name, which Pro Tools derives from the
 * session but people rename ("Session Info 2024-03-01 final v3.txt"). Line breaks and TABs a
 * name may hold become spaces; an empty SESSION NAME falls back to the file name.
 */
export function sessionDocumentName(session: Pick<Session, 'header'>, fileName: string): string {
  const fromSession = session.header.sessionName.replace(/[\t\n\r]+/g, ' ').trim();
  const fromFile = fileName
    .replace(/^.*[\\/]/, '')
    .replace(/\.[^.]+$/, '')
    .trim();
  return (fromSession || fromFile || 'Session').slice(0, NAME_LIMIT);
}

/** A file name for the layout's export: the document name with characters file systems refuse replaced. */
export function layoutExportFileName(documentName: string): string {
  // eslint-disable-next-line no-control-regex
  const safe = documentName.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '-').replace(/^\.+/, '');
  return `${safe || 'Session'} layout.xml`;
}
