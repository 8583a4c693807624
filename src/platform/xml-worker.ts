/** Starts the XML worker, written as Vite's literal `new Worker(new URL(...))` pattern so it is bundled. */
export function startXmlWorker(): Worker {
  return new Worker(new URL('../../workers/xml.worker.ts', import.meta.url), { type: 'module' });
}
