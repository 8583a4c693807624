/**
 * The analyze page as a person meets it: time from the file chosen (the input's change event)
 * to the summary strip painted (Element Timing, see WAIT_FOR_SUMMARY), in headless
 * Chromium against the production build and the real app server. Each run starts from a fresh
 * /analyze with no kept result, and the file is picked once the page says its workers are warm
 * (data-analysis-warm: started, kernels compiled, a throwaway analysis run), as they are by the
 * time a person has found the file; one warm-up run first (browser caches). `cores` pins
 * navigator.hardwareConcurrency, which decides how many workers the page splits a file over;
 * the page's own analysis time (file read to merged result, its data-elapsed-ms) is returned too.
 */
import type { Page } from 'playwright-core';
import { startAppServer } from '../../tests/support/app-server.ts';
import { launchBrowser } from '../../tests/support/chromium.ts';
import { median } from './stats.ts';

/** navigator.hardwareConcurrency pinned to `cores` (as tests/support/analysis-page.ts pinCores), as an init script. */
function pinCoresScript(cores: number): string {
  return `for (const target of [Navigator.prototype, navigator])
    Object.defineProperty(target, 'hardwareConcurrency', { get: () => ${cores}, configurable: true });`;
}

/**
 * Painted = the Element Timing API's render time of the summary's integrated loudness (its
 * `elementtiming` attribute): when the frame holding the answer was presented. Two animation
 * frames after the summary is in the DOM (the earlier measure) also waited for whatever the
 * page renders after it (the plots, deferred by a frame), so it overstated the time to the
 * answer. Written as a string so the page never sees tsx's helper wrappers.
 */
const WAIT_FOR_SUMMARY = `new Promise((resolve) => {
  const input = document.querySelector('input[type=file]');
  let t0 = 0;
  input.addEventListener('change', () => { t0 = performance.now(); }, { capture: true, once: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.identifier === 'summary-integrated' && t0 > 0) resolve(entry.renderTime - t0);
    }
  }).observe({ type: 'element' });
})`;

/**
 * The page's analysis time of one more pick of the file in the same page (its workers started
 * and their WASM compiled, as the one-worker row measures them): the result's data-elapsed-ms.
 */
async function again(page: Page, wavPath: string): Promise<number> {
  await page.evaluate(() => document.querySelector('[data-elapsed-ms]')?.setAttribute('data-stale', ''));
  await page.getByLabel('Audio file').setInputFiles(wavPath);
  const hint = page.locator('[data-elapsed-ms]:not([data-stale])');
  await hint.waitFor({ timeout: 120_000 });
  return Number(await hint.getAttribute('data-elapsed-ms'));
}

interface Run {
  painted: number;
  analysisMs: number;
  threads: number;
}

async function once(page: Page, url: string, wavPath: string): Promise<Run> {
  await page.goto(`${url}/analyze`);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Analyze' }).waitFor();
  // A person takes longer than this to pick a file: the page has warmed its workers by then.
  await page.locator('[data-analysis-warm]').waitFor({ timeout: 60_000 });
  const painted = page.evaluate(WAIT_FOR_SUMMARY) as Promise<number>;
  await page.getByLabel('Audio file').setInputFiles(wavPath);
  const hint = page.locator('[data-elapsed-ms]');
  return {
    painted: await painted,
    analysisMs: Number(await hint.getAttribute('data-elapsed-ms')),
    threads: Number(await hint.getAttribute('data-threads')),
  };
}

export interface PageTime {
  /** File chosen to summary painted. */
  medianMs: number;
  timesMs: number[];
  /** The page's analysis alone (its data-elapsed-ms), picking the file again in the same page. */
  analysisMedianMs: number;
  /** The page's analysis alone, each run (the runs of analysisMedianMs). */
  analysisTimesMs: number[];
  /** The same on each fresh page (its workers warmed before the file was chosen). */
  firstAnalysisMedianMs: number;
  /** Workers the page used (data-threads of the last run). */
  threads: number;
}

/**
 * `beforeEachRun(kind)` runs before each measured run ('painted': a fresh page, 'analysis': the
 * file picked again), e.g. to time a peer in the same minute.
 */
export async function measurePageTime(
  wavPath: string,
  runs: number,
  cores?: number,
  beforeEachRun?: (kind: 'painted' | 'analysis') => void,
): Promise<PageTime> {
  const server = await startAppServer();
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    // Pinned before every load, so the warm-up starts as many workers as the split will use.
    if (cores) await page.addInitScript(pinCoresScript(cores));
    await once(page, server.url, wavPath);
    const all: Run[] = [];
    for (let i = 0; i < runs; i++) {
      beforeEachRun?.('painted');
      all.push(await once(page, server.url, wavPath));
    }
    const timesMs = all.map((r) => r.painted);
    const warm: number[] = [];
    for (let i = 0; i < runs; i++) {
      beforeEachRun?.('analysis');
      warm.push(await again(page, wavPath));
    }
    return {
      medianMs: median(timesMs),
      timesMs,
      analysisMedianMs: median(warm),
      analysisTimesMs: warm,
      firstAnalysisMedianMs: median(all.map((r) => r.analysisMs)),
      threads: all.at(-1)!.threads,
    };
  } finally {
    await browser.close();
    await server.close();
  }
}
