/**
 * The same file gives the same figures in WebKit (the iPad's engine) as in Chromium: a mix-like
 * WAV is analysed in the production build's analysis worker in both engines and
 * the loudness figures compared to 0.01 LU. Drives both engines, so it runs in the WebKit pass
 * of `npm test` (BROWSER=webkit) and says it is skipped otherwise.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureAnalysisDetailed } from '../../scripts/bench/analysis-browser.ts';
import { mixWavFile } from '../support/analysis-files.ts';
import { ENGINE } from '../support/browser-driver.ts';

const parity = suite<{ dir: string }>('same figures in WebKit and Chromium');
parity.before((ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), 'mixdesk-parity-'));
});
parity.after((ctx) => {
  rmSync(ctx.dir, { recursive: true, force: true });
});

async function integratedIn(path: string): Promise<{ chromium: number; webkit: number }> {
  const [chromium, webkit] = await Promise.all([
    measureAnalysisDetailed(path, 0, { mode: 'single', engine: 'chromium' }),
    measureAnalysisDetailed(path, 0, { mode: 'single', engine: 'webkit' }),
  ]);
  return { chromium: chromium.integrated!, webkit: webkit.integrated! };
}

parity('a 20 s mix-like 48 kHz 24-bit WAV: integrated loudness equal to 0.01 LU', async () => {
  if (ENGINE !== 'webkit') {
    console.log('  skipped: runs in the WebKit pass (BROWSER=webkit)');
    return;
  }
  const { chromium, webkit } = await integratedIn(mixWavFile(20));
  console.log(`  WAV: Chromium ${chromium.toFixed(3)} LUFS, WebKit ${webkit.toFixed(3)} LUFS`);
  assert.ok(Number.isFinite(chromium) && Math.abs(chromium - webkit) <= 0.01, `Chromium ${chromium}, WebKit ${webkit}`);
});

parity.run();
