/** What a user does on the analyze page, as steps the analysis browser tests share. */
import type { Page } from 'playwright-core';

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
  const zone = page.getByTestId('drop-zone');
  const dataTransfer = await page.evaluateHandle(({ name, b64 }) => {
    const raw = atob(b64);
    const data = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) data[i] = raw.charCodeAt(i);
    const dt = new DataTransfer();
    dt.items.add(new File([data], name, { type: 'audio/wav' }));
    return dt;
  }, { name, b64: Buffer.from(bytes).toString('base64') });
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
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

/** The real server, a fresh Chromium profile and a page on /analyze: what every analysis suite starts from. */
export interface AnalyzeSession {
  server: Awaited<ReturnType<typeof import('./app-server.ts').startAppServer>>;
  context: import('playwright-core').BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Starts an AnalyzeSession; `cores` pins navigator.hardwareConcurrency (the page splits true peak from 3 up). */
export async function startAnalyzeSession(options: { viewport?: { width: number; height: number }; cores?: number } = {}): Promise<AnalyzeSession> {
  const { startAppServer } = await import('./app-server.ts');
  const { launchContext } = await import('./chromium.ts');
  const server = await startAppServer();
  const launched = await launchContext(options.viewport ? { viewport: options.viewport } : {});
  if (options.cores) await launched.context.addInitScript({ content: `Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get() { return ${options.cores}; } });` });
  const page = await launched.context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(server.url);
  await gotoAnalyze(page);
  return { server, context: launched.context, page, close: async () => { await launched.close(); await server.close(); } };
}
