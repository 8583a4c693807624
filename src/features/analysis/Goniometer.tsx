/**
 * The goniometer (vectorscope) of the whole file: where the left/right pair spent its time,
 * mid (L + R) up and side across (left-only material leans up and left, right-only up and right), from the density the analysis gathered
 * (src/core/dsp/overview.ts). A vertical line is mono; a horizontal one is a pair out of
 * polarity; a wide mix fills the upper half. The radius is in dB (the range's floor at the
 * centre, 0 dBFS at the edge), so quiet and loud mixes show their shape alike.
 *
 * Drawn on a canvas from script (the CSP allows that; it blocks only inline style markup).
 */
import { createEffect, onCleanup, onMount } from 'solid-js';

/** Canvas pixels (drawn at twice the CSS size for sharp lines on high-density screens). */
const SIZE = 400;

function draw(canvas: HTMLCanvasElement, size: number, density: number[]): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const css = getComputedStyle(canvas);
  const colour = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  const ink = colour('--accent-2', '#4cc9f0');
  const line = colour('--line', '#444');
  const muted = colour('--muted', '#999');
  // The density as an image: alpha is the (log) density, so the panel colour shows through.
  const cells = document.createElement('canvas');
  cells.width = size;
  cells.height = size;
  const cctx = cells.getContext('2d')!;
  cctx.fillStyle = ink;
  cctx.fillRect(0, 0, size, size);
  const image = cctx.getImageData(0, 0, size, size);
  for (let i = 0; i < size * size; i++) image.data[4 * i + 3] = density[i] ?? 0;
  cctx.putImageData(image, 0, 0);
  ctx.clearRect(0, 0, SIZE, SIZE);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(cells, 0, 0, SIZE, SIZE);
  // Guides: mid (vertical), side (horizontal), L and R (the diagonals), the 0 dBFS circle.
  const c = SIZE / 2;
  ctx.strokeStyle = line;
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(c, 0);
  ctx.lineTo(c, SIZE);
  ctx.moveTo(0, c);
  ctx.lineTo(SIZE, c);
  ctx.moveTo(0, 0);
  ctx.lineTo(SIZE, SIZE);
  ctx.moveTo(SIZE, 0);
  ctx.lineTo(0, SIZE);
  ctx.stroke();
  ctx.beginPath();
  ctx.arc(c, c, c - 1, 0, 2 * Math.PI);
  ctx.stroke();
  ctx.fillStyle = muted;
  ctx.font = '22px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.fillText('M', c + 16, 24);
  ctx.fillText('L', 36, 44);
  ctx.fillText('R', SIZE - 36, 44);
  ctx.fillText('S', SIZE - 16, c - 8);
  ctx.fillText('S', 16, c - 8);
}

export function Goniometer(props: { size: number; rangeDb: number; density: number[]; correlation: number | null }) {
  let canvas!: HTMLCanvasElement;
  const paint = () => draw(canvas, props.size, props.density);
  onMount(() => {
    // The theme's colours can change (light/dark): repaint when the scheme does.
    const scheme = matchMedia('(prefers-color-scheme: dark)');
    scheme.addEventListener('change', paint);
    onCleanup(() => scheme.removeEventListener('change', paint));
  });
  createEffect(paint);
  return (
    <figure class="plot goniometer">
      <figcaption>
        Goniometer <span class="unit">(M/S, radius {-props.rangeDb} to 0 dBFS)</span>
      </figcaption>
      <canvas
        ref={canvas}
        width={SIZE}
        height={SIZE}
        role="img"
        aria-label={`Goniometer: density of the left/right pair over the whole file${
          props.correlation === null ? '' : `, correlation ${props.correlation.toFixed(2)}`
        }`}
      />
    </figure>
  );
}
