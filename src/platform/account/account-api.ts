/**
 * AccountApi: the PWA's client of the server's /api/ (same origin, the HttpOnly session cookie
 * rides along; the page never sees it). Every refusal becomes an AccountApiError carrying the
 * server's sentence, so the UI can show it as is.
 */
export class AccountApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Me {
  id: string;
  email: string;
  createdAt: number;
  deletionScheduledFor: number | null;
}
export interface Device {
  id: string;
  device: string;
  ip: string;
  createdAt: number;
  lastSeenAt: number;
  current: boolean;
}
export interface ApiToken {
  id: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
}
export interface ServerDocument {
  id: string;
  name: string;
  kind: string;
  tags: string[];
  notes: string;
  roomProfile: string;
  updatedAt: number;
}
export interface TrashedDocument extends ServerDocument {
  deletedAt: number;
  purgeAt: number;
}
export interface SharedDocument extends ServerDocument {
  owner: string;
  sharedAt: number;
}
export interface Friends {
  friends: { id: string; accountId: string; email: string; since: number }[];
  incoming: { id: string; email: string; at: number }[];
  outgoing: { id: string; email: string; at: number }[];
}
export interface Share {
  accountId: string;
  email: string;
  createdAt: number;
}
export interface ActivityEvent {
  at: number;
  event: string;
  ip: string;
  device: string;
  detail: string;
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      ...(body !== undefined ? { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) } : {}),
    });
  } catch {
    throw new AccountApiError(0, 'offline', 'The server cannot be reached; try again when you are online.');
  }
  const text = await res.text();
  const data: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const error = data as { error?: string; message?: string } | undefined;
    throw new AccountApiError(
      res.status,
      error?.error ?? 'error',
      error?.message ?? `The server answered ${res.status}.`,
    );
  }
  return data as T;
}

export const accountApi = {
  requestPin: (email: string) => call<{ message: string }>('POST', '/api/auth/pin', { email }),
  verifyPin: (email: string, pin: string) =>
    call<Me & { deletionCancelled: boolean }>('POST', '/api/auth/verify', { email, pin }),
  /** The signed-in account, or null when signed out. */
  async me(): Promise<Me | null> {
    try {
      return await call<Me>('GET', '/api/me');
    } catch (error) {
      if (error instanceof AccountApiError && error.status === 401) return null;
      throw error;
    }
  },
  signOut: (everywhere = false) => call<unknown>('POST', '/api/auth/signout', { everywhere }),
  devices: () => call<{ devices: Device[] }>('GET', '/api/sessions').then((r) => r.devices),
  signOutDevice: (id: string) => call<void>('DELETE', `/api/sessions/${encodeURIComponent(id)}`),
  tokens: () => call<{ tokens: ApiToken[] }>('GET', '/api/tokens').then((r) => r.tokens),
  createToken: (name: string) => call<ApiToken & { token: string }>('POST', '/api/tokens', { name }),
  revokeToken: (id: string) => call<void>('DELETE', `/api/tokens/${encodeURIComponent(id)}`),
  documents: () => call<{ documents: ServerDocument[]; sharedWithMe: SharedDocument[] }>('GET', '/api/documents'),
  attach: (documents: ServerDocument[]) =>
    call<{ attached: string[]; refused: { id: string; reason: string }[] }>('POST', '/api/documents', { documents }),
  /** Writes one document's metadata (name, tags, notes, room profile) to the account. */
  putDocument: (doc: ServerDocument) =>
    call<ServerDocument>('PUT', `/api/documents/${encodeURIComponent(doc.id)}`, doc),
  /** Moves a document to the server's Trash (restorable for 30 days). */
  trashDocument: (id: string) => call<unknown>('DELETE', `/api/documents/${encodeURIComponent(id)}`),
  restoreDocument: (id: string) => call<ServerDocument>('POST', `/api/documents/${encodeURIComponent(id)}/restore`),
  trash: () => call<{ documents: TrashedDocument[] }>('GET', '/api/trash').then((r) => r.documents),
  purgeDocument: (id: string) => call<void>('DELETE', `/api/trash/${encodeURIComponent(id)}`),
  friends: () => call<Friends>('GET', '/api/friends'),
  requestFriend: (email: string) => call<{ message: string }>('POST', '/api/friends', { email }),
  acceptFriend: (id: string) => call<unknown>('POST', `/api/friends/${encodeURIComponent(id)}/accept`),
  declineFriend: (id: string) => call<void>('POST', `/api/friends/${encodeURIComponent(id)}/decline`),
  removeFriend: (id: string) => call<void>('DELETE', `/api/friends/${encodeURIComponent(id)}`),
  shares: (docId: string) =>
    call<{ shares: Share[] }>('GET', `/api/documents/${encodeURIComponent(docId)}/shares`).then((r) => r.shares),
  share: (docId: string, email: string) =>
    call<Share>('POST', `/api/documents/${encodeURIComponent(docId)}/shares`, { email }),
  revokeShare: (docId: string, accountId: string) =>
    call<void>('DELETE', `/api/documents/${encodeURIComponent(docId)}/shares/${encodeURIComponent(accountId)}`),
  activity: () => call<{ events: ActivityEvent[] }>('GET', '/api/audit').then((r) => r.events),
  deleteAccount: () => call<{ deletionScheduledFor: number; message: string }>('DELETE', '/api/me'),
};
export type AccountApi = typeof accountApi;
