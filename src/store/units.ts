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
  return parseCsvLines(text).map((r) => r.fields);
}

/** The rows with the line each starts on, so errors name the right line despite blank lines or quoted line breaks. */
function parseCsvLines(text: string): Array<{ fields: string[]; line: number }> {
  const rows: Array<{ fields: string[]; line: number }> = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const src = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === "\n" || (c === "\r" && src[i + 1] !== "\n")) line++;
        field += c;
      }
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && src[i + 1] === "\n") i++;
      row.push(field);
      rows.push({ fields: row, line: rowLine });
      row = [];
      field = "";
      rowLine = ++line;
    } else field += c;
  }
  if (field || row.length) {
    row.push(field);
    rows.push({ fields: row, line: rowLine });
  }
  return rows.filter((r) => r.fields.some((f) => f.trim()));
}

/** Reads and checks a unit CSV; errors name the line. Parents may come before or after their children. */
export function readUnitsCsv(text: string, existing: (code: string) => boolean = () => false): UnitRecord[] {
  const rows = parseCsvLines(text);
  const header = rows.shift()?.fields.map((h) => h.trim().toLowerCase());
  const expected = ["code", "name", "level", "parent_code"];
  if (!header || expected.some((h, i) => header[i] !== h)) {
    throw new Error(`Dòng 1: tiêu đề phải là "${expected.join(",")}"`);
  }
  const errors: string[] = [];
  const units: UnitRecord[] = rows.map(({ fields, line }) => {
    const [code = "", name = "", level = "", parent = ""] = fields.map((f) => f.trim());
    const lvl = LEVELS[foldText(level)];
    if (!code) errors.push(`Dòng ${line}: thiếu mã (code)`);
    if (!name) errors.push(`Dòng ${line}: thiếu tên (name)`);
    if (!lvl) errors.push(`Dòng ${line}: cấp "${level}" không hợp lệ (province, district, commune, area)`);
    return { code, name, level: lvl ?? "area", parentCode: parent || null };
  });
  const codes = new Set<string>();
  for (const [i, u] of units.entries()) {
    if (codes.has(u.code)) errors.push(`Dòng ${rows[i]!.line}: mã "${u.code}" bị trùng`);
    codes.add(u.code);
  }
  const byCode = new Map(units.map((u) => [u.code, u]));
  const order: UnitLevel[] = ["province", "district", "commune", "area"];
  for (const [i, u] of units.entries()) {
    if (!u.parentCode) {
      if (u.level === "commune" || u.level === "area") errors.push(`Dòng ${rows[i]!.line}: ${u.code} cần có đơn vị cấp trên (parent_code)`);
      continue;
    }
    const parent = byCode.get(u.parentCode);
    if (!parent && !existing(u.parentCode)) errors.push(`Dòng ${rows[i]!.line}: không có đơn vị cấp trên "${u.parentCode}"`);
    if (parent && order.indexOf(parent.level) >= order.indexOf(u.level)) {
      errors.push(`Dòng ${rows[i]!.line}: ${u.code} (${u.level}) không thể thuộc ${parent.code} (${parent.level})`);
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
