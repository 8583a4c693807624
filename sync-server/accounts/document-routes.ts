/**
 * Routes for documents owned by accounts, the server's Trash and read-only shares:
 * GET|POST /api/documents, PUT|DELETE /api/documents/:id, POST /api/documents/:id/restore,
 * GET /api/trash, DELETE /api/trash/:id, GET|POST /api/documents/:id/shares,
 * DELETE /api/documents/:id/shares/:accountId.
 *
 * Attaching (POST /api/documents, PUT /api/documents/:id) is what the client calls after the
 * user agreed to put the local library into the account: it records ownership and metadata;
 * the content then arrives through the relay as the documents sync.
 */
import { isValidDocId } from '../relay/index.ts';
import type { DocumentMetadata, OwnedDocument } from './account-store.ts';
import { PURGE_AFTER_MS, type AccountsContext } from './accounts-context.ts';
import type { Route } from './api-router.ts';
import { normaliseEmail } from './email-address.ts';
import { ApiError, sendJson } from './http-json.ts';

export const MAX_ATTACH_BATCH = 1000;
/** Documents per account (library and Trash); far above a working library, a bound for a hostile one. */
export const MAX_DOCUMENTS_PER_ACCOUNT = 20_000;
const LIMITS = { name: 200, kind: 40, tags: 50, tag: 64, notes: 20_000, roomProfile: 200 };

/** Validates one document's metadata as sent by the client; throws a 400 that names the field. */
export function parseMetadata(raw: unknown, id?: string): DocumentMetadata {
  if (typeof raw !== 'object' || raw === null)
    throw new ApiError(400, 'bad-document', 'A document must be a JSON object.');
  const m = raw as Record<string, unknown>;
  const docId = id ?? m.id;
  if (typeof docId !== 'string' || !isValidDocId(docId))
    throw new ApiError(400, 'bad-document', 'A document id is 1-128 letters, digits, _ or -.');
  const text = (field: keyof typeof LIMITS, required: boolean): string => {
    const value = m[field];
    if (value === undefined && !required) return '';
    if (typeof value !== 'string' || value.length > LIMITS[field])
      throw new ApiError(
        400,
        'bad-document',
        `Document ${docId}: '${field}' must be text of at most ${LIMITS[field]} characters.`,
      );
    return value;
  };
  const tags = m.tags ?? [];
  if (
    !Array.isArray(tags) ||
    tags.length > LIMITS.tags ||
    tags.some((t) => typeof t !== 'string' || t.length > LIMITS.tag)
  ) {
    throw new ApiError(
      400,
      'bad-document',
      `Document ${docId}: 'tags' must be at most ${LIMITS.tags} texts of at most ${LIMITS.tag} characters.`,
    );
  }
  const updatedAt = m.updatedAt ?? 0;
  if (typeof updatedAt !== 'number' || !Number.isFinite(updatedAt))
    throw new ApiError(400, 'bad-document', `Document ${docId}: 'updatedAt' must be a number.`);
  return {
    id: docId,
    name: text('name', true),
    kind: text('kind', true),
    tags: tags as string[],
    notes: text('notes', false),
    roomProfile: text('roomProfile', false),
    updatedAt,
  };
}

export function documentView(d: OwnedDocument) {
  return {
    id: d.id,
    name: d.name,
    kind: d.kind,
    tags: d.tags,
    notes: d.notes,
    roomProfile: d.roomProfile,
    updatedAt: d.updatedAt,
    deletedAt: d.deletedAt,
    ...(d.deletedAt === null ? {} : { purgeAt: d.deletedAt + PURGE_AFTER_MS }),
  };
}

export function documentRoutes(ctx: AccountsContext): Route[] {
  /** The caller's own, not purged document, or 404 (a foreign id looks exactly like a missing one). */
  async function own(docId: string, accountId: string): Promise<OwnedDocument> {
    const doc = await ctx.store.getDocument(docId);
    if (!doc || doc.ownerId !== accountId || doc.purgedAt !== null)
      throw new ApiError(404, 'not-found', 'You have no such document.');
    return doc;
  }

  /** Refuses (before anything is stored) attaching documents that would take the account past its bound. */
  async function checkRoom(ownerId: string, ids: string[]): Promise<void> {
    let added = 0;
    for (const id of ids) if (!(await ctx.store.getDocument(id))) added++;
    if (added === 0) return;
    const count =
      (await ctx.store.listDocuments(ownerId, false)).length + (await ctx.store.listDocuments(ownerId, true)).length;
    if (count + added > MAX_DOCUMENTS_PER_ACCOUNT)
      throw new ApiError(
        409,
        'too-many-documents',
        `An account can hold at most ${MAX_DOCUMENTS_PER_ACCOUNT} documents.`,
      );
  }

  async function attach(ownerId: string, metadata: DocumentMetadata) {
    const result = await ctx.store.claimDocument(ownerId, metadata);
    // Connections opened before the document had an owner (anonymous) must prove who they are now.
    if (result === 'claimed') ctx.relayAuth.reauthenticateAllBut(metadata.id, ownerId);
    return result;
  }

  return [
    {
      method: 'GET',
      path: '/api/documents',
      access: 'account',
      async handle({ res, principal }) {
        const documents = await ctx.store.listDocuments(principal.account.id, false);
        const shared = await ctx.store.listSharedWith(principal.account.id);
        sendJson(res, 200, {
          documents: documents.map(documentView),
          sharedWithMe: shared.map((d) => ({
            ...documentView(d),
            owner: d.ownerEmail,
            sharedAt: d.sharedAt,
            access: 'read-only',
          })),
        });
      },
    },
    {
      method: 'POST',
      path: '/api/documents',
      access: 'account',
      async handle({ res, body, principal }) {
        const list = (await body(2 * 1024 * 1024)).documents;
        if (!Array.isArray(list) || list.length > MAX_ATTACH_BATCH)
          throw new ApiError(
            400,
            'bad-request',
            `'documents' must be a list of at most ${MAX_ATTACH_BATCH} documents.`,
          );
        const parsed = list.map((raw) => parseMetadata(raw)); // all validated before any is stored: no half-import
        await checkRoom(
          principal.account.id,
          parsed.map((m) => m.id),
        );
        const attached: string[] = [];
        const refused: { id: string; reason: string }[] = [];
        for (const metadata of parsed) {
          if ((await attach(principal.account.id, metadata)) === 'owned-by-another')
            refused.push({ id: metadata.id, reason: 'belongs to another account' });
          else attached.push(metadata.id);
        }
        sendJson(res, 200, { attached, refused });
      },
    },
    {
      method: 'PUT',
      path: '/api/documents/:id',
      access: 'account',
      async handle({ res, body, params, principal }) {
        const metadata = parseMetadata(await body(), params.id);
        await checkRoom(principal.account.id, [metadata.id]);
        const result = await attach(principal.account.id, metadata);
        if (result === 'owned-by-another')
          throw new ApiError(409, 'owned-by-another', 'This document belongs to another account.');
        sendJson(res, result === 'claimed' ? 201 : 200, documentView((await ctx.store.getDocument(metadata.id))!));
      },
    },
    {
      method: 'DELETE',
      path: '/api/documents/:id',
      access: 'account',
      async handle({ res, params, from, principal }) {
        const doc = await own(params.id!, principal.account.id);
        if (doc.deletedAt === null) {
          await ctx.store.setDocumentDeleted(doc.id, ctx.now());
          ctx.relayAuth.closeAllBut(doc.id, doc.ownerId, 'document moved to Trash');
          await ctx.audit.record(
            'document-deleted',
            { accountId: principal.account.id, email: principal.account.email },
            from,
            doc.name,
          );
        }
        sendJson(res, 200, documentView((await ctx.store.getDocument(doc.id))!));
      },
    },
    {
      method: 'POST',
      path: '/api/documents/:id/restore',
      access: 'account',
      async handle({ res, params, from, principal }) {
        const doc = await own(params.id!, principal.account.id);
        await ctx.store.setDocumentDeleted(doc.id, null);
        await ctx.audit.record(
          'document-restored',
          { accountId: principal.account.id, email: principal.account.email },
          from,
          doc.name,
        );
        sendJson(res, 200, documentView((await ctx.store.getDocument(doc.id))!));
      },
    },
    {
      method: 'GET',
      path: '/api/trash',
      access: 'account',
      async handle({ res, principal }) {
        sendJson(res, 200, {
          documents: (await ctx.store.listDocuments(principal.account.id, true)).map(documentView),
        });
      },
    },
    {
      method: 'DELETE',
      path: '/api/trash/:id',
      access: 'account',
      async handle({ res, params, from, principal }) {
        const doc = await own(params.id!, principal.account.id);
        if (doc.deletedAt === null) throw new ApiError(409, 'not-in-trash', 'Move the document to Trash first.');
        await purgeDocument(ctx, doc);
        await ctx.audit.record(
          'document-purged',
          { accountId: principal.account.id, email: principal.account.email },
          from,
          doc.name,
        );
        sendJson(res, 204, undefined);
      },
    },
    {
      method: 'GET',
      path: '/api/documents/:id/shares',
      access: 'account',
      async handle({ res, params, principal }) {
        const doc = await own(params.id!, principal.account.id);
        sendJson(res, 200, {
          shares: (await ctx.store.listShares(doc.id)).map((s) => ({
            accountId: s.accountId,
            email: s.email,
            createdAt: s.createdAt,
            access: 'read-only',
          })),
        });
      },
    },
    {
      method: 'POST',
      path: '/api/documents/:id/shares',
      access: 'account',
      async handle({ res, params, body, from, principal }) {
        const doc = await own(params.id!, principal.account.id);
        if (doc.deletedAt !== null)
          throw new ApiError(409, 'in-trash', 'Restore the document from Trash before sharing it.');
        const email = normaliseEmail((await body()).email);
        if (!email) throw new ApiError(400, 'bad-email', 'Give the email address of a friend.');
        const friend = await ctx.store.findAccountByEmail(email);
        const friendship =
          friend &&
          (await ctx.store.listFriendships(principal.account.id, principal.account.email)).find(
            (f) => f.status === 'accepted' && (f.requesterId === friend.id || f.addresseeEmail === friend.email),
          );
        if (!friend || !friendship)
          throw new ApiError(403, 'not-a-friend', 'You can share only with friends: send a friend request first.');
        await ctx.store.addShare({ docId: doc.id, accountId: friend.id, createdAt: ctx.now() });
        await ctx.audit.record(
          'share',
          { accountId: principal.account.id, email: principal.account.email },
          from,
          `${doc.name} with ${email} (read-only)`,
        );
        sendJson(res, 201, { accountId: friend.id, email, access: 'read-only' });
      },
    },
    {
      method: 'DELETE',
      path: '/api/documents/:id/shares/:accountId',
      access: 'account',
      async handle({ res, params, from, principal }) {
        const doc = await own(params.id!, principal.account.id);
        const share = (await ctx.store.listShares(doc.id)).find((s) => s.accountId === params.accountId);
        if (!share || !(await ctx.store.removeShare(doc.id, share.accountId)))
          throw new ApiError(404, 'not-found', 'This document is not shared with that account.');
        ctx.relayAuth.closeAccount(doc.id, share.accountId, 'share revoked');
        await ctx.audit.record(
          'revoke',
          { accountId: principal.account.id, email: principal.account.email },
          from,
          `${doc.name} from ${share.email}`,
        );
        sendJson(res, 204, undefined);
      },
    },
  ];
}

/** Cuts every connection, deletes the content and its update log, and reserves the id for good. */
export async function purgeDocument(ctx: AccountsContext, doc: OwnedDocument): Promise<void> {
  ctx.relayAuth.closeAllBut(doc.id, null, 'document deleted');
  await ctx.store.markDocumentPurged(doc.id, ctx.now());
  await ctx.persistence.delete(doc.id);
}
