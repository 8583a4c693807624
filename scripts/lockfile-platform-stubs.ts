/**
 * `npm run lock:stubs`: this project's registry mirror does not carry the prebuilt binaries of
 * other platforms (e.g. @rollup/rollup-darwin-arm64 answers 404), so `npm install` leaves them
 * out of package-lock.json, and `npm ci` then refuses the lock as out of sync with the
 * optionalDependencies that name them. This adds each missing optional platform package to the
 * lock with its os/cpu/libc, which is what `npm ci` needs to skip it on this machine without
 * fetching it. Run it after any `npm install` that changes the lock.
 */
import { readFileSync, writeFileSync } from 'node:fs';

interface LockEntry {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  optionalDependencies?: Record<string, string>;
  os?: string[];
  cpu?: string[];
  libc?: string[];
}

const OS = ['android', 'darwin', 'freebsd', 'linux', 'openbsd', 'openharmony', 'win32', 'sunos', 'aix', 'netbsd'];
const CPU: Record<string, string> = {
  arm: 'arm',
  'arm-eabi': 'arm',
  'arm-gnueabihf': 'arm',
  'arm-musleabihf': 'arm',
  arm64: 'arm64',
  x64: 'x64',
  ia32: 'ia32',
  loong64: 'loong64',
  ppc64: 'ppc64',
  riscv64: 'riscv64',
  s390x: 's390x',
  wasm32: 'wasm32',
};

/** Reads os, cpu and libc from a platform package's name such as rollup-linux-arm64-musl. */
function platformOf(name: string): Pick<LockEntry, 'os' | 'cpu' | 'libc'> | null {
  const parts = name.split('/').pop()!.split('-');
  const osIndex = parts.findIndex((p) => OS.includes(p));
  if (osIndex < 0) return null;
  const rest = parts.slice(osIndex + 1);
  const libc = rest.some((p) => p.startsWith('musl'))
    ? ['musl']
    : rest.some((p) => p === 'gnu' || p.startsWith('gnueabi'))
      ? ['glibc']
      : undefined;
  const cpuKey = [rest.slice(0, 2).join('-'), rest[0] ?? ''].find((k) => k in CPU);
  if (!cpuKey) return null;
  return { os: [parts[osIndex]!], cpu: [CPU[cpuKey]!], ...(libc ? { libc } : {}) };
}

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8')) as { packages: Record<string, LockEntry> };
let added = 0;
for (const [key, entry] of Object.entries(lock.packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const depKey = `node_modules/${dep}`;
    if (lock.packages[depKey] || !/^\d+\.\d+\.\d+/.test(version)) continue;
    const platform = platformOf(dep);
    if (!platform) {
      console.warn(`left alone: ${dep} (optional dependency of ${key}), no platform in its name`);
      continue;
    }
    lock.packages[depKey] = { version, ...(entry.dev ? { dev: true } : {}), optional: true, ...platform };
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
writeFileSync(path, JSON.stringify(lock, null, 2) + '\n');
console.log(`package-lock.json: added ${added} optional platform package(s)`);
