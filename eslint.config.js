// @ts-check
/**
 * The one lint configuration (`npm run lint`, run by `npm test`). Type-aware where it is cheap
 * and catches real bugs (a promise nobody awaits or catches, a promise where a callback's result
 * is ignored), plus the boundaries between runtimes and layers that a type-check cannot see:
 * banned globals in src/core and the AudioWorklet, browser-only or Node-only packages on the
 * wrong side. The import graph between our own folders is checked by
 * tests/unit/architecture/imports.test.ts; formatting is Prettier's (`npm run format:check`).
 */
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const root = import.meta.dirname;

/** Globals that mean time, I/O or a particular runtime: pure core code and the audio thread use none. */
const TIMERS_AND_IO = [
  'setTimeout',
  'setInterval',
  'clearTimeout',
  'clearInterval',
  'setImmediate',
  'queueMicrotask',
  'requestAnimationFrame',
  'fetch',
  'XMLHttpRequest',
  'WebSocket',
  'Worker',
  'indexedDB',
  'localStorage',
  'sessionStorage',
  'caches',
  'navigator',
  'location',
  'window',
  'document',
  'self',
  'process',
  'Buffer',
  'require',
];
const restrictedGlobals = (why) => TIMERS_AND_IO.map((name) => ({ name, message: `${name}: ${why}` }));

const BROWSER_ONLY = ['solid-js', 'solid-js/*', 'dexie', 'y-indexeddb', 'y-websocket', 'workbox-window', 'comlink'];
const NODE_ONLY = ['node:*', 'ws', 'better-sqlite3', '@y/websocket-server'];

export default tseslint.config(
  // Declaration files only declare what a runtime provides; each runtime's tsconfig checks them.
  {
    ignores: [
      '**/*.d.ts',
      'dist/',
      'build/',
      'node_modules/',
      'coverage/',
      'test-results/',
      '.bench/',
      'src/wasm/',
      'src/core/dsp/wasm/',
      'public/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.lint.json'],
        tsconfigRootDir: root,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // TypeScript checks these better than the linter can.
      'no-undef': 'off',
      'no-redeclare': 'off',
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...restrictedGlobals('src/core is pure: no timers, I/O, DOM or Node; pass what you need in'),
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [...BROWSER_ONLY, ...NODE_ONLY].map((group) => ({
            group: [group],
            message: 'src/core runs in every runtime: no browser-only or Node-only packages',
          })),
        },
      ],
    },
  },
  {
    files: ['workers/meter.worklet.ts', 'workers/meter-windows.ts'],
    rules: {
      'no-restricted-globals': ['error', ...restrictedGlobals('the audio thread has only the AudioWorklet globals')],
    },
  },
  {
    files: ['src/app/**', 'src/features/**', 'src/platform/**', 'workers/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: NODE_ONLY.map((group) => ({
            group: [group],
            message: 'browser code cannot load Node-only packages',
          })),
        },
      ],
    },
  },
  {
    files: ['sync-server/**', 'src/cli/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: BROWSER_ONLY.map((group) => ({
            group: [group],
            message: 'the server and the CLI run in Node: no browser-only packages',
          })),
        },
      ],
    },
  },
);
