/**
 * Document affinity for the scale-out bench (`--route doc`), as the recommended proxy setup does
 * it (docs/operations.md: nginx `hash $uri consistent`): every client of a document goes to one
 * process, picked by a hash of the document id, so each process holds and applies only its
 * share of the documents. `--route spread` is the opposite: the k-th client of every document on
 * process k mod N, so every process holds every document.
 */
export type Route = 'doc' | 'spread';

/** FNV-1a, 32 bits: cheap, stable across runs and processes, spreads short similar ids well. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The process (0..processes-1) that serves `docId`'s clients under `route`; `k` is the client's number. */
export function processFor(route: Route, docId: string, k: number, docs: number, processes: number): number {
  return route === 'doc' ? fnv1a(docId) % processes : Math.floor(k / docs) % processes;
}
