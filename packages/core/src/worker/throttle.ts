import type { Progress, ProgressListener } from '../progress.js';

/**
 * Limits a progress stream to about `steps` calls per phase: a report passes
 * when it moves at least `1/steps` of the total beyond the last one, when the
 * phase changes, or when the phase completes. Each call crosses the worker
 * boundary, so a 100 MB file must not produce one per chunk.
 */
export function throttleProgress(listener: ProgressListener, steps = 50): ProgressListener {
  let phase: Progress['phase'] | undefined;
  let last = 0;
  return (p) => {
    const step = p.total > 0 ? p.total / steps : 0;
    const complete = p.total > 0 && p.done >= p.total;
    if (p.phase !== phase || complete || p.done - last >= step) {
      if (p.phase === phase && complete && last >= p.total) return; // completion already reported
      phase = p.phase;
      last = p.done;
      try {
        listener(p);
      } catch {
        // A listener's failure must not break the operation (see ProgressListener).
      }
    }
  };
}
