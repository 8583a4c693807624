/**
 * Routes for signing in and out, the account, its devices, API tokens and security activity:
 * POST /api/auth/pin, POST /api/auth/verify, POST /api/auth/signout, GET|DELETE /api/me,
 * GET /api/sessions, DELETE /api/sessions/:id, GET|POST /api/tokens, DELETE /api/tokens/:id,
 * GET /api/audit.
 */
import type { Account } from './account-store.ts';
import { PURGE_AFTER_MS, type AccountsContext } from './accounts-context.ts';
import type { Route } from './api-router.ts';
import { credentialId } from './relay-authorization.ts';
import { deviceLabel } from './device-label.ts';
import { normaliseEmail } from './email-address.ts';
import { ApiError, sendJson, stringField } from './http-json.ts';
import { clearedSessionCookie, sessionCookie } from './session-cookie.ts';

const AUDIT_LIST_LIMIT = 500;
const TOKEN_NAME_MAX = 80;
export const MAX_TOKENS_PER_ACCOUNT = 50;

function emailFrom(body: Record<string, unknown>): string {
  const email = normaliseEmail(body.email);
  if (!email) throw new ApiError(400, 'bad-email', 'Give an email address like name@example.com.');
  return email;
}

export function accountView(account: Account) {
  return {
    id: account.id,
    email: account.email,
    createdAt: account.createdAt,
    deletionScheduledFor: account.deletionRequestedAt === null ? null : account.deletionRequestedAt + PURGE_AFTER_MS,
  };
}

/** Every document the account's connections may be open on: its own and those shared with it. */
export async function documentsOf(ctx: AccountsContext, accountId: string): Promise<string[]> {
  const own = [
    ...(await ctx.store.listDocuments(accountId, false)),
    ...(await ctx.store.listDocuments(accountId, true)),
  ];
  return [...own, ...(await ctx.store.listSharedWith(accountId))].map((d) => d.id);
}

export function authRoutes(ctx: AccountsContext): Route[] {
  return [
    {
      method: 'POST',
      path: '/api/auth/pin',
      access: 'anyone',
      async handle({ res, body, from }) {
        await ctx.pins.requestPin(emailFrom(await body()), from);
        sendJson(res, 202, { message: 'A PIN is on its way to that address. It is valid for 10 minutes.' });
      },
    },
    {
      method: 'POST',
      path: '/api/auth/verify',
      access: 'anyone',
      async handle({ res, body, from }) {
        const input = await body();
        const email = emailFrom(input);
        const pin = stringField(input, 'pin', 20);
        const { account, deletionCancelled } = await ctx.pins.verifyPin(email, pin, from);
        const known = new Set((await ctx.store.listSessions(account.id)).map((s) => deviceLabel(s.userAgent)));
        const { cookieValue } = await ctx.credentials.createSession(account, from);
        const device = deviceLabel(from.userAgent);
        await ctx.audit.record('sign-in', { accountId: account.id, email }, from, device);
        if (!known.has(device)) await ctx.audit.record('new-device', { accountId: account.id, email }, from, device);
        sendJson(
          res,
          200,
          { ...accountView(account), deletionCancelled },
          { 'Set-Cookie': sessionCookie(cookieValue) },
        );
      },
    },
    {
      method: 'POST',
      path: '/api/auth/signout',
      access: 'session',
      async handle({ res, body, from, principal, req }) {
        const everywhere = req.headers['content-type'] ? (await body()).everywhere === true : false;
        const { account } = principal;
        const docs = await documentsOf(ctx, account.id);
        if (everywhere) {
          const sessions = await ctx.store.listSessions(account.id);
          await ctx.store.deleteAllSessions(account.id);
          for (const s of sessions) ctx.relayAuth.closeCredential(docs, `session:${s.id}`, 'signed out everywhere');
          await ctx.audit.record(
            'sign-out-everywhere',
            { accountId: account.id, email: account.email },
            from,
            `${sessions.length} devices`,
          );
        } else if (principal.kind === 'session') {
          await ctx.store.deleteSession(account.id, principal.session.id);
          ctx.relayAuth.closeCredential(docs, credentialId(principal), 'signed out');
          await ctx.audit.record(
            'sign-out',
            { accountId: account.id, email: account.email },
            from,
            deviceLabel(principal.session.userAgent),
          );
        }
        sendJson(res, 200, { signedOut: true }, { 'Set-Cookie': clearedSessionCookie() });
      },
    },
    {
      method: 'GET',
      path: '/api/me',
      access: 'account',
      async handle({ res, principal }) {
        sendJson(res, 200, { ...accountView(principal.account), via: principal.kind });
      },
    },
    {
      method: 'DELETE',
      path: '/api/me',
      access: 'session',
      async handle({ res, from, principal }) {
        const { account } = principal;
        const now = ctx.now();
        // Everything goes dark at once: sessions, tokens' use (account marked), shares both ways, live sockets.
        const own = [
          ...(await ctx.store.listDocuments(account.id, false)),
          ...(await ctx.store.listDocuments(account.id, true)),
        ];
        const received = await ctx.store.listSharedWith(account.id);
        for (const doc of own) {
          for (const share of await ctx.store.listShares(doc.id)) await ctx.store.removeShare(doc.id, share.accountId);
          ctx.relayAuth.closeAllBut(doc.id, null, 'account deleted');
        }
        for (const doc of received) {
          await ctx.store.removeShare(doc.id, account.id);
          ctx.relayAuth.closeAccount(doc.id, account.id, 'account deleted');
        }
        await ctx.store.deleteAllSessions(account.id);
        await ctx.store.setDeletionRequested(account.id, now);
        await ctx.audit.record('account-deletion-requested', { accountId: account.id, email: account.email }, from);
        sendJson(
          res,
          202,
          {
            deletionScheduledFor: now + PURGE_AFTER_MS,
            message:
              'Your account and everything in it will be purged in 30 days. Signing in again before then cancels it.',
          },
          { 'Set-Cookie': clearedSessionCookie() },
        );
      },
    },
    {
      method: 'GET',
      path: '/api/sessions',
      access: 'account',
      async handle({ res, principal }) {
        const current = principal.kind === 'session' ? principal.session.id : null;
        const sessions = await ctx.store.listSessions(principal.account.id);
        sendJson(res, 200, {
          devices: sessions
            .filter((s) => s.expiresAt > ctx.now())
            .map((s) => ({
              id: s.id,
              device: deviceLabel(s.userAgent),
              ip: s.ip,
              createdAt: s.createdAt,
              lastSeenAt: s.lastSeenAt,
              current: s.id === current,
            })),
        });
      },
    },
    {
      method: 'DELETE',
      path: '/api/sessions/:id',
      access: 'account',
      async handle({ res, params, from, principal }) {
        const { account } = principal;
        const session = (await ctx.store.listSessions(account.id)).find((s) => s.id === params.id);
        if (!session || !(await ctx.store.deleteSession(account.id, session.id)))
          throw new ApiError(404, 'not-found', 'No such device is signed in.');
        ctx.relayAuth.closeCredential(await documentsOf(ctx, account.id), `session:${session.id}`, 'signed out');
        await ctx.audit.record(
          'sign-out',
          { accountId: account.id, email: account.email },
          from,
          deviceLabel(session.userAgent),
        );
        sendJson(res, 204, undefined);
      },
    },
    {
      method: 'GET',
      path: '/api/tokens',
      access: 'account',
      async handle({ res, principal }) {
        const tokens = await ctx.store.listTokens(principal.account.id);
        sendJson(res, 200, {
          tokens: tokens.map((t) => ({ id: t.id, name: t.name, createdAt: t.createdAt, lastUsedAt: t.lastUsedAt })),
        });
      },
    },
    {
      method: 'POST',
      path: '/api/tokens',
      access: 'session',
      async handle({ res, body, from, principal }) {
        const name = stringField(await body(), 'name', TOKEN_NAME_MAX) || 'API token';
        if ((await ctx.store.listTokens(principal.account.id)).length >= MAX_TOKENS_PER_ACCOUNT) {
          throw new ApiError(
            409,
            'too-many-tokens',
            `An account can have at most ${MAX_TOKENS_PER_ACCOUNT} API tokens; revoke one first.`,
          );
        }
        const { token, record } = await ctx.credentials.createToken(principal.account, name);
        await ctx.audit.record(
          'token-created',
          { accountId: principal.account.id, email: principal.account.email },
          from,
          name,
        );
        sendJson(res, 201, {
          id: record.id,
          name,
          createdAt: record.createdAt,
          token,
          message: 'Copy the token now: it is shown only once.',
        });
      },
    },
    {
      method: 'DELETE',
      path: '/api/tokens/:id',
      access: 'account',
      async handle({ res, params, from, principal }) {
        const { account } = principal;
        const token = (await ctx.store.listTokens(account.id)).find((t) => t.id === params.id);
        if (!token || !(await ctx.store.deleteToken(account.id, token.id)))
          throw new ApiError(404, 'not-found', 'No such API token.');
        ctx.relayAuth.closeCredential(await documentsOf(ctx, account.id), `token:${token.id}`, 'API token revoked');
        await ctx.audit.record('token-revoked', { accountId: account.id, email: account.email }, from, token.name);
        sendJson(res, 204, undefined);
      },
    },
    {
      method: 'GET',
      path: '/api/audit',
      access: 'account',
      async handle({ res, principal }) {
        const events = await ctx.store.listAudit(principal.account.id, principal.account.email, AUDIT_LIST_LIMIT);
        sendJson(res, 200, {
          events: events.map((e) => ({
            at: e.at,
            event: e.event,
            ip: e.ip,
            device: deviceLabel(e.userAgent),
            userAgent: e.userAgent,
            detail: e.detail,
          })),
        });
      },
    },
  ];
}
