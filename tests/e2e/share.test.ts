/**
 * Share: the link (copied to the clipboard), a QR code of it, and the plain warning that anyone
 * with the link can edit; the link opened in another person's browser fetches the document.
 */
import * as assert from 'uvu/assert';
import { chromiumOnly } from '../support/browser-driver.ts';
import { twoPeopleSuite } from '../support/two-people.ts';
import { CONSOLE_FIXTURES, importConsole, openConsoleDocument } from '../support/console-actions.ts';

const shots = process.env.MERGE_SHOTS;
const test = twoPeopleSuite('share');

test('Share copies the link, shows its QR code and says anyone with it can edit; the link opens the document elsewhere', async ({
  ana,
  ben,
}) => {
  await chromiumOnly(ana.page).context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await importConsole(ana.page, [`${CONSOLE_FIXTURES}Show.layout.xml`]);
  await openConsoleDocument(ana.page, 'Show.layout.xml');
  await ana.page.locator('[data-save-state="server"]').waitFor({ timeout: 15_000 });
  await ana.page.getByRole('button', { name: 'Share' }).click();
  const panel = ana.page.getByRole('region', { name: 'Share' });
  assert.match(await panel.innerText(), /Anyone with the link can edit this document\./);
  const link = await panel.getByRole('textbox', { name: 'Link to this document' }).inputValue();
  assert.is(link, ana.page.url());
  await panel.getByRole('button', { name: 'Copy link' }).click();
  await panel.getByText('Link copied.').waitFor();
  assert.is(await ana.page.evaluate(() => navigator.clipboard.readText()), link);
  const qr = panel.getByRole('img', { name: /QR code of the link/ });
  assert.ok((await qr.locator('rect').count()) > 100, 'a QR code is drawn');
  if (shots) await ana.page.screenshot({ path: `${shots}/share-panel.png` });
  await ben.page.goto(link);
  await ben.page.locator('.console-strip[data-slot="1"]').filter({ hasText: 'Kick' }).waitFor({ timeout: 15_000 });
});

test.run();
