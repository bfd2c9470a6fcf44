// The unit tree (province → optional district → commune → residential area), imported from CSV.
import type { DB } from "./db.js";
import type { UnitLevel } from "../core/types.js";
import { foldText } from "../core/numbers/normalize.js";
import { markTotalsStale, rebuildReach } from "./totals-rebuild.js";

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

const ORDER: UnitLevel[] = ["province", "district", "commune", "area"];

/** The levels a unit's parent may have: an area sits in a commune, a commune in a district or a province. */
const PARENT_LEVELS: Record<UnitLevel, UnitLevel[]> = {
  province: [],
  district: ["province"],
  commune: ["district", "province"],
  area: ["commune"],
};

/** Control characters have no place in a code or a name (and would break the drafts). */
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;

interface Problem {
  line: number;
  text: string;
}

/**
 * Reads and checks a unit CSV against the tree it will be merged into (`existing`, the units already stored):
 * every unit of the resulting tree must have its parent, at the level above (an area in a commune, a commune in a
 * district or a province, a district in a province) and no cycle. Every problem is reported with its line, in
 * line order; parents may come before or after their children.
 */
export function readUnitsCsv(text: string, existing: readonly UnitRecord[] = []): UnitRecord[] {
  const rows = parseCsvLines(text);
  const header = rows.shift()?.fields.map((h) => h.trim().toLowerCase());
  const expected = ["code", "name", "level", "parent_code"];
  if (!header || expected.some((h, i) => header[i] !== h)) {
    throw new Error(`Dòng 1: tiêu đề phải là "${expected.join(",")}"`);
  }
  const problems: Problem[] = [];
  const add = (line: number, text: string) => problems.push({ line, text: `Dòng ${line}: ${text}` });
  const badLevel = new Set<number>();
  const units: UnitRecord[] = rows.map(({ fields, line }) => {
    // A line break or tab typed inside a quoted name is just a space.
    const [code = "", name = "", level = "", parent = ""] = fields.map((f) => f.replace(/[\t\r\n]+/g, " ").replace(/ {2,}/g, " ").trim());
    const lvl = LEVELS[foldText(level)];
    if (!code) add(line, "thiếu mã (code)");
    if (!name) add(line, "thiếu tên (name)");
    if (CONTROL.test(code + name + parent)) add(line, "có ký tự điều khiển trong mã hoặc tên");
    if (!lvl) {
      add(line, `cấp "${level}" không hợp lệ (province, district, commune, area)`);
      badLevel.add(line);
    }
    return { code, name, level: lvl ?? "area", parentCode: parent || null };
  });
  const lineOf = new Map<string, number>();
  for (const [i, u] of units.entries()) {
    if (lineOf.has(u.code)) add(rows[i]!.line, `mã "${u.code}" bị trùng`);
    else lineOf.set(u.code, rows[i]!.line);
  }
  // The tree as it will be: what is stored, with the file's rows in place of the units they change.
  const tree = new Map<string, UnitRecord>(existing.map((u) => [u.code, u]));
  for (const u of units) if (u.code) tree.set(u.code, u);
  const childrenOf = new Map<string, UnitRecord[]>();
  for (const u of tree.values()) if (u.parentCode) childrenOf.set(u.parentCode, [...(childrenOf.get(u.parentCode) ?? []), u]);

  for (const [i, u] of units.entries()) {
    const line = rows[i]!.line;
    if (!u.code || lineOf.get(u.code) !== line || badLevel.has(line)) continue;
    const allowed = PARENT_LEVELS[u.level];
    if (!u.parentCode) {
      if (u.level === "commune" || u.level === "area") add(line, `${u.code} cần có đơn vị cấp trên (parent_code)`);
    } else {
      const parent = tree.get(u.parentCode);
      if (!parent) add(line, `không có đơn vị cấp trên "${u.parentCode}"`);
      else if (badLevel.has(lineOf.get(parent.code) ?? 0)) {
        // The parent's own line is already wrong; nothing more to say here.
      } else if (!allowed.includes(parent.level)) add(line, `${u.code} (${u.level}) không thể thuộc ${parent.code} (${parent.level})`);
    }
    // A unit whose level changes must still fit the stored units below it.
    for (const child of childrenOf.get(u.code) ?? []) {
      if (lineOf.has(child.code) || PARENT_LEVELS[child.level].includes(u.level)) continue;
      add(line, `${u.code} không thể là ${u.level}: đơn vị đã có ${child.code} (${child.level}) thuộc ${u.code}`);
    }
    // Levels strictly descend, so a cycle also breaks a level rule; it is named on its own all the same.
    const seen = new Set<string>([u.code]);
    for (let up = u.parentCode ? tree.get(u.parentCode) : undefined; up; up = up.parentCode ? tree.get(up.parentCode) : undefined) {
      if (seen.has(up.code)) {
        if (up.code === u.code) add(line, `${u.code} nằm trong một vòng lặp cấp trên (${[...seen].join(" → ")} → ${u.code})`);
        break;
      }
      seen.add(up.code);
    }
  }
  if (problems.length) throw new Error(problems.sort((a, b) => a.line - b.line).map((p) => p.text).join("\n"));
  return units;
}

/**
 * The text of a CSV file, which must be UTF-8 (Excel's "CSV UTF-8"). A file saved in a legacy code page
 * (Windows-1258, "ANSI") or UTF-16 is refused, naming each line that is not UTF-8, rather than imported with "�".
 */
export function decodeUtf8(bytes: Uint8Array): string {
  const strict = new TextDecoder("utf-8", { fatal: true });
  try {
    return strict.decode(bytes);
  } catch {
    const problems: string[] = [];
    let line = 1;
    let start = 0;
    for (let i = 0; i <= bytes.length; i++) {
      if (i < bytes.length && bytes[i] !== 0x0a) continue;
      try {
        strict.decode(bytes.subarray(start, i));
      } catch {
        problems.push(`Dòng ${line}: có chữ không phải mã UTF-8`);
      }
      line++;
      start = i + 1;
    }
    problems.push('Tệp phải được lưu bằng mã UTF-8 (có thể tệp đang ở mã Windows-1258/ANSI): trong Excel chọn Lưu thành → "CSV UTF-8".');
    throw new Error(problems.join("\n"));
  }
}

/** Every stored unit. */
export function allUnits(db: DB): UnitRecord[] {
  return db
    .prepare<[], { code: string; name: string; level: UnitLevel; parent_code: string | null }>("SELECT code, name, level, parent_code FROM units")
    .all()
    .map((r) => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parent_code }));
}

/** `units import`: decodes, checks against the stored tree and writes, all in one transaction; returns the count. */
export function importUnitsFile(db: DB, bytes: Uint8Array): number {
  const text = decodeUtf8(bytes);
  return db.transaction(() => importUnits(db, readUnitsCsv(text, allUnits(db))))();
}

/** Inserts or updates units in one transaction (parents first so foreign keys hold). */
export function importUnits(db: DB, units: UnitRecord[]): number {
  const sorted = [...units].sort((a, b) => ORDER.indexOf(a.level) - ORDER.indexOf(b.level));
  const upsert = db.prepare(
    `INSERT INTO units (code, name, level, parent_code) VALUES (?, ?, ?, ?)
     ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level, parent_code = excluded.parent_code`,
  );
  const before = db.prepare<[string], { level: UnitLevel; parent_code: string | null }>("SELECT level, parent_code FROM units WHERE code = ?");
  db.transaction(() => {
    // A unit that moves or changes level takes its reports elsewhere in the tree: the kept totals are rebuilt.
    let moved = false;
    for (const u of sorted) {
      const was = before.get(u.code);
      if (was && (was.level !== u.level || was.parent_code !== u.parentCode)) moved = true;
      upsert.run(u.code, u.name, u.level, u.parentCode);
    }
    rebuildReach(db);
    if (moved) markTotalsStale(db);
  })();
  return sorted.length;
}

export function unitExists(db: DB, code: string): boolean {
  return !!db.prepare("SELECT 1 FROM units WHERE code = ?").get(code);
}

export function unitCount(db: DB): number {
  return (db.prepare("SELECT count(*) AS n FROM units").get() as { n: number }).n;
}

/** Units without a parent (the tops of the tree), in code order. */
export function rootUnits(db: DB): string[] {
  return db.prepare<[], { code: string }>("SELECT code FROM units WHERE parent_code IS NULL ORDER BY code").all().map((r) => r.code);
}
