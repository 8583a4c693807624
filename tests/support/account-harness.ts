/**
 * Test harness for accounts: a real SMTP server (smtp-server) on a real port in the test
 * process that keeps every mail, the real Mixdesk server sending PINs to it with nodemailer,
 * a JSON API client (fetch) that carries the session cookie or an API token, and real
 * y-websocket clients that present those credentials at the relay.
 */
import { SMTPServer } from 'smtp-server';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { SESSION_COOKIE, type AccountStore } from '../../sync-server/accounts/index.ts';
import { startTestRelay, waitFor, type TestClient, type TestRelay } from './relay-harness.ts';

export interface Mail {
  to: string[];
  raw: string;
  receivedAt: number;
}

export interface Mailbox {
  port: number;
  mails: Mail[];
  /** Waits for the next mail to `to` after `after` mails to it were already read, and returns its PIN. */
  nextPin(to: string, timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

export async function startMailbox(): Promise<Mailbox> {
  const mails: Mail[] = [];
  const read = new Map<string, number>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => {
        raw += chunk.toString('utf8');
      });
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), raw, receivedAt: Date.now() });
        callback();
      });
    },
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    mails,
    async nextPin(to, timeoutMs = 5000) {
      const already = read.get(to) ?? 0;
      const mine = () => mails.filter((m) => m.to.includes(to));
      await waitFor(`a PIN mail to ${to}`, () => mine().length > already, timeoutMs);
      read.set(to, already + 1);
      const pin = /PIN is (\d{6})/.exec(mine()[already]!.raw)?.[1];
      if (!pin) throw new Error(`no PIN in the mail to ${to}:\n${mine()[already]!.raw}`);
      return pin;
    },
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

export interface AccountServer {
  relay: TestRelay;
  mailbox: Mailbox;
  base: string;
  /** The server's clock; tests move it forward. */
  clock: { now: number };
  close(): Promise<void>;
}

export async function startAccountServer(
  options: {
    relay?: Parameters<typeof startTestRelay>[0];
    /** E.g. another AccountStore (a real one, wrapped to widen a race window). */
    accounts?: { store?: AccountStore };
  } = {},
): Promise<AccountServer> {
  const mailbox = await startMailbox();
  const clock = { now: Date.now() };
  const relay = await startTestRelay({
    ...options.relay,
    accounts: { ...options.accounts, smtpUrl: `smtp://127.0.0.1:${mailbox.port}`, now: () => clock.now },
  });
  return {
    relay,
    mailbox,
    clock,
    base: `http://127.0.0.1:${relay.running.port}`,
    async close() {
      await relay.close();
      await mailbox.close();
    },
  };
}

// The answers' shapes vary by route; tests read the fields they assert on.
export interface ApiAnswer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  headers: Headers;
}

export interface Caller {
  cookie?: string;
  token?: string;
  headers?: Record<string, string>;
}

/** One API call; `body` is sent as JSON. */
export async function api(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  who: Caller = {},
): Promise<ApiAnswer> {
  const headers: Record<string, string> = { ...who.headers };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (who.cookie) headers.Cookie = `${SESSION_COOKIE}=${who.cookie}`;
  if (who.token) headers.Authorization = `Bearer ${who.token}`;
  const res = await fetch(base + path, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** The session cookie's value from a Set-Cookie answer. */
export function sessionFrom(answer: ApiAnswer): string {
  const cookie = answer.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  const value = cookie?.split(';', 1)[0]?.slice(SESSION_COOKIE.length + 1);
  if (!value) throw new Error(`no session cookie in the answer (${answer.status} ${JSON.stringify(answer.body)})`);
  return value;
}

/** Signs in (or up) by PIN through the real mail path; returns the session cookie value. */
export async function signIn(
  server: AccountServer,
  email: string,
  userAgent = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0 Safari/537.36',
): Promise<string> {
  const sent = await api(server.base, 'POST', '/api/auth/pin', { email });
  if (sent.status !== 202) throw new Error(`PIN request failed: ${sent.status} ${JSON.stringify(sent.body)}`);
  const pin = await server.mailbox.nextPin(email);
  return sessionFrom(
    await api(server.base, 'POST', '/api/auth/verify', { email, pin }, { headers: { 'User-Agent': userAgent } }),
  );
}

/** A y-websocket client on `docId` that presents a cookie or token (and a same-origin Origin) at the upgrade. */
export function connectAs(
  server: AccountServer,
  docId: string,
  who: Caller,
  options: { doc?: Y.Doc } = {},
): TestClient {
  const headers: Record<string, string> = { Origin: server.base };
  if (who.cookie) headers.Cookie = `${SESSION_COOKIE}=${who.cookie}`;
  if (who.token) headers.Authorization = `Bearer ${who.token}`;
  class CredentialedWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  }
  const doc = options.doc ?? new Y.Doc();
  const provider = new WebsocketProvider(`ws://127.0.0.1:${server.relay.running.port}/sync`, docId, doc, {
    WebSocketPolyfill: CredentialedWebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 300,
  });
  return { doc, provider };
}

/** The HTTP status the relay answers an upgrade with (101 accepted, 403 refused). */
export function upgradeStatus(
  server: AccountServer,
  docId: string,
  who: Caller = {},
  origin?: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (origin) headers.Origin = origin;
    if (who.cookie) headers.Cookie = `${SESSION_COOKIE}=${who.cookie}`;
    if (who.token) headers.Authorization = `Bearer ${who.token}`;
    const ws = new WebSocket(`ws://127.0.0.1:${server.relay.running.port}/sync/${docId}`, { headers });
    ws.on('open', () => {
      ws.terminate();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
    });
    ws.on('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

/** Records the close codes a provider sees, and when (performance.now()). */
export function closeCodes(client: TestClient): { codes: number[]; at: number[] } {
  const seen = { codes: [] as number[], at: [] as number[] };
  client.provider.on('connection-close', (event) => {
    if (event) {
      seen.codes.push(event.code);
      seen.at.push(performance.now());
    }
  });
  return seen;
}
