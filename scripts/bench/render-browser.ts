/**
 * Browser part of bench:render: the corrective render (analyse, limit, write, re-verify) of a
 * WAV in the production build's render worker (workers/render.worker.ts as bundled by Vite) in
 * headless Chromium, served by the real app server over dist/ (MIXDESK_DIST). The file reaches
 * the worker as a File, as from the report's file input; the page speaks comlink's wire format
 * to the worker, so the app needs no test hook. Median of `runs` after one warm-up (worker code
 * and WASM compiled); the time is measured in the page, from posting to the answer.
 */
import { benchDistDir, openWithFile, workerAsset } from './worker-page.ts';
import type { RenderTarget } from '../../src/core/dsp/render/gain-plan.ts';
import { launchProfile } from '../../tests/support/browser-driver.ts';
import { startAppServer } from '../../tests/support/app-server.ts';
import { median } from './stats.ts';

export interface RenderBrowserMeasurement {
  medianMs: number;
  timesMs: number[];
  i: number | null;
  tp: number | null;
  storage: string;
}

export async function measureRenderInBrowser(
  wavPath: string,
  runs: number,
  target: RenderTarget,
): Promise<RenderBrowserMeasurement> {
  const distDir = benchDistDir();
  const server = await startAppServer();
  const browser = await launchProfile({}, 'chromium');
  try {
    const page = await browser.newPage();
    await openWithFile(page, server.url, wavPath);
    const url = workerAsset('render.worker', distDir);
    const once = () =>
      page.evaluate(
        async ({ url, target }) => {
          const file = (document.getElementById('bench-file') as HTMLInputElement).files![0]!;
          const g = globalThis as unknown as { renderWorker?: Worker };
          const w = (g.renderWorker ??= new Worker(url, { type: 'module' }));
          type Answer = {
            ok: boolean;
            message?: string;
            storage?: string;
            record?: { after: { integratedLufs: number | null; truePeakDbtp: number | null } };
          };
          const id = `bench-render-${Math.random()}`;
          const progress = new MessageChannel();
          const t0 = performance.now();
          const answer = await new Promise<Answer>((resolve) => {
            const onMessage = (e: MessageEvent) => {
              if (e.data?.id === id) {
                w.removeEventListener('message', onMessage);
                progress.port1.close();
                resolve(e.data.value as Answer);
              }
            };
            w.addEventListener('message', onMessage);
            const request = { target, format: 'pcm24' };
            const wire: unknown[] = [Date.now(), file, file.name, request].map((value) => ({ type: 'RAW', value }));
            wire.push({ type: 'HANDLER', name: 'proxy', value: progress.port2 });
            w.postMessage({ id, type: 'APPLY', path: ['render'], argumentList: wire }, [progress.port2]);
          });
          const ms = performance.now() - t0;
          if (!answer.ok) throw new Error(answer.message);
          return {
            ms,
            i: answer.record!.after.integratedLufs,
            tp: answer.record!.after.truePeakDbtp,
            storage: answer.storage!,
          };
        },
        { url, target },
      );
    const first = await once();
    const timesMs: number[] = [];
    for (let r = 0; r < runs; r++) timesMs.push((await once()).ms);
    return { medianMs: median(timesMs), timesMs, i: first.i, tp: first.tp, storage: first.storage };
  } finally {
    await browser.close();
    await server.close();
  }
}
