/**
 * `mixdesk documents --server URL [--token T] [--json]`: lists the account's documents (and
 * those friends share with it) through the server's API with a personal API token (created in
 * Settings › API tokens). The token comes from MIXDESK_TOKEN, or --token (which other users of
 * the machine can see in the process list), the server from --server or MIXDESK_SERVER.
 */
const USAGE =
  'Usage: mixdesk documents --server <url> [--token <token>] [--json]\n' +
  '  The token may be given in MIXDESK_TOKEN instead (preferred: not visible in the process list),\n' +
  '  the server in MIXDESK_SERVER.';

/** A listing is a few hundred bytes per document; this bounds what a wrong or hostile server can make us hold. */
const MAX_ANSWER_BYTES = 32 * 1024 * 1024;
const TIMEOUT_MS = 20_000;

interface Listed {
  id: string;
  name: string;
  kind: string;
  tags: string[];
  roomProfile: string;
  updatedAt: number;
  owner?: string;
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function readBounded(res: Response): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel();
      throw new Error(`the server's answer is larger than ${MAX_ANSWER_BYTES / 1024 / 1024} MB`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function line(d: Listed): string {
  const updated = d.updatedAt ? new Date(d.updatedAt).toISOString().slice(0, 16).replace('T', ' ') : '—';
  const extra = [d.roomProfile, d.tags.join(', '), d.owner ? `from ${d.owner}, read-only` : '']
    .filter(Boolean)
    .join(' · ');
  return `  ${d.name.padEnd(32)} ${d.kind.padEnd(16)} ${updated}  ${d.id}${extra ? `  ${extra}` : ''}`;
}

export async function documents(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const server = option(args, '--server') ?? process.env.MIXDESK_SERVER;
  const token = option(args, '--token') ?? process.env.MIXDESK_TOKEN;
  if (!server || !token) {
    console.error(`mixdesk documents: ${!server ? 'no server' : 'no API token'} given.\n${USAGE}`);
    return 2;
  }
  let url: URL;
  try {
    url = new URL('/api/documents', server);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
  } catch {
    console.error(`mixdesk documents: '${server}' is not an http(s) URL.`);
    return 2;
  }
  let status: number;
  let text: string;
  try {
    const res = await fetch(url, {
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    status = res.status;
    text = await readBounded(res);
  } catch (error) {
    console.error(`mixdesk documents: cannot reach ${url.origin}: ${(error as Error).message}`);
    return 1;
  }
  let body: { message?: string; documents?: Listed[]; sharedWithMe?: Listed[] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    console.error(`mixdesk documents: ${url.origin} answered ${status} with something that is not JSON.`);
    return 1;
  }
  if (status === 401) {
    console.error('mixdesk documents: the server refused the token (revoked, mistyped, or from another server).');
    return 1;
  }
  if (status !== 200 || !Array.isArray(body.documents) || !Array.isArray(body.sharedWithMe)) {
    console.error(`mixdesk documents: the server answered ${status}: ${body.message ?? 'unexpected answer'}`);
    return 1;
  }
  if (args.includes('--json')) {
    console.log(JSON.stringify({ documents: body.documents, sharedWithMe: body.sharedWithMe }, null, 2));
    return 0;
  }
  const out = [`Your documents (${body.documents.length}):`, ...body.documents.map(line)];
  out.push('', `Shared with you (${body.sharedWithMe.length}):`, ...body.sharedWithMe.map(line));
  console.log(out.join('\n'));
  return 0;
}
