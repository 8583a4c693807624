/** A new deployment is announced with "Reload" and runs only once the user says so. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAppServer } from '../support/app-server.ts';
import { launchContext } from '../support/chromium.ts';
import { waitForServiceWorker } from '../support/library-actions.ts';

const root = mkdtempSync(join(tmpdir(), 'mixdesk-update-'));
const build = (id: string) => {
  execFileSync('npx', ['vite', 'build', '--logLevel', 'error', '--outDir', join(root, id), '--emptyOutDir'], {
    env: { ...process.env, MIXDESK_BUILD_ID: id },
    stdio: 'inherit',
  });
};

test('an update found while the app is open waits behind "A new version is available" and Reload switches to it', async () => {
  build('build-one');
  build('build-two');
  const site = join(root, 'site');
  cpSync(join(root, 'build-one'), site, { recursive: true });
  const server = await startAppServer({ staticDir: site });
  const { context, close } = await launchContext();
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}/settings`);
    await waitForServiceWorker(page);
    assert.is(await page.getByTestId('build-id').textContent(), 'build-one');

    rmSync(site, { recursive: true });
    cpSync(join(root, 'build-two'), site, { recursive: true });
    await page.evaluate(async () => {
      await (await navigator.serviceWorker.getRegistration())?.update();
    });
    const prompt = page.getByRole('alert').filter({ hasText: 'A new version of Mixdesk is available' });
    await prompt.waitFor({ timeout: 20_000 });
    assert.is(
      await page.getByTestId('build-id').textContent(),
      'build-one',
      'the old version keeps running until the user agrees',
    );

    await prompt.getByRole('button', { name: 'Reload' }).click();
    await page.getByTestId('build-id').filter({ hasText: 'build-two' }).waitFor({ timeout: 20_000 });
    assert.is(await prompt.count(), 0);
  } finally {
    await close();
    await server.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test.run();
