/**
 * Writes the PWA icons (a white heart — 连心, "hearts joined" — on Party red) as PNG files.
 * Dependency-free on purpose: the icons are simple shapes, and an image library would be the
 * heaviest thing in the tree for one build-time job. Run `npm run icons` after changing them;
 * the output is committed under client/public so a build needs nothing extra.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const RED: Rgba = [200, 22, 29, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const CLEAR: Rgba = [0, 0, 0, 0];
type Rgba = [number, number, number, number];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** Encodes RGBA pixels as a PNG (colour type 6, no filtering). */
export function encodePng(size: number, pixel: (x: number, y: number) => Rgba): Buffer {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    const row = y * (size * 4 + 1);
    raw[row] = 0;
    for (let x = 0; x < size; x++) raw.set(pixel(x, y), row + 1 + x * 4);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8;
  header[9] = 6;
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

/** The classic implicit heart curve, (x²+y²−1)³ − x²y³ ≤ 0, in a unit box centred at 0. */
function inHeart(u: number, v: number): boolean {
  const x = u * 1.35;
  const y = -v * 1.35 + 0.15;
  const a = x * x + y * y - 1;
  return a * a * a - x * x * y * y * y <= 0;
}

/**
 * One icon: `heartScale` is the heart's share of the side (maskable icons keep it inside the 80%
 * safe zone), `rounded` cuts the corners for the plain icon.
 */
function icon(size: number, heartScale: number, rounded: boolean): Buffer {
  const radius = rounded ? size * 0.18 : 0;
  // 4×4 supersampling keeps the edges smooth without a rasteriser.
  const samples = 4;
  return encodePng(size, (px, py) => {
    let heart = 0;
    let inside = 0;
    for (let sy = 0; sy < samples; sy++) {
      for (let sx = 0; sx < samples; sx++) {
        const x = px + (sx + 0.5) / samples;
        const y = py + (sy + 0.5) / samples;
        const dx = Math.max(radius - x, x - (size - radius), 0);
        const dy = Math.max(radius - y, y - (size - radius), 0);
        if (radius > 0 && dx * dx + dy * dy > radius * radius) continue;
        inside++;
        const u = (x / size - 0.5) / (heartScale / 2);
        const v = (y / size - 0.5) / (heartScale / 2);
        if (inHeart(u, v)) heart++;
      }
    }
    const total = samples * samples;
    if (inside === 0) return CLEAR;
    const h = heart / inside;
    const mix = (i: number) => Math.round(RED[i]! * (1 - h) + WHITE[i]! * h);
    return [mix(0), mix(1), mix(2), Math.round((255 * inside) / total)];
  });
}

const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">
  <rect width="64" height="64" rx="12" fill="#c8161d"/>
  <path fill="#fff" d="M32 52 C14 40 8 31 8 23 a11 11 0 0 1 24-5 a11 11 0 0 1 24 5 c0 8-6 17-24 29z"/>
</svg>
`;

function main(): void {
  const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'client', 'public');
  mkdirSync(join(out, 'icons'), { recursive: true });
  const files: [string, Buffer | string][] = [
    ['icons/icon-192.png', icon(192, 0.62, true)],
    ['icons/icon-512.png', icon(512, 0.62, true)],
    ['icons/icon-maskable-512.png', icon(512, 0.5, false)],
    ['icons/apple-touch-icon.png', icon(180, 0.56, false)],
    ['favicon.svg', FAVICON],
  ];
  for (const [name, data] of files) {
    writeFileSync(join(out, name), data);
    console.log(`wrote client/public/${name} (${data.length} bytes)`);
  }
}

main();
