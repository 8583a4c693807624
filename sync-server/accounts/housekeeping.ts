/**
 * Housekeeping: the deadlines of the account system, run at start and then every hour:
 * documents in Trash for 30 days are purged (content and update log), accounts whose
 * deletion was asked 30 days ago are purged with all their documents, security activity
 * older than a year and expired PINs and sessions are dropped.
 */
import { PURGE_AFTER_MS, type AccountsContext } from './accounts-context.ts';
import { AUDIT_RETENTION_MS } from './audit-log.ts';
import { purgeDocument } from './document-routes.ts';

const DAY = 24 * 3_600_000;

export async function runHousekeeping(ctx: AccountsContext): Promise<{ documents: number; accounts: number }> {
  const now = ctx.now();
  const dueDocuments = await ctx.store.documentsDueForPurge(now - PURGE_AFTER_MS);
  for (const doc of dueDocuments) await purgeDocument(ctx, doc);
  const dueAccounts = await ctx.store.accountsDueForPurge(now - PURGE_AFTER_MS);
  for (const account of dueAccounts) {
    const own = [
      ...(await ctx.store.listDocuments(account.id, false)),
      ...(await ctx.store.listDocuments(account.id, true)),
    ];
    for (const doc of own) await purgeDocument(ctx, doc);
    await ctx.store.deleteAccount(account.id, now);
  }
  await ctx.store.pruneAudit(now - AUDIT_RETENTION_MS);
  await ctx.store.prunePins(now - DAY);
  await ctx.store.pruneSessions(now);
  return { documents: dueDocuments.length, accounts: dueAccounts.length };
}
