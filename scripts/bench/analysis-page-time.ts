/**
 * The analyze page as a person meets it: time from the file chosen (the input's change event)
 * to the summary strip painted (two animation frames after it is in the DOM), in headless
 * Chromium against the production build and the real app server. Each run starts from a fresh
 * /analyze with no kept result; one warm-up run first (worker and WASM compile).
 */
import type { Page } from 'playwright-core';
import { startAppServer } from '../../tests/support/app-server.ts';
import { launchBrowser } from '../../tests/support/chromium.ts';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Written as a string so the page never sees tsx's helper wrappers. */
const WAIT_FOR_SUMMARY = `new Promise((resolve) => {
  const input = document.querySelector('input[type=file]');
  let t0 = 0;
  input.addEventListener('change', () => { t0 = performance.now(); }, { capture: true, once: true });
  const check = () => {
    if (t0 > 0 && document.querySelector('.summary-strip')) requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)));
    else setTimeout(check, 2);
  };
  check();
})`;

async function once(page: Page, url: string, wavPath: string): Promise<number> {
  await page.goto(`${url}/analyze`);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Analyze' }).waitFor();
  const painted = page.evaluate(WAIT_FOR_SUMMARY) as Promise<number>;
  await page.getByLabel('Audio file').setInputFiles(wavPath);
  return painted;
}

export async function measurePageTime(wavPath: string, runs: number): Promise<{ medianMs: number; timesMs: number[] }> {
  const server = await startAppServer();
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await once(page, server.url, wavPath);
    const timesMs: number[] = [];
    for (let i = 0; i < runs; i++) timesMs.push(await once(page, server.url, wavPath));
    return { medianMs: median(timesMs), timesMs };
  } finally {
    await browser.close();
    await server.close();
  }
}
