/// <reference types="vite/client" />
/// <reference types="vite-plugin-pwa/solid" />

/** The build's id: MIXDESK_BUILD_ID at build time, or the build's date. */
declare const __MIXDESK_BUILD__: string;
