/**
 * What the browser columns of the benchmarks share: a page of the production build (the app
 * server over dist/, MIXDESK_DIST) with a file input holding the benchmark's WAV, and the URL of
 * a worker as Vite bundled it, so a benchmark can drive the app's own worker without a test hook.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '../../tests/support/browser-driver.ts';

export const benchDistDir = (): string =>
  process.env.MIXDESK_DIST ?? fileURLToPath(new URL('../../dist', import.meta.url));

/** `/assets/<name>-<hash>.js` of the bundled worker named `name` (e.g. 'render.worker'). */
export function workerAsset(name: string, distDir = benchDistDir()): string {
  const file = readdirSync(join(distDir, 'assets')).find((f) => f.startsWith(`${name}-`) && f.endsWith('.js'));
  if (!file) throw new Error(`no assets/${name}-*.js in ${distDir}: build with vite first`);
  return `/assets/${file}`;
}

/** Opens the analyze page and puts `wavPath` in a file input with id `bench-file`. */
export async function openWithFile(page: Page, serverUrl: string, wavPath: string): Promise<void> {
  await page.goto(`${serverUrl}/analyze`);
  // tsx (esbuild keepNames) wraps named functions in __name(); give the page a no-op one.
  await page.evaluate('globalThis.__name = (f) => f');
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.id = 'bench-file';
    document.body.append(input);
  });
  await page.locator('#bench-file').setInputFiles(wavPath);
}
