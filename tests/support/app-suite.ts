/**
 * A uvu suite with the real server and one fresh browser profile open for all its tests (in the
 * engine BROWSER names, see browser-driver.ts), and a page on the app: the setup most browser
 * suites share.
 */
import { suite, type Test } from 'uvu';
import { startAppServer } from './app-server.ts';
import { launchProfile, type Page, type Profile } from './browser-driver.ts';

export interface AppSuiteContext {
  server: Awaited<ReturnType<typeof startAppServer>>;
  context: Profile;
  page: Page;
  closeBrowser: () => Promise<void>;
}

export function appSuite(
  name: string,
  options: { acceptDialogs?: boolean; viewport?: { width: number; height: number } } = {},
): Test<AppSuiteContext> {
  const test = suite<AppSuiteContext>(name);
  test.before(async (ctx) => {
    ctx.server = await startAppServer();
    ctx.context = await launchProfile({
      ...(options.acceptDialogs ? { acceptDialogs: true } : {}),
      ...(options.viewport ? { viewport: options.viewport } : {}),
    });
    ctx.closeBrowser = () => ctx.context.close();
    ctx.page = await ctx.context.newPage();
    if (process.env.DEBUG_E2E) ctx.page.on('console', (m) => console.log('console:', m.text()));
    await ctx.page.goto(ctx.server.url);
  });
  test.after(async (ctx) => {
    await ctx.closeBrowser();
    await ctx.server.close();
  });
  return test;
}
