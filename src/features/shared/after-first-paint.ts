/**
 * Runs `work` once the browser has painted the current frame: in a task after the next
 * animation frame's rendering. For what can wait a frame behind what a person came for (an
 * analysis result's plots and tables behind its summary), so the answer is on screen first.
 * Returns a cancel function.
 */
export function afterFirstPaint(work: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const frame = requestAnimationFrame(() => {
    timer = setTimeout(work, 0);
  });
  return () => {
    cancelAnimationFrame(frame);
    if (timer !== undefined) clearTimeout(timer);
  };
}
