// The people and places of a benchmark: a unit tree of communes and their residential areas, one Telegram
// group per commune (already linked), and one registered reporter per area — written straight into SQLite,
// so a run measures reporting, not the one-off /lienket and /dangky set-up.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DB } from "../../src/store/db.js";
import { importUnits, type UnitRecord } from "../../src/store/units.js";

/** The instant every benchmark starts at: the November 2026 period is open (deadline 16/11). */
export const BENCH_START = "2026-11-10T09:00:00+07:00";
export const FORM_ID = "mttq_dinh_ky";
export const PERIOD_KEY = "2026-M11";

export interface Reporter {
  userId: number;
  firstName: string;
  area: string;
  areaName: string;
}

export interface Group {
  chatId: number;
  commune: string;
  reporters: Reporter[];
}

/** A fresh directory under the OS temp dir (the same disk kind for the bot and the SQLite floor). */
export function tempDir(tag: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `baocao-bench-${tag}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export const groupChatId = (g: number): number => -1_002_000_000_000 - g;
export const reporterId = (g: number, r: number): number => 1_000_000 + g * 1_000 + r;

/**
 * `groups` communes, each with `areasPerGroup` areas and one linked group; reporters are registered for the
 * first `reportersPerGroup` areas (all of them by default).
 */
export function seedWorld(db: DB, opts: { groups: number; areasPerGroup: number; reportersPerGroup?: number; at?: string }): Group[] {
  const at = new Date(opts.at ?? BENCH_START).toISOString();
  const units: UnitRecord[] = [{ code: "B", name: "Tỉnh Thử Nghiệm", level: "province", parentCode: null }];
  const groups: Group[] = [];
  for (let g = 0; g < opts.groups; g++) {
    const commune = `B${String(g).padStart(5, "0")}`;
    units.push({ code: commune, name: `Xã Thử ${g + 1}`, level: "commune", parentCode: "B" });
    const reporters: Reporter[] = [];
    for (let a = 0; a < opts.areasPerGroup; a++) {
      const area = `${commune}-${String(a + 1).padStart(3, "0")}`;
      const areaName = `Ấp Thử ${a + 1}`;
      units.push({ code: area, name: areaName, level: "area", parentCode: commune });
      if (a < (opts.reportersPerGroup ?? opts.areasPerGroup)) {
        reporters.push({ userId: reporterId(g, a), firstName: `Người báo cáo ${a + 1}`, area, areaName });
      }
    }
    groups.push({ chatId: groupChatId(g), commune, reporters });
  }
  importUnits(db, units);
  const link = db.prepare("INSERT INTO chats (platform, chat_id, unit_code, title, linked_by, linked_at) VALUES ('telegram', ?, ?, ?, 'bench', ?)");
  const grant = db.prepare("INSERT INTO roles (platform, user_id, role, unit_code, granted_at, granted_by) VALUES ('telegram', ?, 'reporter', ?, ?, 'bench')");
  db.transaction(() => {
    for (const g of groups) {
      link.run(String(g.chatId), g.commune, `MTTQ ${g.commune}`, at);
      for (const r of g.reporters) grant.run(String(r.userId), r.area, at);
    }
  })();
  return groups;
}
