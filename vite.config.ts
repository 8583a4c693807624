/**
 * Build of the PWA. The service worker precaches the app shell, every worker chunk and the
 * .wasm metering core (workbox's default globs leave .wasm out), and answers client routes
 * with index.html offline (navigateFallback), except for the server's own endpoints.
 */
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';
import { VitePWA } from 'vite-plugin-pwa';

export default defineConfig({
  plugins: [
    solid(),
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['icons/*.png'],
      manifest: {
        id: '/',
        name: 'Mixdesk',
        short_name: 'Mixdesk',
        description: 'Avid console configuration files and mix analysis, on your own device.',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'any',
        theme_color: '#14161a',
        background_color: '#14161a',
        categories: ['music', 'productivity', 'utilities'],
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,wasm,png,svg,ico,webmanifest}'],
        // The metering core and big worker chunks exceed workbox's 2 MiB default.
        maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/sync\//, /^\/healthz/, /^\/api\//],
        cleanupOutdatedCaches: true,
        // Control the first visit at once, so it works offline without a second load. Updates
        // still wait for the user's "Reload" (no skipWaiting).
        clientsClaim: true,
      },
    }),
  ],
  define: {
    // Shown in Settings, so a user (and the update test) can tell which version is running.
    __MIXDESK_BUILD__: JSON.stringify(process.env.MIXDESK_BUILD_ID ?? new Date().toISOString()),
  },
  worker: { format: 'es' },
  // Source maps only when asked for (MIXDESK_SOURCEMAPS=1, which also makes the server serve them).
  build: { target: 'es2022', sourcemap: process.env.MIXDESK_SOURCEMAPS === '1' },
});
