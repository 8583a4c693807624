/**
 * A WebKit profile for the browser-driver seam: one WebKitWebDriver session (MiniBrowser, its
 * own ephemeral storage), its windows as pages, and an offline proxy per server it talks to,
 * so "set offline" is a real network cut (WebDriver has no network emulation).
 */
import { allowProxyOrigin } from './app-server.ts';
import { startOfflineProxy, type OfflineProxy } from './offline-proxy.ts';
import { startWebKitSession, type WebDriverSession } from './webdriver.ts';
import { WebDriverPage, type PageHost } from './webdriver-page.ts';

/** Proxy origin -> server origin, across profiles, so a link copied from one person's browser opens in another's through their own proxy. */
const serverOf = new Map<string, string>();

export interface WebKitProfileOptions {
  viewport?: { width: number; height: number };
  acceptDialogs?: boolean;
  userAgent?: string;
}

export class WebKitProfile implements PageHost {
  private active = '';
  private readonly proxies = new Map<string, OfflineProxy>();
  private readonly pages: WebDriverPage[] = [];
  private unusedFirstWindow: string | null;
  private offline = false;

  private constructor(
    readonly session: WebDriverSession,
    firstWindow: string,
    private readonly viewport: { width: number; height: number },
  ) {
    this.active = firstWindow;
    this.unusedFirstWindow = firstWindow;
  }

  static async launch(options: WebKitProfileOptions = {}): Promise<WebKitProfile> {
    const session = await startWebKitSession({
      ...(options.acceptDialogs ? { acceptDialogs: true } : {}),
      ...(options.userAgent ? { userAgent: options.userAgent } : {}),
    });
    const handle = await session.command<string>('GET', '/window');
    return new WebKitProfile(session, handle, options.viewport ?? { width: 1280, height: 800 });
  }

  async newPage(): Promise<WebDriverPage> {
    let handle = this.unusedFirstWindow;
    this.unusedFirstWindow = null;
    if (!handle)
      handle = (await this.session.command<{ handle: string }>('POST', '/window/new', { type: 'tab' })).handle;
    const page = new WebDriverPage(this, handle);
    this.pages.push(page);
    await page.setViewportSize(this.viewport);
    return page;
  }

  /**
   * Runs `work` with `handle` as the session's current window, one at a time. WebDriver sends
   * every command to the current window, so switching and the command must not interleave with
   * another page's: a waitFor still polling one page (a Promise.race's loser) while a test
   * drives another ran commands in the wrong window.
   */
  inWindow<T>(handle: string, work: () => Promise<T>): Promise<T> {
    const turn = this.queue.then(async () => {
      await this.switchTo(handle);
      return work();
    });
    this.queue = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }
  private queue: Promise<void> = Promise.resolve();

  private async switchTo(handle: string): Promise<void> {
    if (this.active === handle) return;
    await this.session.command('POST', '/window', { handle });
    this.active = handle;
  }

  async toBrowserUrl(url: string): Promise<string> {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' || !['127.0.0.1', 'localhost'].includes(parsed.hostname)) return url;
    const server = serverOf.get(parsed.origin) ?? parsed.origin;
    let proxy = this.proxies.get(server);
    if (!proxy) {
      proxy = await startOfflineProxy(new URL(server));
      proxy.setOffline(this.offline);
      this.proxies.set(server, proxy);
      serverOf.set(proxy.url, server);
      // The app server refuses a Host or Origin that is not its own (DNS rebinding): the page's
      // origin is now the proxy's, so the server is told to allow it.
      allowProxyOrigin(server, proxy.url);
    }
    return `${proxy.url}${parsed.pathname}${parsed.search}${parsed.hash}`;
  }

  async setOffline(offline: boolean): Promise<void> {
    this.offline = offline;
    for (const proxy of this.proxies.values()) proxy.setOffline(offline);
  }

  async closePage(handle: string): Promise<void> {
    const index = this.pages.findIndex((p) => p.handle === handle);
    if (index >= 0) this.pages.splice(index, 1);
    if (this.pages.length === 0) {
      this.unusedFirstWindow = handle;
      return;
    }
    await this.inWindow(handle, async () => {
      await this.session.command('DELETE', '/window');
      this.active = '';
    });
    await this.inWindow(this.pages[0]!.handle, () => Promise.resolve());
  }

  async close(): Promise<void> {
    await this.session.close();
    await Promise.all([...this.proxies.values()].map((p) => p.close()));
  }
}
