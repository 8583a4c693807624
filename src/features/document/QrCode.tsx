/**
 * A QR code as SVG rectangles built by Solid (no innerHTML, no inline script: the page's CSP
 * allows neither). The matrix comes from qrcode-generator (no dependencies, MIT, maintained
 * since 2009), error correction M: readable from an iPad across the room.
 */
import qrcode from 'qrcode-generator';
import { createMemo, For } from 'solid-js';

export function QrCode(props: { text: string; label: string; size?: number }) {
  const cells = createMemo(() => {
    const qr = qrcode(0, 'M');
    qr.addData(props.text);
    qr.make();
    const n = qr.getModuleCount();
    const dark: Array<[number, number]> = [];
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (qr.isDark(r, c)) dark.push([c, r]);
    return { n, dark };
  });
  // A quiet zone of 4 modules on every side, as the standard asks.
  return (
    <svg
      class="qr-code"
      role="img"
      aria-label={props.label}
      width={props.size ?? 200}
      height={props.size ?? 200}
      viewBox={`-4 -4 ${cells().n + 8} ${cells().n + 8}`}
      shape-rendering="crispEdges"
    >
      <rect x="-4" y="-4" width={cells().n + 8} height={cells().n + 8} fill="#fff" />
      <For each={cells().dark}>{([x, y]) => <rect x={x} y={y} width="1" height="1" fill="#000" />}</For>
    </svg>
  );
}
