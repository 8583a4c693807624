/**
 * Accounts end to end in real Chromium contexts against the production build, the real server
 * and a real SMTP server (PINs are read from the mail): Ana signs up and attaches her library,
 * a second device of hers sees it, Ben signs up, they become friends, Ana shares read-only,
 * Ben sees it under "Shared with me", Ana revokes and it leaves Ben's list.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { silentLogger } from '../../sync-server/relay/index.ts';
import { startServer } from '../../sync-server/server.ts';
import { startMailbox } from '../support/account-harness.ts';
import { captureDownload } from '../support/browser-driver.ts';
import { launchBrowser } from '../support/chromium.ts';
import { CONSOLE_FIXTURES, importConsole, openConsoleDocument } from '../support/console-actions.ts';
import { editField } from '../support/library-actions.ts';

const SHOTS = process.env.MIXDESK_SHOTS;

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function signInThroughUi(
  page: Page,
  base: string,
  email: string,
  nextPin: (to: string) => Promise<string>,
  shotName?: string,
): Promise<void> {
  await page.goto(`${base}/settings`);
  const account = page.getByTestId('account');
  await account.getByRole('textbox', { name: 'Email' }).fill(email);
  if (shotName) await shot(page, `${shotName}-email`);
  await account.getByRole('button', { name: 'Send me a PIN' }).click();
  const pin = await nextPin(email);
  await account.getByRole('textbox', { name: /PIN sent to/ }).fill(pin);
  if (shotName) await shot(page, `${shotName}-pin`);
  await account.getByRole('button', { name: 'Sign in' }).click();
  await account.getByTestId('account-email').filter({ hasText: email }).waitFor();
}

test('Ana signs up and attaches her library, her second device sees it, she shares read-only with Ben, then revokes', async () => {
  const mailbox = await startMailbox();
  const dataDir = mkdtempSync(join(tmpdir(), 'mixdesk-accounts-e2e-'));
  const running = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    staticDir: process.env.MIXDESK_DIST ?? fileURLToPath(new URL('../../dist', import.meta.url)),
    relay: { logger: silentLogger },
    accounts: { smtpUrl: `smtp://127.0.0.1:${mailbox.port}` },
  });
  const browser = await launchBrowser();
  // Secure cookies need a secure context: Chromium counts both localhost and 127.0.0.1 as one.
  const anaBase = `http://localhost:${running.port}`;
  const benBase = `http://127.0.0.1:${running.port}`;
  try {
    const ana = await (await browser.newContext({ viewport: { width: 1100, height: 900 } })).newPage();
    await signInThroughUi(ana, anaBase, 'ana@example.com', mailbox.nextPin, 'sign-in');
    await importConsole(ana, [`${CONSOLE_FIXTURES}Show.layout.xml`]);
    await ana.goto(`${anaBase}/settings`);
    await ana.getByRole('button', { name: "Attach this device's library to my account" }).click();
    await ana.getByText('1 documents are in your account now').waitFor();

    const anaPhone = await (await browser.newContext({ viewport: { width: 420, height: 900 } })).newPage();
    await signInThroughUi(anaPhone, anaBase, 'ana@example.com', mailbox.nextPin);
    await anaPhone.getByTestId('account-documents').getByText('Show.layout.xml').waitFor();
    // The phone never had the document: signing in lists it, the library fetches it, it opens.
    await openConsoleDocument(anaPhone, 'Show.layout.xml');
    await anaPhone.locator('.console-strip[data-slot="1"] .console-strip-track', { hasText: 'Kick' }).waitFor();
    await anaPhone.goto(`${anaBase}/settings`);

    const ben = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await signInThroughUi(ben, benBase, 'ben@example.com', mailbox.nextPin);
    await ben.getByRole('textbox', { name: "Friend's email" }).fill('ana@example.com');
    await ben.getByRole('button', { name: 'Send friend request' }).click();
    await ben.getByText('Friend request sent to ana@example.com').waitFor();

    await ana.reload();
    await ana.getByTestId('friend-requests').getByText('ben@example.com').waitFor();
    await ana.getByRole('button', { name: 'Accept' }).click();
    await ana.getByTestId('friends').getByText('ben@example.com').waitFor();
    await ana.getByRole('combobox', { name: 'Document' }).selectOption({ label: 'Show.layout.xml' });
    await ana.getByRole('combobox', { name: 'Friend' }).selectOption('ben@example.com');
    await ana.getByRole('button', { name: 'Share read-only' }).click();
    await ana.getByTestId('shares').getByText('ben@example.com').waitFor();
    await ana.reload();
    await ana.getByTestId('devices').getByText('(this device)').waitFor();
    assert.is(await ana.getByTestId('devices').locator('li').count(), 2, 'laptop and phone');
    await ana.getByRole('combobox', { name: 'Document' }).selectOption({ label: 'Show.layout.xml' });
    await ana.getByTestId('shares').getByText('ben@example.com').waitFor();
    await shot(ana, 'signed-in-devices-friends-sharing');

    await ben.reload();
    await ben.getByTestId('shared-with-me').getByText('Show.layout.xml').waitFor();
    assert.match((await ben.getByTestId('shared-with-me').textContent()) ?? '', /from ana@example\.com · read-only/);
    await shot(ben, 'shared-with-me');
    await ben.getByTestId('shared-with-me').getByRole('link', { name: 'Show.layout.xml' }).click();
    await ben.getByTestId('read-only-banner').filter({ hasText: 'Read-only: shared by ana@example.com' }).waitFor();
    await ben.locator('.console-strip[data-slot="1"] .console-strip-track', { hasText: 'Kick' }).waitFor();
    assert.not.ok(await ben.getByRole('textbox', { name: 'Name', exact: true }).isEditable(), 'details read as text');
    // Controls that only edit are not there at all; reading and taking the file away are.
    for (const name of ['Add layout', 'Remove layout', 'Add track', 'Save version', 'Restore', 'Undo', 'Move to Trash'])
      assert.is(await ben.getByRole('button', { name, exact: true }).count(), 0, `no ${name} button`);
    // Every edit path refuses: keyboard (Delete, Space pick-up and drop) and a track dropped on a strip.
    const benStrip = (slot: number) => ben.locator(`.console-strip[data-slot="${slot}"] .console-strip-track`);
    await ben.locator('.console-strip[data-slot="1"]').click();
    for (const key of ['Delete', 'Space', 'ArrowRight', 'ArrowRight', 'Space']) await ben.keyboard.press(key);
    await ben.locator('.console-strip[data-slot="3"]').evaluate((strip) => {
      const data = new DataTransfer();
      data.setData('application/x-mixdesk-track', 'Lead Vox');
      strip.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    assert.is(await benStrip(1).textContent(), 'Kick', 'strip 1 kept its track on Ben');
    assert.is(await benStrip(3).textContent(), '—', 'nothing placed on strip 3 on Ben');
    // Switching views is reading: the Vocals layout, then the tree and raw XML.
    // Regression: with a Drums strip selected, the Vocals tab bounced back to Drums.
    await ben.getByRole('tab', { name: 'Vocals' }).click();
    await benStrip(1).filter({ hasText: 'Lead Vox' }).waitFor();
    await ben.getByRole('tab', { name: 'Tree & raw XML' }).click();
    await ben.getByTestId('raw-xml').filter({ hasText: '<Layout name="Vocals"' }).waitFor();
    await ben.locator('.console-tree-label', { hasText: 'name="Vocals"' }).click();
    assert.not.ok(await ben.getByRole('textbox', { name: 'Attribute name' }).isEditable(), 'attributes read as text');
    assert.is(await ben.getByRole('button', { name: /^(Add attribute|Add child|Remove element)$/ }).count(), 0);
    await shot(ben, 'read-only-tree');
    const benExport = await captureDownload(ben, () =>
      ben.getByRole('button', { name: 'Export', exact: true }).click(),
    );
    await ben.getByRole('tab', { name: 'Layouts' }).click();
    await ben.getByRole('button', { name: 'Share', exact: true }).click();
    await ben.getByText('You can read this document, not edit it.').waitFor();
    assert.is(await ben.getByText('Anyone with the link can edit').count(), 0, 'no false promise to Ben');
    await ben.getByRole('button', { name: 'Copy link' }).click();
    await ben.getByText(/Link copied\.|select the link and copy it/).waitFor();
    await ben.getByRole('button', { name: 'Share', exact: true }).click();
    // Ana edits on her phone; Ben sees it live, in a view he cannot edit.
    await openConsoleDocument(anaPhone, 'Show.layout.xml');
    await anaPhone.locator('.console-strip[data-slot="1"] .console-strip-track', { hasText: 'Kick' }).waitFor();
    assert.is(
      await anaPhone.locator('.console-strip[data-slot="3"] .console-strip-track').textContent(),
      '—',
      "none of Ben's attempts reached Ana",
    );
    const anaExport = await captureDownload(anaPhone, () =>
      anaPhone.getByRole('button', { name: 'Export', exact: true }).click(),
    );
    assert.is(benExport.name, anaExport.name, 'same file name');
    assert.ok(benExport.bytes.equals(anaExport.bytes), "Ben's export is Ana's file, byte for byte");
    await anaPhone.getByRole('list', { name: 'Also editing' }).getByRole('listitem').first().waitFor();
    assert.is(await anaPhone.locator('[data-peer-selection]').count(), 0, 'Ben is shown, his selection is not');
    await editField(anaPhone, 'Notes', 'Soundcheck at five');
    await ben.waitForFunction(
      () => document.querySelector<HTMLTextAreaElement>('textarea[name="notes"]')?.value === 'Soundcheck at five',
    );
    await anaPhone.goto(`${anaBase}/settings`);
    await shot(ben, 'read-only-editor');

    await ana.getByTestId('shares').getByRole('button', { name: 'Revoke' }).click();
    const revokedAt = Date.now();
    await ben.getByText('ana@example.com stopped sharing Show.layout.xml with you.').waitFor({ timeout: 5000 });
    const closedAfterMs = Date.now() - revokedAt;
    assert.ok(closedAfterMs < 3000, `Ben's view closed ${closedAfterMs} ms after the revoke`);
    assert.is(new URL(ben.url()).pathname, '/', 'Ben is back in his library');
    await shot(ben, 'revoked');
    await ben.getByText('No documents yet. Create one to start.').waitFor();
    await ana.getByTestId('shares').locator('li').waitFor({ state: 'detached' });
    await ben.goto(`${benBase}/settings`);
    await ben.getByText('Shared with me').waitFor();
    await ben.getByTestId('account').getByText('Nothing yet.').waitFor();

    // Move to Trash on the laptop reaches the server's Trash; restoring it there restores it here too.
    await openConsoleDocument(ana, 'Show.layout.xml');
    await ana.getByRole('button', { name: 'Move to Trash' }).click();
    await ana.getByRole('heading', { level: 1, name: 'Library' }).waitFor();
    await ana.getByRole('link', { name: 'Settings', exact: true }).click();
    const serverTrash = ana.getByTestId('server-trash');
    await serverTrash.getByText('Show.layout.xml').waitFor();
    await shot(ana, 'server-trash');
    await serverTrash.getByRole('button', { name: 'Restore' }).click();
    await serverTrash.getByText("The server's Trash is empty.").waitFor();
    await ana.getByTestId('account-documents').getByText('Show.layout.xml').waitFor();

    await anaPhone.getByRole('button', { name: 'Sign out everywhere' }).click();
    await anaPhone.getByRole('button', { name: 'Send me a PIN' }).waitFor();
    await ana.reload();
    await ana.getByRole('button', { name: 'Send me a PIN' }).waitFor();
    await shot(ana, 'signed-out-everywhere');
  } finally {
    await browser.close();
    await running.close();
    await mailbox.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test.run();
