/** Records security activity (who, what, when, from which address and browser) in the AccountStore. */
import type { AccountStore, AuditEvent } from './account-store.ts';

/** Where a request came from, as the audit log and the devices list show it. */
export interface RequestInfo {
  ip: string;
  userAgent: string;
}

/** Security activity is kept one year. */
export const AUDIT_RETENTION_MS = 365 * 24 * 3_600_000;

export class AuditLog {
  constructor(
    private readonly store: AccountStore,
    private readonly now: () => number,
  ) {}

  record(
    event: AuditEvent,
    who: { accountId: string | null; email: string },
    from: RequestInfo,
    detail = '',
  ): Promise<void> {
    return this.store.appendAudit({
      at: this.now(),
      accountId: who.accountId,
      email: who.email,
      event,
      ip: from.ip,
      userAgent: from.userAgent,
      detail: detail.slice(0, 300),
    });
  }
}
