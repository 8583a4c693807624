/**
 * Runs `work` once the browser has painted the current frame: in a task after the next
 * animation frame's rendering. For what can wait a frame behind what a person came for (an
 * analysis result's plots and tables behind its summary), so the answer is on screen first.
 * A page that renders no frames (a background tab, a window not shown: WebKit's pages opened
 * over WebDriver) gets the work after NO_FRAME_MS anyway. Returns a cancel function.
 */
const NO_FRAME_MS = 100;

export function afterFirstPaint(work: () => void): () => void {
  let afterFrame: ReturnType<typeof setTimeout> | undefined;
  let finished = false;
  const cancel = () => {
    finished = true;
    cancelAnimationFrame(frame);
    clearTimeout(noFrame);
    if (afterFrame !== undefined) clearTimeout(afterFrame);
  };
  const run = () => {
    if (finished) return;
    cancel();
    work();
  };
  const frame = requestAnimationFrame(() => {
    afterFrame = setTimeout(run, 0);
  });
  const noFrame = setTimeout(run, NO_FRAME_MS);
  return cancel;
}
