/**
 * "Export my data": one zip with every document of the account as its file (a console
 * document with an imported XML file as that file, byte for byte as the app exports it; any
 * other document as the JSON of its content) and `mixdesk-account.json` with the account,
 * document metadata, friends, shares both ways and the security activity.
 */
import { zipSync } from 'fflate';
import * as Y from 'yjs';
import { exportXml, xmlFileName } from '../../src/core/xml/index.ts';
import { XML_ROOT } from '../../src/core/xml/store.ts';
import type { AccountsContext } from './accounts-context.ts';
import type { Account } from './account-store.ts';
import type { Route } from './api-router.ts';
import { accountView } from './auth-routes.ts';
import { documentView } from './document-routes.ts';

/** A file name safe on every system, from a document name. */
function safeName(name: string, fallback: string): string {
  // Control characters are unsafe in file names on every system, as are the reserved ones.
  const cleaned = name
    // eslint-disable-next-line no-control-regex
    .replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_')
    .trim()
    .slice(0, 100);
  return cleaned || fallback;
}

/** The document's file: its XML when it has an imported model that serialises, else its content as JSON. */
function documentFile(doc: Y.Doc, name: string, id: string): { path: string; bytes: Uint8Array } {
  const root = doc.getMap(XML_ROOT);
  if (root.get('source') instanceof Uint8Array) {
    try {
      const fileName = xmlFileName(doc);
      return { path: `${safeName(fileName.replace(/\.xml$/i, ''), id)}.xml`, bytes: exportXml(doc) };
    } catch {
      // An unreadable model still leaves its content in the JSON below.
    }
  }
  const json = doc.getMap('report').size > 0 ? doc.getMap('report').toJSON() : doc.toJSON();
  return { path: `${safeName(name, id)}.json`, bytes: new TextEncoder().encode(JSON.stringify(json, null, 2)) };
}

export async function exportAccount(ctx: AccountsContext, account: Account): Promise<Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  const taken = new Set<string>();
  const own = [
    ...(await ctx.store.listDocuments(account.id, false)),
    ...(await ctx.store.listDocuments(account.id, true)),
  ];
  const documents = [];
  for (const meta of own) {
    const doc = new Y.Doc();
    try {
      for (const update of await ctx.persistence.load(meta.id)) Y.applyUpdate(doc, update);
      const file = documentFile(doc, meta.name, meta.id);
      let path = `documents/${file.path}`;
      for (let n = 2; taken.has(path); n++) path = `documents/${file.path.replace(/(\.[a-z]+)$/, ` (${n})$1`)}`;
      taken.add(path);
      files[path] = file.bytes;
      documents.push({
        ...documentView(meta),
        file: path,
        shares: (await ctx.store.listShares(meta.id)).map((s) => ({
          email: s.email,
          since: s.createdAt,
          access: 'read-only',
        })),
      });
    } finally {
      doc.destroy();
    }
  }
  const friendships = await ctx.store.listFriendships(account.id, account.email);
  const summary = {
    exportedAt: ctx.now(),
    account: accountView(account),
    documents,
    sharedWithMe: (await ctx.store.listSharedWith(account.id)).map((d) => ({
      id: d.id,
      name: d.name,
      owner: d.ownerEmail,
      since: d.sharedAt,
    })),
    friends: friendships.map((f) => ({
      email: f.requesterId === account.id ? f.addresseeEmail : f.requesterEmail,
      status: f.status,
      direction: f.requesterId === account.id ? 'sent' : 'received',
      since: f.acceptedAt ?? f.createdAt,
    })),
    securityActivity: await ctx.store.listAudit(account.id, account.email, 100_000),
  };
  files['mixdesk-account.json'] = new TextEncoder().encode(JSON.stringify(summary, null, 2));
  return zipSync(files, { level: 6 });
}

/** GET /api/export: the zip above, as a download; recorded in the security activity. */
export function exportRoutes(ctx: AccountsContext): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/export',
      access: 'account',
      async handle({ res, from, principal }) {
        const zip = await exportAccount(ctx, principal.account);
        await ctx.audit.record(
          'export',
          { accountId: principal.account.id, email: principal.account.email },
          from,
          `${zip.byteLength} bytes`,
        );
        const day = new Date(ctx.now()).toISOString().slice(0, 10);
        res.writeHead(200, {
          'Content-Type': 'application/zip',
          'Content-Length': zip.byteLength,
          'Cache-Control': 'no-store',
          'Content-Disposition': `attachment; filename="mixdesk-export-${day}.zip"`,
        });
        res.end(zip);
      },
    },
  ];
}
