/**
 * Which Host headers and Origins the server answers. A browser tricked by DNS rebinding sends
 * the attacker's name in Host (and Origin), never one of ours, so checking Host against an
 * allow-list (rather than comparing Origin with Host, which such a page passes) keeps it out.
 *
 * Allowed origins are the server's own loopback URLs (http://localhost:PORT,
 * http://127.0.0.1:PORT, http://[::1]:PORT), which only this machine can reach, plus any given
 * in MIXDESK_ORIGINS (the URL the studio network or a TLS proxy uses), plus http://HOST:PORT when
 * the server is bound to one specific address. Allowed hosts are the hosts of those origins.
 */
export interface AllowedHosts {
  /** The allowed origins, normalised (scheme://host[:port]). */
  readonly origins: readonly string[];
  /** Whether a Host header names this server. An absent Host (HTTP/1.0) is refused. */
  isAllowedHost(host: string | undefined): boolean;
  isAllowedOrigin(origin: string): boolean;
}

/** A Host header's shape: a name or IPv4 address, or a bracketed IPv6 address, and an optional port. */
const HOST_SHAPE = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/** `host[:port]` as URL.host writes it (lower case, port 80 dropped); undefined if not a host. */
function normaliseHost(host: string): string | undefined {
  if (!HOST_SHAPE.test(host)) return undefined;
  try {
    return new URL(`http://${host}`).host;
  } catch {
    return undefined;
  }
}

/** scheme://host[:port] for an http(s) origin with nothing else in it; undefined otherwise. */
function normaliseOrigin(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

/** Splits MIXDESK_ORIGINS (comma or space separated); throws naming a value that is not an http(s) origin. */
export function parseOriginList(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((entry) => {
      const origin = normaliseOrigin(entry);
      if (!origin)
        throw new Error(
          `MIXDESK_ORIGINS: '${entry}' is not an origin (scheme://host[:port], e.g. http://studio.local:8787)`,
        );
      return origin;
    });
}

export function allowedHosts(options: { port: number; bindHost?: string; origins?: readonly string[] }): AllowedHosts {
  const own = ['localhost', '127.0.0.1', '[::1]'];
  // Bound to one specific address (HOST=192.168.1.5): its URL is one of the server's own too.
  const bind = options.bindHost;
  if (bind && bind !== '0.0.0.0' && bind !== '::')
    own.push(bind.includes(':') && !bind.startsWith('[') ? `[${bind}]` : bind);
  const ownOrigins = own
    .map((name) => normaliseOrigin(`http://${name}:${options.port}`))
    .filter((o): o is string => !!o);
  const given = (options.origins ?? []).map((o) => normaliseOrigin(o)).filter((o): o is string => !!o);
  const origins = [...new Set([...ownOrigins, ...given])];
  const hosts = new Set(origins.map((origin) => new URL(origin).host));
  const originSet = new Set(origins);
  return {
    origins,
    isAllowedHost(host) {
      if (!host) return false;
      const normalised = normaliseHost(host);
      return normalised !== undefined && hosts.has(normalised);
    },
    isAllowedOrigin(origin) {
      const normalised = normaliseOrigin(origin);
      return normalised !== undefined && originSet.has(normalised);
    },
  };
}
