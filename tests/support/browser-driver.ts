/**
 * The browser-driver seam: what the e2e suites use to drive a browser, whichever engine runs.
 * BROWSER=chromium (default) is Debian's Chromium over playwright-core; BROWSER=webkit is
 * WebKitGTK's MiniBrowser over W3C WebDriver (webkit.ts). Pages and locators have Playwright's
 * API (the part listed below), so a suite reads the same in both. A Profile is one person's
 * browser with its own storage; a second Profile is a second, independent person.
 *
 * Where an engine cannot do a step the suite asks `can` and does the nearest real thing:
 *   - offline: Chromium emulates the network being off (navigator.onLine false, fetches fail);
 *     WebKit's profile cuts its connections to the server at a proxy (fetches fail, WebSockets
 *     close) but navigator.onLine stays true;
 *   - init scripts (code run before the page's own) exist only in Chromium (CDP); WebDriver
 *     Classic has none;
 *   - downloads: WebDriver cannot see them, so captureDownload reads the blob the app's
 *     download link points at.
 */
import type { Locator as PlaywrightLocator, Page as PlaywrightPage } from 'playwright-core';
import { launchContext } from './chromium.ts';

export type Engine = 'chromium' | 'webkit';
export const ENGINE: Engine = process.env.BROWSER === 'webkit' ? 'webkit' : 'chromium';

/** What this engine's driver can do beyond the common part. */
export const can = {
  /** navigator.onLine and the offline/online events follow setOffline. */
  emulateOffline: ENGINE === 'chromium',
  /** Profile.addInitScript: code run in every page before the app's own. */
  initScripts: ENGINE === 'chromium',
  /** Real touch input (tap): WebKitGTK's WebDriver has no touch source, a tap is a click there. */
  touch: ENGINE === 'chromium',
  /** Pick a folder in an <input webkitdirectory>: WebKitGTK's WebDriver hands the page the folder as one unreadable file. */
  pickFolders: ENGINE === 'chromium',
  /** Watch the page's network requests and WebSocket frames (Playwright events). */
  networkEvents: ENGINE === 'chromium',
};

export type Locator = Pick<
  PlaywrightLocator,
  | 'click'
  | 'tap'
  | 'fill'
  | 'pressSequentially'
  | 'press'
  | 'focus'
  | 'selectOption'
  | 'setInputFiles'
  | 'dragTo'
  | 'dispatchEvent'
  | 'waitFor'
  | 'count'
  | 'isVisible'
  | 'textContent'
  | 'innerText'
  | 'inputValue'
  | 'getAttribute'
  | 'allTextContents'
  | 'allInnerTexts'
  | 'evaluate'
  | 'evaluateAll'
  | 'locator'
  | 'getByRole'
  | 'getByText'
  | 'getByLabel'
  | 'getByPlaceholder'
  | 'getByTestId'
  | 'filter'
  | 'first'
  | 'last'
  | 'nth'
>;

export type Page = Pick<
  PlaywrightPage,
  | 'goto'
  | 'reload'
  | 'url'
  | 'waitForURL'
  | 'waitForTimeout'
  | 'waitForFunction'
  | 'evaluate'
  | 'screenshot'
  | 'setViewportSize'
  | 'keyboard'
  | 'on'
  | 'close'
  | 'locator'
  | 'getByRole'
  | 'getByText'
  | 'getByLabel'
  | 'getByPlaceholder'
  | 'getByTestId'
>;

export interface Profile {
  engine: Engine;
  newPage(): Promise<Page>;
  /** Network off/on for this profile only (see `can.emulateOffline` for what differs). */
  setOffline(offline: boolean): Promise<void>;
  /** Chromium only (`can.initScripts`); throws in WebKit. */
  addInitScript(script: string): Promise<void>;
  close(): Promise<void>;
}

export interface ProfileOptions {
  viewport?: { width: number; height: number };
  /** Chromium emulates a touch screen; WebKitGTK under WebDriver has none (`can.touch`). */
  hasTouch?: boolean;
  /** The user agent string (MiniBrowser's --user-agent in WebKit). */
  userAgent?: string;
  /** Accept alert/confirm dialogs (the default is to dismiss them). */
  acceptDialogs?: boolean;
}

/** A fresh browser profile (own storage, service workers and caches) in the engine BROWSER names. */
export async function launchProfile(options: ProfileOptions = {}, engine: Engine = ENGINE): Promise<Profile> {
  if (engine === 'webkit') {
    const { WebKitProfile } = await import('./webkit.ts');
    const profile = await WebKitProfile.launch({
      ...(options.viewport ? { viewport: options.viewport } : {}),
      ...(options.acceptDialogs ? { acceptDialogs: true } : {}),
      ...(options.userAgent ? { userAgent: options.userAgent } : {}),
    });
    return {
      engine: 'webkit',
      newPage: async () => (await profile.newPage()) as unknown as Page,
      setOffline: (offline) => profile.setOffline(offline),
      addInitScript: () =>
        Promise.reject(new Error("WebDriver (WebKit) cannot run scripts before the page's own: check can.initScripts")),
      close: () => profile.close(),
    };
  }
  const { context, close } = await launchContext({
    ...(options.viewport ? { viewport: options.viewport } : {}),
    ...(options.hasTouch ? { hasTouch: true } : {}),
    ...(options.userAgent ? { userAgent: options.userAgent } : {}),
  });
  return {
    engine: 'chromium',
    newPage: async () => {
      const page = await context.newPage();
      if (options.acceptDialogs) page.on('dialog', (dialog) => void dialog.accept());
      return page;
    },
    setOffline: (offline) => context.setOffline(offline),
    addInitScript: async (content) => {
      await context.addInitScript({ content });
    },
    close,
  };
}

/** Clicks what starts a download and returns the file's name and bytes. */
export async function captureDownload(
  page: Page,
  start: () => Promise<void>,
): Promise<{ name: string; bytes: Buffer }> {
  if (ENGINE === 'chromium') {
    const [download] = await Promise.all([(page as PlaywrightPage).waitForEvent('download'), start()]);
    const { readFileSync } = await import('node:fs');
    return { name: download.suggestedFilename(), bytes: readFileSync(await download.path()) };
  }
  // WebDriver cannot see downloads: read the blob the app's download link (<a download href=blob:>) points at when it is clicked.
  // The blob is read from the object URL's Blob, kept when the app creates the URL: a fetch of
  // the blob: URL would be refused by the app's Content-Security-Policy (connect-src).
  await page.evaluate(() => {
    const w = window as unknown as { mixdeskDownloads?: Array<{ name: string; b64?: string }> };
    if (w.mixdeskDownloads) return;
    w.mixdeskDownloads = [];
    const blobs = new Map<string, Blob>();
    const createObjectURL = URL.createObjectURL.bind(URL);
    URL.createObjectURL = (object: Blob | MediaSource) => {
      const url = createObjectURL(object);
      if (object instanceof Blob) blobs.set(url, object);
      return url;
    };
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      const blob = blobs.get(this.href);
      if (!this.hasAttribute('download') || !blob) {
        click.call(this);
        return;
      }
      const entry: { name: string; b64?: string } = { name: this.download };
      w.mixdeskDownloads!.push(entry);
      void blob.arrayBuffer().then((buffer) => {
        const bytes = new Uint8Array(buffer);
        let binary = '';
        for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
        entry.b64 = btoa(binary);
      });
    };
  });
  const before = await page.evaluate(
    () => (window as unknown as { mixdeskDownloads: unknown[] }).mixdeskDownloads.length,
  );
  await start();
  const got = await page.waitForFunction(
    (n) => {
      const list = (window as unknown as { mixdeskDownloads: Array<{ name: string; b64?: string }> }).mixdeskDownloads;
      return list.length > n && list[n]!.b64 !== undefined ? list[n] : null;
    },
    before,
    { timeout: 30_000 },
  );
  const entry = got as unknown as { name: string; b64: string };
  return { name: entry.name, bytes: Buffer.from(entry.b64, 'base64') };
}

/**
 * The Playwright page behind a Chromium page, for steps only Chromium's driver has (PDF
 * printing, print media, permissions, dialogs, download events, init scripts); throws in
 * WebKit, so a suite that uses it runs in Chromium only or checks `can` first.
 */
export function chromiumOnly(page: Page): PlaywrightPage {
  if (ENGINE !== 'chromium') throw new Error("this step needs Chromium's driver (Playwright); see docs/browsers.md");
  return page as PlaywrightPage;
}
