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

/** The archive's bytes. Deflate level 6, zlib's default: a draft's XML deflates in milliseconds. */
export function zip(entries: readonly ZipEntry[]): Buffer {
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const raw = typeof e.data === "string" ? Buffer.from(e.data, "utf8") : Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength);
    const method = e.store ? 0 : 8;
    const body = e.store ? raw : deflateRawSync(raw, { level: 6 });
    const crc = crc32(raw);
    const name = Buffer.from(e.path, "utf8");
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(FLAGS, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4); // made by: 2.0, MS-DOS attributes
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(FLAGS, 8);
    dir.writeUInt16LE(method, 10);
    dir.writeUInt16LE(DOS_TIME, 12);
    dir.writeUInt16LE(DOS_DATE, 14);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(body.length, 20);
    dir.writeUInt32LE(raw.length, 24);
    dir.writeUInt16LE(name.length, 28);
    // extra, comment, disk, internal and external attributes: 0
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
