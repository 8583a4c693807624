/**
 * Two engineers, Ana and Ben, each in a browser context of their own (separate storage and no
 * BroadcastChannel between them, so everything they share goes through the real relay), with
 * the real server: the setup of every two-person suite.
 */
import { suite, type Test } from 'uvu';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startAppServer } from './app-server.ts';
import { launchBrowser } from './chromium.ts';

export interface Person { context: BrowserContext; page: Page }
export interface TwoPeople { server: Awaited<ReturnType<typeof startAppServer>>; browser: Browser; ana: Person; ben: Person }

async function person(browser: Browser, url: string, name: string, colour: string): Promise<Person> {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
  await context.addInitScript(([n, c]) => {
    if (!localStorage.getItem('mixdesk.identity')) localStorage.setItem('mixdesk.identity', JSON.stringify({ name: n, colour: c }));
  }, [name, colour]);
  const page = await context.newPage();
  await page.goto(url);
  return { context, page };
}

export function twoPeopleSuite<Extra extends object = object>(name: string): Test<TwoPeople & Extra> {
  const test = suite<TwoPeople & Extra>(name);
  test.before(async (ctx) => {
    ctx.server = await startAppServer();
    ctx.browser = await launchBrowser();
    ctx.ana = await person(ctx.browser, ctx.server.url, 'Ana', '#ff9933');
    ctx.ben = await person(ctx.browser, ctx.server.url, 'Ben', '#40c8be');
  });
  test.after(async (ctx) => { await ctx.browser.close(); await ctx.server.close(); });
  return test;
}
