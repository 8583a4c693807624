/**
 * A small history-API router: the app has four kinds of page, and the service worker's
 * navigateFallback serves index.html for each of them offline.
 */
import { createSignal, type Accessor } from 'solid-js';

export type Route =
  | { page: 'library' }
  | { page: 'trash' }
  | { page: 'settings' }
  | { page: 'analyze' }
  | { page: 'document'; id: string }
  | { page: 'not-found'; path: string };

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'library' };
  if (pathname === '/trash') return { page: 'trash' };
  if (pathname === '/settings') return { page: 'settings' };
  if (pathname === '/analyze') return { page: 'analyze' };
  const doc = /^\/doc\/([A-Za-z0-9_-]{1,128})$/.exec(pathname);
  if (doc?.[1]) return { page: 'document', id: doc[1] };
  return { page: 'not-found', path: pathname };
}

export function hrefFor(route: Route): string {
  switch (route.page) {
    case 'library':
      return '/';
    case 'trash':
      return '/trash';
    case 'settings':
      return '/settings';
    case 'analyze':
      return '/analyze';
    case 'document':
      return `/doc/${route.id}`;
    case 'not-found':
      return route.path;
  }
}

export interface Router {
  route: Accessor<Route>;
  navigate(href: string, replace?: boolean): void;
}

/** Owner-bound: listens to popstate and to clicks on same-origin links for the app's lifetime. */
export function createRouter(): Router {
  const [route, setRoute] = createSignal<Route>(parseRoute(location.pathname));
  const navigate = (href: string, replace = false) => {
    if (replace) history.replaceState(null, '', href);
    else history.pushState(null, '', href);
    setRoute(parseRoute(location.pathname));
    window.scrollTo(0, 0);
  };
  window.addEventListener('popstate', () => setRoute(parseRoute(location.pathname)));
  document.addEventListener('click', (event) => {
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    )
      return;
    const anchor = (event.target as Element | null)?.closest?.('a[href]') as HTMLAnchorElement | null;
    if (!anchor || anchor.target || anchor.origin !== location.origin || anchor.hasAttribute('download')) return;
    event.preventDefault();
    navigate(anchor.pathname + anchor.search);
  });
  return { route, navigate };
}
