/**
 * A TCP pass-through in front of the app server that can pull the plug: WebDriver has no network
 * emulation, so a WebKit profile reaches the server through one of these, and "going offline"
 * drops every open connection and refuses new ones. To the browser that is a real network
 * failure (fetches fail, the relay's WebSocket closes); what it is not is the OS telling the
 * browser it is offline, so navigator.onLine stays true (see docs/browsers.md).
 */
import { connect, createServer, type Socket } from 'node:net';

export interface OfflineProxy {
  url: string;
  setOffline(offline: boolean): void;
  close(): Promise<void>;
}

export async function startOfflineProxy(target: URL): Promise<OfflineProxy> {
  let offline = false;
  const open = new Set<Socket>();
  const server = createServer((client) => {
    if (offline) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(target.port), target.hostname);
    open.add(client);
    open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    setOffline(value) {
      offline = value;
      if (value) for (const socket of open) socket.destroy();
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
