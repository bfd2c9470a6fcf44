// The unit tree (province → optional district → commune → residential area), imported from CSV.
import type { DB } from "./db.js";
import type { UnitLevel } from "../core/types.js";
import { foldText } from "../core/numbers/normalize.js";

const LEVELS: Record<string, UnitLevel> = {
  province: "province", tinh: "province", "thanh pho": "province",
  district: "district", huyen: "district", quan: "district", "thi xa": "district",
  commune: "commune", xa: "commune", phuong: "commune", "thi tran": "commune",
  area: "area", khu: "area", ap: "area", thon: "area", "khu dan cu": "area", "to dan pho": "area", "khu pho": "area",
};

export interface UnitRecord {
  code: string;
  name: string;
  level: UnitLevel;
  parentCode: string | null;
}

/** A small RFC 4180 reader: quoted fields, doubled quotes, commas and newlines inside quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const src = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && src[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim()));
}

/** Reads and checks a unit CSV; errors name the line. Parents may come before or after their children. */
export function readUnitsCsv(text: string, existing: (code: string) => boolean = () => false): UnitRecord[] {
  const rows = parseCsv(text);
  const header = rows.shift()?.map((h) => h.trim().toLowerCase());
  const expected = ["code", "name", "level", "parent_code"];
  if (!header || expected.some((h, i) => header[i] !== h)) {
    throw new Error(`Dòng 1: tiêu đề phải là "${expected.join(",")}"`);
  }
  const errors: string[] = [];
  const units: UnitRecord[] = rows.map((r, i) => {
    const line = i + 2;
    const [code = "", name = "", level = "", parent = ""] = r.map((f) => f.trim());
    const lvl = LEVELS[foldText(level)];
    if (!code) errors.push(`Dòng ${line}: thiếu mã (code)`);
    if (!name) errors.push(`Dòng ${line}: thiếu tên (name)`);
    if (!lvl) errors.push(`Dòng ${line}: cấp "${level}" không hợp lệ (province, district, commune, area)`);
    return { code, name, level: lvl ?? "area", parentCode: parent || null };
  });
  const codes = new Set<string>();
  for (const [i, u] of units.entries()) {
    if (codes.has(u.code)) errors.push(`Dòng ${i + 2}: mã "${u.code}" bị trùng`);
    codes.add(u.code);
  }
  const byCode = new Map(units.map((u) => [u.code, u]));
  const order: UnitLevel[] = ["province", "district", "commune", "area"];
  for (const [i, u] of units.entries()) {
    if (!u.parentCode) {
      if (u.level === "commune" || u.level === "area") errors.push(`Dòng ${i + 2}: ${u.code} cần có đơn vị cấp trên (parent_code)`);
      continue;
    }
    const parent = byCode.get(u.parentCode);
    if (!parent && !existing(u.parentCode)) errors.push(`Dòng ${i + 2}: không có đơn vị cấp trên "${u.parentCode}"`);
    if (parent && order.indexOf(parent.level) >= order.indexOf(u.level)) {
      errors.push(`Dòng ${i + 2}: ${u.code} (${u.level}) không thể thuộc ${parent.code} (${parent.level})`);
    }
  }
  if (errors.length) throw new Error(errors.join("\n"));
  return units;
}

/** Inserts or updates units in one transaction (parents first so foreign keys hold). */
export function importUnits(db: DB, units: UnitRecord[]): number {
  const order: UnitLevel[] = ["province", "district", "commune", "area"];
  const sorted = [...units].sort((a, b) => order.indexOf(a.level) - order.indexOf(b.level));
  const upsert = db.prepare(
    `INSERT INTO units (code, name, level, parent_code) VALUES (?, ?, ?, ?)
     ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level, parent_code = excluded.parent_code`,
  );
  db.transaction(() => sorted.forEach((u) => upsert.run(u.code, u.name, u.level, u.parentCode)))();
  return sorted.length;
}

export function unitExists(db: DB, code: string): boolean {
  return !!db.prepare("SELECT 1 FROM units WHERE code = ?").get(code);
}

export function unitCount(db: DB): number {
  return (db.prepare("SELECT count(*) AS n FROM units").get() as { n: number }).n;
}
