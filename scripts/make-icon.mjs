#!/usr/bin/env node
// Draws images/icon.png (128x128): a rounded shield in AWS-IoT teal with a white "{ }" and a
// signal arc, i.e. "a policy for IoT devices". Pure Node (zlib), no image library.
//   node scripts/make-icon.mjs [out.png]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { deflateSync } from 'node:zlib';

const N = 128;
const SS = 4; // supersampling per axis
const px = new Float64Array(N * N * 4);

const teal = [0x1b, 0x86, 0x8f];
const dark = [0x0f, 0x4c, 0x5c];
const white = [255, 255, 255];
const amber = [0xff, 0x99, 0x00];

function inShield(x, y) {
  // Rounded top rectangle that narrows to a point at the bottom.
  const top = 10, bottom = 120, left = 18, right = 110, r = 16;
  if (y < top || y > bottom || x < left || x > right) return false;
  if (y < top + r) {
    const cx = x < left + r ? left + r : x > right - r ? right - r : x;
    return (x - cx) ** 2 + (y - (top + r)) ** 2 <= r * r || (x >= left + r && x <= right - r);
  }
  const mid = 72;
  if (y <= mid) return true;
  const t = (y - mid) / (bottom - mid); // 0..1
  const half = ((right - left) / 2) * (1 - t * t);
  return Math.abs(x - (left + right) / 2) <= half;
}

function distToSegment(x, y, ax, ay, bx, by) {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
}

function inBraces(x, y) {
  const w = 5.5;
  // "{" left
  const L = [[46, 40, 40, 44], [40, 44, 40, 58], [40, 58, 33, 64], [33, 64, 40, 70], [40, 70, 40, 84], [40, 84, 46, 88]];
  // "}" right (mirror around x=64)
  const R = L.map(([a, b, c, d]) => [128 - a, b, 128 - c, d]);
  return [...L, ...R].some(([a, b, c, d]) => distToSegment(x, y, a, b, c, d) <= w / 2);
}

function inDot(x, y) {
  return Math.hypot(x - 64, y - 64) <= 5.5;
}

function inArc(x, y, r) {
  const d = Math.hypot(x - 64, y - 64);
  const ang = Math.atan2(y - 64, x - 64);
  return Math.abs(d - r) <= 2.6 && ang < -Math.PI / 4 && ang > (-3 * Math.PI) / 4;
}

for (let y = 0; y < N; y++) {
  for (let x = 0; x < N; x++) {
    const acc = [0, 0, 0, 0];
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const fx = x + (sx + 0.5) / SS, fy = y + (sy + 0.5) / SS;
        let c = null;
        if (inShield(fx, fy)) {
          const g = (fy - 10) / 110;
          c = teal.map((v, i) => v * (1 - g) + dark[i] * g);
          if (inBraces(fx, fy)) c = white;
          else if (inDot(fx, fy)) c = amber;
          else if (inArc(fx, fy, 14) || inArc(fx, fy, 22)) c = amber;
        }
        if (c) {
          acc[0] += c[0]; acc[1] += c[1]; acc[2] += c[2]; acc[3] += 255;
        }
      }
    }
    const n = SS * SS;
    const a = acc[3] / n;
    const k = (y * N + x) * 4;
    px[k] = a ? acc[0] / (acc[3] / 255) : 0;
    px[k + 1] = a ? acc[1] / (acc[3] / 255) : 0;
    px[k + 2] = a ? acc[2] / (acc[3] / 255) : 0;
    px[k + 3] = a;
  }
}

const raw = Buffer.alloc(N * (N * 4 + 1));
for (let y = 0; y < N; y++) {
  raw[y * (N * 4 + 1)] = 0;
  for (let x = 0; x < N * 4; x++) raw[y * (N * 4 + 1) + 1 + x] = Math.round(Math.max(0, Math.min(255, px[y * N * 4 + x])));
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0);
ihdr.writeUInt32BE(N, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = resolve(process.argv[2] ?? 'images/icon.png');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);
