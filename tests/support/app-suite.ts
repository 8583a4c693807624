/**
 * A uvu suite with the real server and one fresh Chromium context open for all its tests,
 * and a page on the app: the setup most browser suites share.
 */
import { suite, type Test } from 'uvu';
import type { BrowserContext, Page } from 'playwright-core';
import { startAppServer } from './app-server.ts';
import { launchContext } from './chromium.ts';

export interface AppSuiteContext {
  server: Awaited<ReturnType<typeof startAppServer>>;
  context: BrowserContext;
  page: Page;
  closeBrowser: () => Promise<void>;
}

export function appSuite(name: string, options: { acceptDialogs?: boolean } = {}): Test<AppSuiteContext> {
  const test = suite<AppSuiteContext>(name);
  test.before(async (ctx) => {
    ctx.server = await startAppServer();
    const launched = await launchContext();
    ctx.context = launched.context;
    ctx.closeBrowser = launched.close;
    ctx.page = await ctx.context.newPage();
    if (options.acceptDialogs) ctx.page.on('dialog', (dialog) => void dialog.accept());
    if (process.env.DEBUG_E2E) ctx.page.on('console', (m) => console.log('console:', m.text()));
    await ctx.page.goto(ctx.server.url);
  });
  test.after(async (ctx) => { await ctx.closeBrowser(); await ctx.server.close(); });
  return test;
}
