// The people, answers and database the end-to-end reporting scenarios share across platforms.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { openDatabase } from "../../src/store/db.js";
import { importUnits, readUnitsCsv } from "../../src/store/units.js";
import { createInvite } from "../../src/store/invites.js";
import { SAMPLE_UNITS } from "../../src/paths.js";

/** A person in the commune group, the same on every platform (each driver maps the id to its own format). */
export interface Person {
  id: number;
  name: string;
}

export const minh: Person = { id: 5001, name: "Minh" };
export const tu: Person = { id: 5002, name: "Tư" };
export const hanh: Person = { id: 5003, name: "Hạnh" };
export const ba: Person = { id: 5004, name: "Ba" };

/** The default form, answered in the styles people type (no diacritics, dots for thousands, "15tr"). */
export const ANSWERS: Record<number, string[]> = {
  [tu.id]: ["12 buoi 3.850 nguoi", "1", "15 vụ, thành 10, không thành 5", "có", "2 điểm, 5 đại biểu, 454 cử tri, 34 lượt phát biểu, 72 kiến nghị", "vận động 15 triệu, chi 10tr, giúp 12 hộ", "92,5%", "1 cuộc giám sát, 5 lượt tiếp dân, 3 đơn, đã xử lý 2", "Kinh phí hoạt động còn hạn chế", "không"],
  [hanh.id]: ["8 buổi, 420 người", "/bo", "không", "ko", "vận động 2.500.000, chi 1tr5, giúp 3 hộ", "/bo", "0", "không", "Đề nghị hỗ trợ thêm tài liệu tuyên truyền"],
  [ba.id]: ["05 buổi 210 lượt", "loa", "tiếp nhận 3 thành 3 không thành 0", "khong", "500k, chi 0, 0 hộ", "88%", "khong", "ko", "ko"],
};

export const CLOCK_START = "2026-11-10T09:00:00+07:00";

/**
 * A new database with the sample unit tree (or the CSV given) and one-time codes for the staff of commune 25747 (or
 * the role and unit given), one per platform asked for.
 */
export function freshDatabase(
  codes = 1,
  unitsCsv?: string,
  staff: { role: "commune_staff" | "officer"; unit: string } = { role: "commune_staff", unit: "25747" },
): { path: string; staffCode: string; staffCodes: string[] } {
  const dir = mkdtempSync(join(tmpdir(), "baocao-e2e-"));
  const path = join(dir, "bot.sqlite");
  const db = openDatabase(path);
  importUnits(db, readUnitsCsv(unitsCsv ?? readFileSync(SAMPLE_UNITS, "utf8")));
  const staffCodes = Array.from({ length: codes }, () => createInvite(db, staff.role, staff.unit, new Date("2026-11-10T02:00:00Z")));
  db.close();
  return { path, staffCode: staffCodes[0]!, staffCodes };
}

export function storedAnswers(dbPath: string, unit: string): Record<string, unknown> {
  const db = new Database(dbPath, { readonly: true });
  const rows = db.prepare("SELECT field_id, value_json FROM answers WHERE unit_code = ?").all(unit) as Array<{ field_id: string; value_json: string | null }>;
  db.close();
  return Object.fromEntries(rows.map((r) => [r.field_id, r.value_json === null ? null : JSON.parse(r.value_json)]));
}

export function linkedChats(dbPath: string): Array<{ platform: string; chat_id: string; unit_code: string }> {
  const db = new Database(dbPath, { readonly: true });
  const rows = db.prepare("SELECT platform, chat_id, unit_code FROM chats ORDER BY platform").all() as Array<{ platform: string; chat_id: string; unit_code: string }>;
  db.close();
  return rows;
}
