/**
 * Blob streams survive garbage collection mid-read (Chromium). The analysis and render workers
 * read a picked file's PCM through blobSequence (src/core/audio/byte-source.ts), a BYOB reader
 * of the File's stream. A stream whose read is pending is reachable only from its own promise
 * chain, and Chromium collected such streams: the read never settled and the job waiting on it
 * vanished (bench:render's browser worker sat idle at 74 % of a render, 16 minutes). Here the
 * real blobSequence, bundled for the page with esbuild, reads a 16 MB Blob three times while
 * the page collects garbage every 2 ms (`--expose-gc`); it must finish, and deliver every byte.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium.ts';

const gcSuite = suite<{ browser?: Browser; page?: Page }>('blob streams under garbage collection');

/** byte-source.ts as a script that sets `globalThis.byteSource`. */
async function bundledByteSource(): Promise<string> {
  const out = await build({
    entryPoints: [new URL('../../src/core/audio/byte-source.ts', import.meta.url).pathname],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'byteSource',
    target: 'es2022',
  });
  // page.evaluate runs a string inside a function: the bundle's `var` would stay local.
  return `${out.outputFiles[0]!.text}\nglobalThis.byteSource = byteSource;`;
}

gcSuite.before(async (context) => {
  const { chromium } = await import('playwright-core');
  const executablePath = findChromium();
  if (!executablePath) throw new Error('No Chromium: apt-get install -y chromium, or set CHROMIUM_PATH');
  context.browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc'],
  });
  context.page = await context.browser.newPage();
  await context.page.evaluate(await bundledByteSource());
});

gcSuite.after(async (context) => {
  await context.browser?.close();
});

// Regression: bench:render's browser worker hung mid-render, idle, on a read that never settled.
gcSuite('a sequence of a Blob read while the engine collects garbage ends, with every byte', async ({ page }) => {
  const outcome = await page!.evaluate(async () => {
    const g = globalThis as unknown as {
      gc: () => void;
      byteSource: typeof import('../../src/core/audio/byte-source.ts');
    };
    const size = 16 << 20;
    const blob = new Blob([new Uint8Array(size).fill(7)]);
    const collect = setInterval(() => g.gc(), 2);
    let bytes = 0;
    const reading = (async () => {
      for (let pass = 0; pass < 3; pass++) {
        const chunks = g.byteSource.blobSequence(blob, 0, size, 1 << 20);
        if (!chunks) return 'no byte stream';
        for await (const chunk of chunks) bytes += chunk.byteLength;
      }
      return 'done';
    })();
    const stalled = new Promise<string>((resolve) => setTimeout(() => resolve('stalled'), 10_000));
    const result = await Promise.race([reading, stalled]);
    clearInterval(collect);
    return { result, bytes };
  });
  assert.equal(outcome, { result: 'done', bytes: 3 * (16 << 20) });
});

gcSuite.run();
