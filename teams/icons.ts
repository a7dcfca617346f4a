import { PNG } from 'pngjs';

/**
 * The two icons a Teams app package needs, drawn in code so the package builds with no design files:
 * a speech bubble (the chat) on the clinic's colour, and the same bubble in white on transparent for the outline.
 * Edges are anti-aliased by supersampling each pixel.
 */

type Shape = (x: number, y: number) => boolean;

function insideRoundedRect(x: number, y: number, left: number, top: number, right: number, bottom: number, r: number): boolean {
  if (x < left || x > right || y < top || y > bottom) return false;
  const cx = Math.min(Math.max(x, left + r), right - r);
  const cy = Math.min(Math.max(y, top + r), bottom - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function insideTriangle(x: number, y: number, a: [number, number], b: [number, number], c: [number, number]): boolean {
  const sign = (p: [number, number], q: [number, number]) => (x - q[0]) * (p[1] - q[1]) - (p[0] - q[0]) * (y - q[1]);
  const d1 = sign(a, b);
  const d2 = sign(b, c);
  const d3 = sign(c, a);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
}

/** A bubble with a tail, in a box of unit coordinates scaled to [inset, 1 - inset]; the dots are holes. */
function bubble(inset: number): { body: Shape; hole: Shape } {
  const s = (v: number) => inset + v * (1 - 2 * inset);
  const body: Shape = (x, y) =>
    insideRoundedRect(x, y, s(0), s(0.05), s(1), s(0.72), s(0.2) - inset) ||
    insideTriangle(x, y, [s(0.18), s(0.6)], [s(0.16), s(0.97)], [s(0.48), s(0.68)]);
  const dotR = 0.075 * (1 - 2 * inset);
  const hole: Shape = (x, y) => [0.25, 0.5, 0.75].some((dx) => (x - s(dx)) ** 2 + (y - s(0.385)) ** 2 <= dotR * dotR);
  return { body, hole };
}

/** Fraction (0..1) of a pixel's area covered by a shape, from 4×4 samples. */
function coverage(px: number, py: number, size: number, shape: Shape): number {
  let hits = 0;
  for (let i = 0; i < 4; i += 1) {
    for (let j = 0; j < 4; j += 1) {
      if (shape((px + (i + 0.5) / 4) / size, (py + (j + 0.5) / 4) / size)) hits += 1;
    }
  }
  return hits / 16;
}

function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** 192×192, full colour: a white bubble on the accent colour, its dots in the accent colour. */
export function colorIcon(accentHex: string): Buffer {
  const size = 192;
  const png = new PNG({ width: size, height: size });
  const [r, g, b] = hexToRgb(accentHex);
  // Teams shows the colour icon on its own tile; the symbol stays inside the central safe area.
  const { body, hole } = bubble(0.24);
  const white: Shape = (x, y) => body(x, y) && !hole(x, y);
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const c = coverage(x, y, size, white);
      const i = (y * size + x) * 4;
      png.data[i] = Math.round(r + (255 - r) * c);
      png.data[i + 1] = Math.round(g + (255 - g) * c);
      png.data[i + 2] = Math.round(b + (255 - b) * c);
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

/** 32×32 outline: white only, on transparent (Teams tints it), the dots cut out. */
export function outlineIcon(): Buffer {
  const size = 32;
  const png = new PNG({ width: size, height: size });
  const { body, hole } = bubble(0.06);
  const shape: Shape = (x, y) => body(x, y) && !hole(x, y);
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const i = (y * size + x) * 4;
      png.data[i] = 255;
      png.data[i + 1] = 255;
      png.data[i + 2] = 255;
      png.data[i + 3] = Math.round(255 * coverage(x, y, size, shape));
    }
  }
  return PNG.sync.write(png);
}
