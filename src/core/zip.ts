// A ZIP archive of a few in-memory files, as OOXML packages (.docx drafts, .xlsx exports) are: each file deflated
// by Node's own zlib or stored as it is (a PNG is already compressed). A package is a dozen files written at once,
// so this is the whole of the format it needs: local headers, the data, the central directory, no streaming, no ZIP64.
// (zlib.crc32 needs Node 20.15 or later: package.json's engines say so.)
import { crc32, deflateRawSync } from "node:zlib";

export interface ZipEntry {
  /** Path inside the archive, "/"-separated, ASCII. */
  path: string;
  data: string | Uint8Array;
  /** Stored without compression (data that is compressed already). */
  store?: boolean;
}

/** 1 January 1980, 00:00, the earliest DOS time: the same input gives the same bytes. */
const DOS_DATE = (1 << 5) | 1;
const DOS_TIME = 0;
/** Bit 11: names are UTF-8. */
const FLAGS = 0x0800;

/** An entry made ready for the archive: compressed (or stored) and checksummed. */
export interface PackedEntry {
  name: Buffer;
  method: 0 | 8;
  crc: number;
  size: number;
  body: Buffer;
}

/** Compresses one entry (deflate level 6, zlib's default: a draft's XML deflates in milliseconds). The costly
 * half of zip(), done on its own so that the parts ready first are compressed while the others are being made. */
export function packEntry(e: ZipEntry): PackedEntry {
  const raw = typeof e.data === "string" ? Buffer.from(e.data, "utf8") : Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength);
  return { name: Buffer.from(e.path, "utf8"), method: e.store ? 0 : 8, crc: crc32(raw), size: raw.length, body: e.store ? raw : deflateRawSync(raw, { level: 6 }) };
}

/** The archive's bytes. */
export function zip(entries: readonly ZipEntry[]): Buffer {
  return zipPacked(entries.map(packEntry));
}

/** The archive of entries already packed, in this order. */
export function zipPacked(entries: readonly PackedEntry[]): Buffer {
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const { name, method, crc, size, body } of entries) {
    // The fields a local header and its central directory entry share, in the same order in both.
    const shared = Buffer.alloc(26);
    shared.writeUInt16LE(20, 0); // version needed: 2.0 (deflate)
    shared.writeUInt16LE(FLAGS, 2);
    shared.writeUInt16LE(method, 4);
    shared.writeUInt16LE(DOS_TIME, 6);
    shared.writeUInt16LE(DOS_DATE, 8);
    shared.writeUInt32LE(crc, 10);
    shared.writeUInt32LE(body.length, 14);
    shared.writeUInt32LE(size, 18);
    shared.writeUInt16LE(name.length, 22);
    // (24: extra field length, 0)
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    shared.copy(local, 4);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4); // made by: 2.0, MS-DOS attributes
    shared.copy(dir, 6);
    // comment, disk, internal and external attributes: 0
    dir.writeUInt32LE(offset, 42);
    chunks.push(local, name, body);
    central.push(dir, name);
    offset += local.length + name.length + body.length;
  }
  const dirSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dirSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, ...central, end]);
}
