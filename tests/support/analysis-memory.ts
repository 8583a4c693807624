/**
 * Resident memory of the Chromium renderer processes this Node process started (the page and
 * its workers live there; the browser and GPU processes are left out), read from /proc. Used
 * by the browser analysis benchmark and the bounded-memory test. Linux only: null elsewhere.
 */
import { readdirSync, readFileSync } from 'node:fs';

export function rendererRssMb(): number | null {
  try {
    const parent = new Map<number, number>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      } catch {
        /* the process ended */
      }
    }
    const mine = new Set([process.pid]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const [pid, ppid] of parent)
        if (!mine.has(pid) && mine.has(ppid)) {
          mine.add(pid);
          grew = true;
        }
    }
    mine.delete(process.pid);
    let pages = 0;
    for (const pid of mine) {
      try {
        if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
        pages += Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
      } catch {
        /* ended */
      }
    }
    return (pages * 4096) / 2 ** 20;
  } catch {
    return null;
  }
}

/** Samples rendererRssMb() every `everyMs` until stopped; returns the peak seen. */
export function sampleRendererPeak(everyMs = 20): { stop(): number | null } {
  let peak: number | null = null;
  const tick = () => {
    const mb = rendererRssMb();
    if (mb !== null) peak = Math.max(peak ?? 0, mb);
  };
  tick();
  const timer = setInterval(tick, everyMs);
  return {
    stop() {
      clearInterval(timer);
      tick();
      return peak;
    },
  };
}
