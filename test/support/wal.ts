// Counts commits from a database's WAL file itself (no hook in the bot): every commit ends with a frame whose
// header records the database's size in pages; other frames record 0. Frames of an older WAL generation (other
// salts) are not counted. Keep checkpoints off (PRAGMA wal_autocheckpoint = 0) while counting.
import { readFileSync } from "node:fs";

/** Commits in the current WAL generation of the database at `dbPath`. */
export function walCommits(dbPath: string): number {
  const wal = readFileSync(`${dbPath}-wal`);
  if (wal.length < 32) return 0;
  const pageSize = wal.readUInt32BE(8);
  const [salt1, salt2] = [wal.readUInt32BE(16), wal.readUInt32BE(20)];
  let commits = 0;
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
    if (wal.readUInt32BE(at + 8) !== salt1 || wal.readUInt32BE(at + 12) !== salt2) break;
    if (wal.readUInt32BE(at + 4) !== 0) commits++;
  }
  return commits;
}
