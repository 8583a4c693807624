/**
 * Releases a comlink proxy callback (a job's progress function) when the job ends, so its
 * message port does not outlive the job. Safe on a plain function (nothing to release).
 */
import { releaseProxy } from 'comlink';

export function releaseCallback(callback: unknown): void {
  const release = (callback as { [releaseProxy]?: () => Promise<void> })[releaseProxy];
  void release?.call(callback)?.catch(() => {});
}
