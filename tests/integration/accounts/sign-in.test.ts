import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { api, sessionFrom, signIn, startAccountServer } from '../../support/account-harness.ts';
import { waitFor } from '../../support/relay-harness.ts';

const MINUTE = 60_000;

test('a PIN arrives by mail and signs in: the session cookie is __Host-, HttpOnly, Secure, SameSite=Strict, Path=/, 7 days', async () => {
  const server = await startAccountServer();
  try {
    const sent = await api(server.base, 'POST', '/api/auth/pin', { email: '  Ana@Example.com ' });
    assert.is(sent.status, 202);
    assert.is(sent.headers.get('cache-control'), 'no-store');
    const pin = await server.mailbox.nextPin('ana@example.com');
    assert.match(pin, /^\d{6}$/);
    const verified = await api(server.base, 'POST', '/api/auth/verify', { email: 'ana@example.com', pin });
    assert.is(verified.status, 200);
    assert.is(verified.body.email, 'ana@example.com');
    const setCookie = verified.headers.getSetCookie()[0] ?? '';
    assert.match(setCookie, /^__Host-mixdesk_session=[A-Za-z0-9_-]{43};/, '256 random bits, base64url');
    for (const flag of ['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/', `Max-Age=${7 * 24 * 3600}`])
      assert.ok(setCookie.includes(flag), `cookie has ${flag}: ${setCookie}`);
    assert.not.match(setCookie, /Domain=/i, '__Host- cookies are host-only');
    const me = await api(server.base, 'GET', '/api/me', undefined, { cookie: sessionFrom(verified) });
    assert.is(me.status, 200);
    assert.is(me.body.email, 'ana@example.com');
    assert.is((await api(server.base, 'GET', '/api/me')).status, 401);
    const again = await signIn(server, 'ana@example.com');
    assert.is.not(again, sessionFrom(verified), 'every sign-in gets a new session id');
  } finally {
    await server.close();
  }
});

test('wrong PINs get 401 with the tries left, and the fifth wrong try burns the PIN', async () => {
  const server = await startAccountServer();
  try {
    await api(server.base, 'POST', '/api/auth/pin', { email: 'ben@example.com' });
    const pin = await server.mailbox.nextPin('ben@example.com');
    const wrong = pin === '000000' ? '111111' : '000000';
    for (let i = 1; i <= 4; i++) {
      const answer = await api(server.base, 'POST', '/api/auth/verify', { email: 'ben@example.com', pin: wrong });
      assert.is(answer.status, 401);
      assert.is(answer.body.error, 'wrong-pin');
      assert.match(answer.body.message, `${5 - i} tr`);
    }
    const fifth = await api(server.base, 'POST', '/api/auth/verify', { email: 'ben@example.com', pin: wrong });
    assert.is(fifth.status, 401);
    assert.is(fifth.body.error, 'pin-burned');
    const right = await api(server.base, 'POST', '/api/auth/verify', { email: 'ben@example.com', pin });
    assert.is(right.status, 401, 'the right PIN no longer works either');
    assert.is(right.body.error, 'pin-expired');
    assert.equal(right.headers.getSetCookie(), []);
  } finally {
    await server.close();
  }
});

test('a PIN expires after 10 minutes and works only once; a newer PIN replaces an older one', async () => {
  const server = await startAccountServer();
  try {
    await api(server.base, 'POST', '/api/auth/pin', { email: 'cy@example.com' });
    const first = await server.mailbox.nextPin('cy@example.com');
    server.clock.now += 10 * MINUTE + 1;
    const late = await api(server.base, 'POST', '/api/auth/verify', { email: 'cy@example.com', pin: first });
    assert.is(late.status, 401);
    assert.is(late.body.error, 'pin-expired');

    await api(server.base, 'POST', '/api/auth/pin', { email: 'cy@example.com' });
    const older = await server.mailbox.nextPin('cy@example.com');
    await api(server.base, 'POST', '/api/auth/pin', { email: 'cy@example.com' });
    const newer = await server.mailbox.nextPin('cy@example.com');
    if (older !== newer)
      assert.is(
        (await api(server.base, 'POST', '/api/auth/verify', { email: 'cy@example.com', pin: older })).status,
        401,
      );
    server.clock.now += 9 * MINUTE;
    const [one, two] = await Promise.all([
      api(server.base, 'POST', '/api/auth/verify', { email: 'cy@example.com', pin: newer }),
      api(server.base, 'POST', '/api/auth/verify', { email: 'cy@example.com', pin: newer }),
    ]);
    assert.equal([one!.status, two!.status].sort(), [200, 401], 'two simultaneous uses: exactly one signs in');
    assert.is(
      (await api(server.base, 'POST', '/api/auth/verify', { email: 'cy@example.com', pin: newer })).status,
      401,
      'reuse is refused',
    );
  } finally {
    await server.close();
  }
});

test('sending is limited to 3 PINs per address per 15 minutes and 10 per day, with 429 and Retry-After', async () => {
  const server = await startAccountServer();
  try {
    const send = () => api(server.base, 'POST', '/api/auth/pin', { email: 'dee@example.com' });
    for (let i = 0; i < 3; i++) assert.is((await send()).status, 202);
    const limited = await send();
    assert.is(limited.status, 429);
    assert.is(limited.body.error, 'too-many-pins');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    assert.is(
      (await api(server.base, 'POST', '/api/auth/pin', { email: 'other@example.com' })).status,
      202,
      'other addresses are not affected',
    );
    let sent = 3;
    while (sent < 10) {
      server.clock.now += 15 * MINUTE + 1;
      for (let i = 0; i < 3 && sent < 10; i++, sent++)
        assert.is((await send()).status, 202, `PIN ${sent + 1} of the day`);
    }
    server.clock.now += 15 * MINUTE + 1;
    assert.is((await send()).status, 429, 'the 11th PIN of the day is refused');
    server.clock.now += 24 * 60 * MINUTE;
    assert.is((await send()).status, 202, 'a day later it works again');
    const mailsToDee = () => server.mailbox.mails.filter((m) => m.to.includes('dee@example.com')).length;
    await waitFor('11 mails', () => mailsToDee() >= 11);
    await new Promise((next) => setTimeout(next, 300));
    assert.is(mailsToDee(), 11, 'refused requests sent no mail');
  } finally {
    await server.close();
  }
});

test('sending is limited per IP address too', async () => {
  const server = await startAccountServer();
  try {
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++)
      statuses.push((await api(server.base, 'POST', '/api/auth/pin', { email: `user${i}@example.com` })).status);
    assert.equal(statuses.slice(0, 30), Array(30).fill(202));
    assert.is(statuses[30], 429);
  } finally {
    await server.close();
  }
});

test('enumeration: asking a PIN for an existing and a new address gives the same answer in similar time', async () => {
  const server = await startAccountServer();
  try {
    await signIn(server, 'known@example.com');
    const time = async (email: string) => {
      const start = performance.now();
      const answer = await api(server.base, 'POST', '/api/auth/pin', { email });
      return {
        ms: performance.now() - start,
        status: answer.status,
        body: JSON.stringify(answer.body),
        headers: [...answer.headers.keys()].filter((h) => h !== 'date').join(),
      };
    };
    const known = [];
    const unknown = [];
    for (let i = 0; i < 8; i++) {
      server.clock.now += 16 * MINUTE; // stay under the per-address limit
      known.push(await time('known@example.com'));
      unknown.push(await time(`new${i}@example.com`));
    }
    assert.equal(
      new Set([...known, ...unknown].map((a) => `${a.status} ${a.body} ${a.headers}`)).size,
      1,
      'byte-identical answers',
    );
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const [k, u] = [median(known.map((a) => a.ms)), median(unknown.map((a) => a.ms))];
    // Headroom for a loaded machine: the work is identical, so only noise separates the two.
    assert.ok(
      Math.abs(k - u) < 20 + 0.5 * Math.max(k, u),
      `median answer times: ${k.toFixed(1)} ms for a known address, ${u.toFixed(1)} ms for a new one`,
    );
  } finally {
    await server.close();
  }
});

test('signing out revokes the session; devices are listed and one can be signed out from another; sign out everywhere', async () => {
  const server = await startAccountServer();
  try {
    const laptop = await signIn(
      server,
      'eve@example.com',
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605 Version/17 Safari/605',
    );
    const phone = await signIn(
      server,
      'eve@example.com',
      'Mozilla/5.0 (Linux; Android 14) Chrome/140.0 Mobile Safari/537.36',
    );
    const studio = await signIn(server, 'eve@example.com');
    const devices = (await api(server.base, 'GET', '/api/sessions', undefined, { cookie: laptop })).body.devices;
    assert.equal(
      devices.map((d: { device: string }) => d.device),
      ['Safari on macOS', 'Chrome on Android', 'Chrome on Linux'],
    );
    assert.equal(
      devices.map((d: { current: boolean }) => d.current),
      [true, false, false],
    );
    const phoneId = devices[1].id;
    assert.is(
      (await api(server.base, 'DELETE', `/api/sessions/${phoneId}`, undefined, { cookie: laptop })).status,
      204,
    );
    assert.is(
      (await api(server.base, 'GET', '/api/me', undefined, { cookie: phone })).status,
      401,
      'that device is signed out',
    );
    const out = await api(server.base, 'POST', '/api/auth/signout', undefined, { cookie: laptop });
    assert.is(out.status, 200);
    assert.match(out.headers.getSetCookie()[0] ?? '', /^__Host-mixdesk_session=; Max-Age=0/);
    assert.is(
      (await api(server.base, 'GET', '/api/me', undefined, { cookie: laptop })).status,
      401,
      'the old cookie value is dead server-side',
    );
    server.clock.now += 16 * MINUTE; // past the 3-per-15-minutes send limit
    const other = await signIn(server, 'eve@example.com');
    assert.is(
      (await api(server.base, 'POST', '/api/auth/signout', { everywhere: true }, { cookie: other })).status,
      200,
    );
    assert.is((await api(server.base, 'GET', '/api/me', undefined, { cookie: studio })).status, 401);
    assert.is((await api(server.base, 'GET', '/api/me', undefined, { cookie: other })).status, 401);
  } finally {
    await server.close();
  }
});

test('CSRF: a state-changing request from another site is refused with 403; same-origin and non-browser ones pass', async () => {
  const server = await startAccountServer();
  try {
    const cookie = await signIn(server, 'fay@example.com');
    const evil = await api(
      server.base,
      'POST',
      '/api/friends',
      { email: 'x@example.com' },
      { cookie, headers: { Origin: 'https://evil.example' } },
    );
    assert.is(evil.status, 403);
    // The server's origin gate (sync-server/http/allowed-hosts.ts) refuses a foreign Origin on
    // every state-changing request before any route sees it; the API's own check (below,
    // Sec-Fetch-Site) is the second line.
    assert.is(evil.body.error, 'origin not allowed');
    const crossSite = await api(server.base, 'POST', '/api/auth/signout', undefined, {
      cookie,
      headers: { 'Sec-Fetch-Site': 'cross-site' },
    });
    assert.is(crossSite.status, 403);
    assert.is(
      (await api(server.base, 'GET', '/api/me', undefined, { cookie })).status,
      200,
      'the refused sign-out did nothing',
    );
    const host = new URL(server.base).host;
    const own = await api(
      server.base,
      'POST',
      '/api/friends',
      { email: 'x@example.com' },
      { cookie, headers: { Origin: `http://${host}`, 'Sec-Fetch-Site': 'same-origin' } },
    );
    assert.is(own.status, 202);
    const form = await fetch(`${server.base}/api/auth/pin`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'email=a@b.co',
    });
    assert.is(form.status, 415, 'only JSON bodies, which a cross-site form cannot send');
  } finally {
    await server.close();
  }
});

test('an API token is shown once, works as Bearer, is stored hashed, and stops working when revoked', async () => {
  const server = await startAccountServer();
  try {
    const cookie = await signIn(server, 'gus@example.com');
    const created = await api(server.base, 'POST', '/api/tokens', { name: 'studio CLI' }, { cookie });
    assert.is(created.status, 201);
    const token: string = created.body.token;
    assert.match(token, /^mdk_[A-Za-z0-9_-]{43}$/);
    const listed = await api(server.base, 'GET', '/api/tokens', undefined, { cookie });
    assert.equal(
      listed.body.tokens.map((t: { name: string }) => t.name),
      ['studio CLI'],
    );
    assert.not.ok(JSON.stringify(listed.body).includes(token.slice(4)), 'the token is never shown again');
    const me = await api(server.base, 'GET', '/api/me', undefined, { token });
    assert.is(me.status, 200);
    assert.is(me.body.via, 'token');
    assert.is(
      (await api(server.base, 'POST', '/api/tokens', { name: 'more' }, { token })).status,
      403,
      'a token cannot mint tokens',
    );
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(`${server.relay.dataDir}/accounts.sqlite`, { readonly: true });
    const stored = db.prepare('SELECT secret_hash FROM tokens').all() as { secret_hash: string }[];
    db.close();
    assert.is(stored.length, 1);
    assert.is(stored[0]!.secret_hash.length, 64, 'a SHA-256 hex digest');
    assert.not.ok(stored[0]!.secret_hash.includes(token.slice(4, 20)));
    assert.is((await api(server.base, 'DELETE', `/api/tokens/${created.body.id}`, undefined, { cookie })).status, 204);
    assert.is((await api(server.base, 'GET', '/api/me', undefined, { token })).status, 401);
  } finally {
    await server.close();
  }
});

test('bad input is refused with a JSON {error, message} and no-store: bad email, huge body, unknown route', async () => {
  const server = await startAccountServer();
  try {
    const bad = await api(server.base, 'POST', '/api/auth/pin', { email: 'not an address' });
    assert.is(bad.status, 400);
    assert.is(bad.body.error, 'bad-email');
    assert.type(bad.body.message, 'string');
    assert.is(bad.headers.get('cache-control'), 'no-store');
    const huge = await api(server.base, 'POST', '/api/auth/pin', { email: `${'a'.repeat(40_000)}@example.com` });
    assert.is(huge.status, 413);
    const missing = await api(server.base, 'GET', '/api/nothing-here');
    assert.is(missing.status, 404);
    assert.is(missing.body.error, 'not-found');
    assert.is((await api(server.base, 'GET', '/api/auth/pin')).status, 405);
    assert.is((await api(server.base, 'POST', '/api/auth/verify', { email: 'a@b.co', pin: 12 })).status, 400);
    assert.is((await fetch(`${server.base}/healthz`)).status, 200, 'the server is fine');
  } finally {
    await server.close();
  }
});

test.run();
