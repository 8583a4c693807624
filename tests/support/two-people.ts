/**
 * Two engineers, Ana and Ben, each in a browser profile of their own (separate storage and no
 * BroadcastChannel between them, so everything they share goes through the real relay), with
 * the real server: the setup of every two-person suite, in the engine BROWSER names.
 */
import { suite, type Test } from 'uvu';
import { startAppServer } from './app-server.ts';
import { launchProfile, type Page, type Profile } from './browser-driver.ts';

export interface Person {
  context: Profile;
  page: Page;
}
export interface TwoPeople {
  server: Awaited<ReturnType<typeof startAppServer>>;
  ana: Person;
  ben: Person;
}

async function person(url: string, name: string, colour: string): Promise<Person> {
  const context = await launchProfile({ viewport: { width: 1024, height: 768 } });
  const page = await context.newPage();
  // Who this person is, stored as the app keeps it, before the app reads it (a reload):
  // WebDriver has no init scripts, so both engines do it the same way.
  await page.goto(url);
  await page.evaluate(
    ([n, c]) => localStorage.setItem('mixdesk.identity', JSON.stringify({ name: n, colour: c })),
    [name, colour],
  );
  await page.reload();
  return { context, page };
}

export function twoPeopleSuite<Extra extends object = object>(name: string): Test<TwoPeople & Extra> {
  const test = suite<TwoPeople & Extra>(name);
  test.before(async (ctx) => {
    ctx.server = await startAppServer();
    [ctx.ana, ctx.ben] = await Promise.all([
      person(ctx.server.url, 'Ana', '#ff9933'),
      person(ctx.server.url, 'Ben', '#40c8be'),
    ]);
  });
  test.after(async (ctx) => {
    await Promise.all([ctx.ana.context.close(), ctx.ben.context.close()]);
    await ctx.server.close();
  });
  return test;
}
