// A PNG encoder for rendered charts: 8-bit RGBA, no row filter, deflate at level 3. A chart is mostly flat
// white with anti-aliased text, which compresses best unfiltered. Level 3 is where the time drops: on a
// thirty-area chart (1200 × 2342 px) it deflates in about a tenth of level 9's time for a file about 45 %
// larger (about 277 KB against 191 KB), still smaller than resvg's own encoding and under 300 KB.
import { promisify } from "node:util";
import { crc32, deflate, deflateSync, type ZlibOptions } from "node:zlib";

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data, crc32(head.subarray(4))), 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * Buffers for the scanlines, kept for the next picture: a chart's rows are 7–11 MB, and memory that fresh costs
 * more in page faults than the copy into it (about 17 ms a tall picture, against 2 ms into a buffer used before).
 * One per picture drawn at once (chart-service.ts draws two); a buffer is taken for the compression and given back
 * after it.
 */
const spare: Buffer[] = [];
const SPARE_BUFFERS = 2;

/** A buffer of at least `size` bytes: a spare one, or a new one of its own (never a slice of a shared pool). */
function takeBuffer(size: number): Buffer {
  const i = spare.findIndex((b) => b.length >= size);
  return i >= 0 ? spare.splice(i, 1)[0]! : Buffer.allocUnsafeSlow(size);
}

/** Keeps the largest buffers for the next pictures. */
function giveBack(b: Buffer): void {
  spare.push(b);
  spare.sort((x, y) => y.length - x.length);
  spare.length = Math.min(spare.length, SPARE_BUFFERS);
}

/** The pixel rows as PNG scanlines: a filter byte (0, none) then the row's RGBA bytes as resvg drew them. */
function scanlines(rgba: Uint8Array, width: number, height: number, raw: Buffer): Buffer {
  const row = width * 4;
  // A row is copied whole (one memcpy): dropping the alpha byte of every pixel in JavaScript took longer than
  // the extra quarter costs zlib, which compresses an opaque alpha channel to almost nothing.
  for (let y = 0, d = 0; y < height; y++, d += row + 1) {
    raw[d] = 0;
    raw.set(rgba.subarray(y * row, (y + 1) * row), d + 1);
  }
  return raw;
}

// The output in one piece: zlib's asynchronous calls hand each 16 KB chunk (their default) back to this thread
// before the next, so a picture compressed while this thread writes the draft's text waited on it about twenty
// times (measured on a thirty-area chart: 60 ms against 20 with the main thread busy, 23 against 17 idle).
const DEFLATE: ZlibOptions = { level: 3, memLevel: 9, chunkSize: 512 * 1024 };
const deflateAsync = promisify(deflate);

function pngOf(idat: Buffer, width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // truecolour with alpha
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", idat),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const rowsSize = (width: number, height: number): number => (width * 4 + 1) * height;

/** PNG bytes of RGBA pixels. */
export function encodePng(rgba: Uint8Array, width: number, height: number): Buffer {
  return pngOf(deflateSync(scanlines(rgba, width, height, Buffer.allocUnsafe(rowsSize(width, height))), DEFLATE), width, height);
}

/** The same bytes as encodePng, deflated on libuv's thread pool: the pages of one chart are compressed at once. */
export async function encodePngAsync(rgba: Uint8Array, width: number, height: number): Promise<Buffer> {
  const size = rowsSize(width, height);
  const raw = takeBuffer(size);
  try {
    return pngOf(await deflateAsync(scanlines(rgba, width, height, raw.subarray(0, size)), DEFLATE), width, height);
  } finally {
    giveBack(raw);
  }
}
