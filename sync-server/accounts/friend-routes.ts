/**
 * Routes for friends: GET|POST /api/friends, POST /api/friends/:id/accept,
 * POST /api/friends/:id/decline, DELETE /api/friends/:id.
 *
 * A request goes to an address and gets the same answer whether or not it has an account (it
 * waits there until someone signs in with it). Removing a friend removes every share between
 * the two, both ways, and cuts the connections those shares allowed.
 */
import { randomToken } from './secrets.ts';
import type { Friendship } from './account-store.ts';
import type { AccountsContext } from './accounts-context.ts';
import type { Route } from './api-router.ts';
import { normaliseEmail } from './email-address.ts';
import { ApiError, sendJson } from './http-json.ts';

/** Bounds what one account can pile up unanswered. */
export const MAX_PENDING_REQUESTS = 200;
/**
 * Friend requests one account may send per day (each may mail nobody, but each puts its
 * address in front of someone): far above a person's use, well below a spammer's. Counted from
 * the audit log, so cancelling a request does not give it back and a restart does not reset it.
 */
export const FRIEND_REQUEST_LIMIT = { count: 20, windowMs: 24 * 3_600_000 };
/** How far back in the account's audit log the count looks (other events in between are few). */
const AUDIT_LOOKBACK = 2_000;

export function friendRoutes(ctx: AccountsContext): Route[] {
  /** A friendship row the caller is part of, or 404. */
  async function mine(id: string, accountId: string, email: string): Promise<Friendship> {
    const friendship = await ctx.store.getFriendship(id);
    if (!friendship || (friendship.requesterId !== accountId && friendship.addresseeEmail !== email)) {
      throw new ApiError(404, 'not-found', 'No such friend or request.');
    }
    return friendship;
  }

  return [
    {
      method: 'GET',
      path: '/api/friends',
      access: 'account',
      async handle({ res, principal }) {
        const { id, email } = principal.account;
        const rows = await ctx.store.listFriendships(id, email);
        const friends = [];
        for (const f of rows.filter((r) => r.status === 'accepted')) {
          const otherEmail = f.requesterId === id ? f.addresseeEmail : f.requesterEmail;
          const other = await ctx.store.findAccountByEmail(otherEmail);
          if (other) friends.push({ id: f.id, accountId: other.id, email: otherEmail, since: f.acceptedAt });
        }
        sendJson(res, 200, {
          friends,
          incoming: rows
            .filter((r) => r.status === 'pending' && r.addresseeEmail === email)
            .map((r) => ({ id: r.id, email: r.requesterEmail, at: r.createdAt })),
          outgoing: rows
            .filter((r) => r.status === 'pending' && r.requesterId === id)
            .map((r) => ({ id: r.id, email: r.addresseeEmail, at: r.createdAt })),
        });
      },
    },
    {
      method: 'POST',
      path: '/api/friends',
      access: 'account',
      async handle({ res, body, from, principal }) {
        const { account } = principal;
        const email = normaliseEmail((await body()).email);
        if (!email) throw new ApiError(400, 'bad-email', "Give your friend's email address.");
        if (email === account.email) throw new ApiError(400, 'self', 'You cannot befriend yourself.');
        const since = ctx.now() - FRIEND_REQUEST_LIMIT.windowMs;
        const recent = (await ctx.store.listAudit(account.id, account.email, AUDIT_LOOKBACK)).filter(
          (e) => e.event === 'friend-request' && e.at > since,
        );
        if (recent.length >= FRIEND_REQUEST_LIMIT.count) {
          const oldest = Math.min(...recent.map((e) => e.at));
          throw new ApiError(
            429,
            'too-many-requests',
            `At most ${FRIEND_REQUEST_LIMIT.count} friend requests a day: try again later.`,
            {
              'Retry-After': String(
                Math.max(1, Math.ceil((oldest + FRIEND_REQUEST_LIMIT.windowMs - ctx.now()) / 1000)),
              ),
            },
          );
        }
        const pending = (await ctx.store.listFriendships(account.id, account.email)).filter(
          (f) => f.status === 'pending' && f.requesterId === account.id,
        );
        if (pending.length >= MAX_PENDING_REQUESTS)
          throw new ApiError(
            429,
            'too-many-requests',
            `At most ${MAX_PENDING_REQUESTS} friend requests can wait for an answer; cancel some first.`,
          );
        const row = await ctx.store.requestFriend({
          id: randomToken(9),
          requesterId: account.id,
          requesterEmail: account.email,
          addresseeEmail: email,
          createdAt: ctx.now(),
        });
        await ctx.audit.record('friend-request', { accountId: account.id, email: account.email }, from, email);
        // Asking someone who already asked you is saying yes.
        if (row.status === 'pending' && row.addresseeEmail === account.email)
          await ctx.store.acceptFriendship(row.id, ctx.now());
        sendJson(res, 202, { message: `Friend request sent to ${email}. It shows up there when they sign in.` });
      },
    },
    {
      method: 'POST',
      path: '/api/friends/:id/accept',
      access: 'account',
      async handle({ res, params, principal }) {
        const f = await mine(params.id!, principal.account.id, principal.account.email);
        if (f.addresseeEmail !== principal.account.email)
          throw new ApiError(403, 'not-yours', 'Only the person asked can accept a request.');
        await ctx.store.acceptFriendship(f.id, ctx.now());
        sendJson(res, 200, { id: f.id, email: f.requesterEmail, status: 'accepted' });
      },
    },
    {
      method: 'POST',
      path: '/api/friends/:id/decline',
      access: 'account',
      async handle({ res, params, principal }) {
        const f = await mine(params.id!, principal.account.id, principal.account.email);
        if (f.status !== 'pending')
          throw new ApiError(409, 'not-pending', 'This request was already accepted; remove the friend instead.');
        await ctx.store.deleteFriendship(f.id);
        sendJson(res, 204, undefined);
      },
    },
    {
      method: 'DELETE',
      path: '/api/friends/:id',
      access: 'account',
      async handle({ res, params, principal }) {
        const { account } = principal;
        const f = await mine(params.id!, account.id, account.email);
        await ctx.store.deleteFriendship(f.id);
        const other = await ctx.store.findAccountByEmail(
          f.requesterId === account.id ? f.addresseeEmail : f.requesterEmail,
        );
        if (other) {
          for (const share of await ctx.store.removeSharesBetween(account.id, other.id)) {
            ctx.relayAuth.closeAccount(share.docId, share.accountId, 'no longer friends');
          }
        }
        sendJson(res, 204, undefined);
      },
    },
  ];
}
