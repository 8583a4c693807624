/**
 * Two engineers on one document through the real relay: two browser contexts (separate
 * storage, no BroadcastChannel between them), live edits, presence, and an offline spell.
 */
import * as assert from 'uvu/assert';
import type { Page } from '../support/browser-driver.ts';
import { twoPeopleSuite } from '../support/two-people.ts';
import { createDocument, editField, gotoLibrary, listedNames } from '../support/library-actions.ts';

const people = twoPeopleSuite<{ docUrl: string }>('two people');

const notesOf = (page: Page) => page.getByRole('textbox', { name: 'Notes', exact: true }).inputValue();
const tagsOf = (page: Page) =>
  page
    .locator('.tag-editor .tag')
    .allInnerTexts()
    .then((t) => t.map((s) => s.replace('×', '').trim()));
async function eventually<T>(read: () => Promise<T>, expected: T, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (JSON.stringify(last) !== JSON.stringify(expected) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 150));
    last = await read();
  }
  assert.equal(last, expected, what);
}

people('a document created by one engineer opens for the other from its link and joins their library', async (ctx) => {
  await createDocument(ctx.ana.page, 'Show layout');
  await editField(ctx.ana.page, 'Notes', 'FOH layout');
  ctx.docUrl = ctx.ana.page.url();
  await ctx.ana.page.locator('[data-sync-state="synced"]').waitFor();
  await ctx.ben.page.goto(ctx.docUrl);
  await ctx.ben.page.getByRole('heading', { level: 1, name: 'Show layout' }).waitFor();
  assert.is(await notesOf(ctx.ben.page), 'FOH layout');
});

people('each sees the other present, by name', async ({ ana, ben }) => {
  await ana.page.locator('.presence [data-peer="Ben"]').waitFor();
  await ben.page.locator('.presence [data-peer="Ana"]').waitFor();
});

people('edits made at the same time by both arrive at both', async ({ ana, ben }) => {
  await Promise.all([
    editField(ana.page, 'Notes', 'FOH layout, v2 by Ana'),
    (async () => {
      await ben.page.getByPlaceholder('Add a tag, press Enter').fill('broadcast');
      await ben.page.keyboard.press('Enter');
    })(),
  ]);
  await eventually(() => notesOf(ben.page), 'FOH layout, v2 by Ana', "Ben sees Ana's notes");
  await eventually(() => tagsOf(ana.page), ['broadcast'], "Ana sees Ben's tag");
});

// Regression: a remote change to any metadata field reset the text another person was typing.
people('what one engineer is typing survives a remote change arriving meanwhile', async ({ ana, ben }) => {
  const notes = ana.page.getByRole('textbox', { name: 'Notes', exact: true });
  await notes.fill('Ana is still typing');
  await ben.page.getByPlaceholder('Add a tag, press Enter').fill('monitors');
  await ben.page.keyboard.press('Enter');
  await eventually(() => tagsOf(ana.page), ['broadcast', 'monitors'], "Ana sees Ben's tag while typing");
  assert.is(await notes.inputValue(), 'Ana is still typing');
  await notes.press('Tab');
  await eventually(() => notesOf(ben.page), 'Ana is still typing', "Ana's text is committed and reaches Ben");
});

people('one goes offline, both keep editing, and they converge when it comes back', async ({ ana, ben }) => {
  await ben.context.setOffline(true);
  await ben.page.locator('[data-sync-state="offline"]').waitFor();
  await editField(ana.page, 'Room profile', 'Stage A S6');
  await editField(ben.page, 'Notes', 'written offline by Ben');
  await ben.page.waitForTimeout(1000);
  assert.is(
    await ben.page.getByRole('textbox', { name: 'Room profile', exact: true }).inputValue(),
    '',
    'offline really is offline',
  );
  await ben.context.setOffline(false);
  await eventually(
    () => ben.page.getByRole('textbox', { name: 'Room profile', exact: true }).inputValue(),
    'Stage A S6',
    "Ben gets Ana's offline-time edit",
    20_000,
  );
  await eventually(() => notesOf(ana.page), 'written offline by Ben', "Ana gets Ben's offline edit", 20_000);
  await ben.page.locator('[data-sync-state="synced"]').waitFor();
});

people('the library of the second engineer lists the shared document with its synced state', async ({ ben }) => {
  await gotoLibrary(ben.page);
  assert.equal(await listedNames(ben.page), ['Show layout']);
});

people.run();
