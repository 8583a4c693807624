/**
 * After a write failed for lack of space, keep trying to save the full state of the open
 * documents until it succeeds, then say so. Non-reactive; returns start() and a dispose.
 */
import { isQuotaError } from '../platform/storage/quota.ts';

export function makeQuotaRecovery(saveAll: () => Promise<void>, onSaved: () => void, intervalMs = 5000) {
  let timer: ReturnType<typeof setInterval> | undefined;
  const attempt = async () => {
    try {
      await saveAll();
      clearInterval(timer);
      timer = undefined;
      onSaved();
    } catch (error) {
      if (!isQuotaError(error)) throw error;
    }
  };
  return {
    start() {
      if (timer === undefined) timer = setInterval(() => void attempt(), intervalMs);
    },
    dispose() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}
