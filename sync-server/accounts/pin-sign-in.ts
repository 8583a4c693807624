/**
 * Sign-in with an email and a one-time PIN, no passwords.
 *
 * - The PIN: 6 digits from crypto.randomInt, valid 10 minutes, single use, one live PIN per
 *   address (a new request replaces the old one), stored as HMAC-SHA-256 under the server
 *   secret, compared in constant time; the 5th wrong try burns it.
 * - Sending is limited per address (3 per 15 minutes, 10 per day) and per IP (30 per
 *   15 minutes, 200 per day: a studio shares one address). Verifying is limited per IP
 *   (50 tries per 15 minutes) so one machine cannot walk through many addresses; counted in
 *   Redis when the deployment has it, so the limit holds across its processes (issue 16).
 * - Enumeration: "send me a PIN" does the same work and gives the same answer whether or not
 *   the address has an account (an account is created by the first successful verify), and
 *   the mail goes out after the answer so SMTP latency cannot tell anything either.
 */
import { randomInt } from 'node:crypto';
import type { Account, AccountStore } from './account-store.ts';
import { MemoryAttemptLimiter, type AttemptLimiter } from './attempt-limiter.ts';
import type { AuditLog, RequestInfo } from './audit-log.ts';
import { ApiError } from './http-json.ts';
import type { Mailer } from './mailer.ts';
import { hmacSha256, sameDigest } from './secrets.ts';

const MINUTE = 60_000;
export const PIN_LIFETIME_MS = 10 * MINUTE;
export const PIN_MAX_FAILURES = 5;
export const PIN_SEND_LIMITS = {
  perAddress: [
    { count: 3, windowMs: 15 * MINUTE },
    { count: 10, windowMs: 24 * 60 * MINUTE },
  ],
  perIp: [
    { count: 30, windowMs: 15 * MINUTE },
    { count: 200, windowMs: 24 * 60 * MINUTE },
  ],
};
export const PIN_VERIFY_LIMIT_PER_IP = { count: 50, windowMs: 15 * MINUTE };

export type VerifyResult = { ok: true; account: Account; deletionCancelled: boolean };

export class PinSignIn {
  constructor(
    private readonly store: AccountStore,
    private readonly mailer: Mailer,
    private readonly secret: Buffer,
    private readonly audit: AuditLog,
    private readonly now: () => number,
    private readonly onMailError: (error: unknown) => void,
    /** Verify attempts per IP (PIN_VERIFY_LIMIT_PER_IP); shared by the processes of a deployment. */
    private readonly verifyAttempts: AttemptLimiter = new MemoryAttemptLimiter(
      PIN_VERIFY_LIMIT_PER_IP.count,
      PIN_VERIFY_LIMIT_PER_IP.windowMs,
    ),
  ) {}

  private hash(email: string, pin: string): string {
    return hmacSha256(this.secret, `pin:${email}:${pin}`);
  }

  /** Issues and mails a PIN, or throws 429 when a send limit is reached. */
  async requestPin(email: string, from: RequestInfo): Promise<void> {
    const now = this.now();
    for (const [key, limits] of [
      [{ email }, PIN_SEND_LIMITS.perAddress],
      [{ ip: from.ip }, PIN_SEND_LIMITS.perIp],
    ] as const) {
      for (const limit of limits) {
        if ((await this.store.countPinSends(key, now - limit.windowMs)) >= limit.count) {
          const minutes = Math.round(limit.windowMs / MINUTE);
          throw new ApiError(
            429,
            'too-many-pins',
            `At most ${limit.count} PINs per ${minutes >= 60 ? `${minutes / 60} hours` : `${minutes} minutes`} ${'email' in key ? 'for one address' : 'from one network address'}: wait and try again.`,
            { 'Retry-After': String(Math.ceil(limit.windowMs / 1000)) },
          );
        }
      }
    }
    const pin = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await this.store.recordPinSend(email, from.ip, now);
    await this.store.putPin({
      email,
      pinHash: this.hash(email, pin),
      createdAt: now,
      expiresAt: now + PIN_LIFETIME_MS,
      failures: 0,
    });
    await this.audit.record(
      'pin-sent',
      { accountId: (await this.store.findAccountByEmail(email))?.id ?? null, email },
      from,
    );
    // Not awaited: the answer must not wait for (or reveal anything through) the mail server.
    this.mailer.sendPin({ to: email, pin, validMinutes: PIN_LIFETIME_MS / MINUTE }).catch(this.onMailError);
  }

  /** Checks the PIN; on success it is used up and the account exists (created on first sign-in). */
  async verifyPin(email: string, pin: string, from: RequestInfo): Promise<VerifyResult> {
    const now = this.now();
    const waitMs = await this.verifyAttempts.take(from.ip, now);
    if (waitMs > 0) {
      throw new ApiError(
        429,
        'too-many-attempts',
        'Too many sign-in attempts from this network address: wait a few minutes.',
        { 'Retry-After': String(Math.ceil(waitMs / 1000)) },
      );
    }
    const record = await this.store.getPin(email);
    const expired = () =>
      new ApiError(
        401,
        'pin-expired',
        'This PIN is no longer valid (expired, used, or too many wrong tries): ask for a new one.',
      );
    if (!record || record.expiresAt <= now || record.failures >= PIN_MAX_FAILURES) {
      if (record) await this.store.deletePin(email, record.pinHash);
      throw expired();
    }
    const matches = /^\d{6}$/.test(pin) && sameDigest(this.hash(email, pin), record.pinHash);
    if (!matches) {
      const failures = await this.store.addPinFailure(email);
      const account = await this.store.findAccountByEmail(email);
      await this.audit.record(
        'pin-failed',
        { accountId: account?.id ?? null, email },
        from,
        `wrong try ${failures} of ${PIN_MAX_FAILURES}`,
      );
      if (failures >= PIN_MAX_FAILURES) {
        await this.store.deletePin(email, record.pinHash);
        throw new ApiError(
          401,
          'pin-burned',
          `Wrong PIN, ${PIN_MAX_FAILURES} times: this PIN no longer works. Ask for a new one.`,
        );
      }
      throw new ApiError(
        401,
        'wrong-pin',
        `Wrong PIN: ${PIN_MAX_FAILURES - failures} ${PIN_MAX_FAILURES - failures === 1 ? 'try' : 'tries'} left.`,
      );
    }
    if (!(await this.store.deletePin(email, record.pinHash))) throw expired(); // a concurrent request used it first
    const account = await this.store.ensureAccount(email, now);
    const deletionCancelled = account.deletionRequestedAt !== null;
    if (deletionCancelled) {
      await this.store.setDeletionRequested(account.id, null);
      await this.audit.record(
        'account-deletion-cancelled',
        { accountId: account.id, email },
        from,
        'by signing in again',
      );
    }
    return { ok: true, account: { ...account, deletionRequestedAt: null }, deletionCancelled };
  }
}
