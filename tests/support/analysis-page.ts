/** What a user does on the analyze page, as steps the analysis browser tests share. */
import type { Page, Profile } from './browser-driver.ts';

/** Opens /analyze through the app's own navigation. */
export async function gotoAnalyze(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Analyze', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Analyze' }).waitFor();
}

/** Picks a file with the page's file input (bytes or a path on disk). */
export async function pickFile(page: Page, file: string | { name: string; bytes: Uint8Array }): Promise<void> {
  const input = page.getByLabel('Audio file');
  if (typeof file === 'string') await input.setInputFiles(file);
  else await input.setInputFiles({ name: file.name, mimeType: 'audio/wav', buffer: Buffer.from(file.bytes) });
}

/** Drops a file on the drop zone, as dragging it from the desktop does. */
export async function dropFile(page: Page, name: string, bytes: Uint8Array): Promise<void> {
  await page.getByTestId('drop-zone').waitFor();
  await page.evaluate(
    ({ name, b64 }) => {
      const raw = atob(b64);
      const data = new Uint8Array(raw.length);
      for (let i = 0; i < raw.length; i++) data[i] = raw.charCodeAt(i);
      const dataTransfer = new DataTransfer();
      dataTransfer.items.add(new File([data], name, { type: 'audio/wav' }));
      const zone = document.querySelector('[data-testid="drop-zone"]')!;
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer, bubbles: true, cancelable: true }));
    },
    { name, b64: Buffer.from(bytes).toString('base64') },
  );
}

/** Waits for a result and returns the shown text (value and unit) of a figure, e.g. "loudness.integrated". */
export async function figureText(page: Page, id: string, timeout = 60_000): Promise<string> {
  const cell = page.locator(`[data-figure="${id}"]`).first();
  await cell.waitFor({ timeout });
  return (await cell.textContent())?.trim() ?? '';
}

/** The number in a figure's text ("-23.0 LUFS" gives -23). */
export async function figureValue(page: Page, id: string): Promise<number> {
  const text = await figureText(page, id);
  const value = Number.parseFloat(text);
  if (!Number.isFinite(value)) throw new Error(`figure ${id} shows "${text}", not a number`);
  return value;
}

/** The real server, a fresh browser profile and a page on /analyze: what every analysis suite starts from. */
export interface AnalyzeSession {
  server: Awaited<ReturnType<typeof import('./app-server.ts').startAppServer>>;
  context: Profile;
  page: Page;
  close(): Promise<void>;
}

/**
 * Pins navigator.hardwareConcurrency for this page load (the page splits true peak from 3 cores
 * up). The analysis client reads it at the first analysis, so setting it after load works in
 * every engine (WebDriver has no init scripts); a reload forgets it.
 */
export async function pinCores(page: Page, cores: number): Promise<void> {
  await page.evaluate((n) => {
    // On the prototype (Chromium) and on the instance too: WebKit answers from the instance.
    for (const target of [Navigator.prototype, navigator]) {
      Object.defineProperty(target, 'hardwareConcurrency', {
        get() {
          return n;
        },
        configurable: true,
      });
    }
  }, cores);
}

/** Starts an AnalyzeSession; `cores` pins navigator.hardwareConcurrency (see pinCores). */
export async function startAnalyzeSession(
  options: { viewport?: { width: number; height: number }; cores?: number } = {},
): Promise<AnalyzeSession> {
  const { startAppServer } = await import('./app-server.ts');
  const { launchProfile } = await import('./browser-driver.ts');
  const server = await startAppServer();
  const profile = await launchProfile(options.viewport ? { viewport: options.viewport } : {});
  const page = await profile.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(server.url);
  await gotoAnalyze(page);
  if (options.cores) await pinCores(page, options.cores);
  return {
    server,
    context: profile,
    page,
    close: async () => {
      await profile.close();
      await server.close();
    },
  };
}
