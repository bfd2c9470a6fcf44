// The unit tree stays a tree: `units import` refuses what would break it (naming every line), and even a tree
// damaged behind the importer's back never stops the bot. Through the real command line and the real bot.
import { writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../support/cli-process.js";
import { freshDatabase } from "../support/reporting-data.js";
import { minh, startStand, tu, type Stand } from "./stand.js";

let s: Stand | undefined;
afterEach(async () => {
  await s?.stop();
  s = undefined;
});

const HEADER = "code,name,level,parent_code";

function unitsOf(path: string): Array<{ code: string; level: string; parent_code: string | null }> {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare("SELECT code, level, parent_code FROM units ORDER BY code").all() as Array<{ code: string; level: string; parent_code: string | null }>;
  } finally {
    db.close();
  }
}

describe("units import keeps the tree a tree", () => {
  it("refuses a province under a commune, an area under an area, a commune under an area, naming each line, and changes nothing", () => {
    const { path } = freshDatabase();
    const before = unitsOf(path);
    const file = join(dirname(path), "bad.csv");
    writeFileSync(file, [HEADER, "75,Tỉnh Đồng Nai,province,25747", "25747-09,Tổ 1,area,25747-01", "25799,Xã Mới,commune,25747-02", "25747-10,Ấp Mới,area,25747"].join("\n"));
    const r = runCli(["units", "import", file], path);
    expect(r.code).toBe(1);
    // The CLI's first stderr line names the database it uses; the problems follow.
    const [database, ...problems] = r.stderr.trim().split("\n");
    expect(database).toBe(`Cơ sở dữ liệu: ${path}`);
    expect(problems).toEqual([
      "Dòng 2: 75 (province) không thể thuộc 25747 (commune)",
      "Dòng 2: 75 nằm trong một vòng lặp cấp trên (75 → 25747 → 75)",
      "Dòng 3: 25747-09 (area) không thể thuộc 25747-01 (area)",
      "Dòng 4: 25799 (commune) không thể thuộc 25747-02 (area)",
    ]);
    // Nothing of the file was written, the good line included.
    expect(unitsOf(path)).toEqual(before);
  });

  it("refuses a file saved as Windows-1258 instead of importing names full of “�”", () => {
    const { path } = freshDatabase();
    const file = join(dirname(path), "ansi.csv");
    // "Ấp Mới" and "Ấp Bàu" as a legacy code page stores them: bytes that are not UTF-8.
    writeFileSync(file, Buffer.from(`${HEADER}\r\n25747-11,\xC2p M\xF4\xECi,area,25747\r\n25747-12,Ap Sao,area,25747\r\n25747-13,\xC2p B\xE0u,area,25747\r\n`, "latin1"));
    const r = runCli(["units", "import", file], path);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Dòng 2: có chữ không phải mã UTF-8");
    expect(r.stderr).toContain("Dòng 4: có chữ không phải mã UTF-8");
    expect(r.stderr).not.toContain("Dòng 3");
    expect(unitsOf(path).some((u) => u.code.startsWith("25747-1"))).toBe(false);
  });

  it("a cycle written into the database behind the importer's back never freezes the bot", async () => {
    s = await startStand();
    const { tk, path } = s;
    // A damaged tree: the province now hangs under one of its own communes.
    const db = new Database(path);
    db.prepare("UPDATE units SET parent_code = '25747' WHERE code = '75'").run();
    db.close();
    const t0 = Date.now();
    const totals = await tk.say(minh, "/tonghop");
    expect(totals.caption ?? totals.text).toContain("Tổng hợp tháng 11/2026 — Xã Tân Khai");
    expect((await tk.say(minh, "/tiendo")).text).toContain("Tiến độ báo cáo");
    // Everyone else is still answered.
    expect((await tk.say(tu, "/dangky")).text).toContain("khu dân cư nào");
    expect(Date.now() - t0).toBeLessThan(30_000);
  }, 90_000);
});

describe("command-line arguments", () => {
  it("a bad --days and other argument errors are said in Vietnamese, not as “Invalid time value”", () => {
    const { path } = freshDatabase();
    const days = runCli(["invite", "--role", "commune_staff", "--unit", "25747", "--days=abc"], path);
    expect(days.code).toBe(2);
    expect(days.stderr).toContain("--days phải là một số nguyên từ 1 đến 365 (nhận được “abc”), ví dụ --days 7.");
    expect(days.stderr).not.toContain("Invalid time value");
    const unknown = runCli(["invite", "--role", "commune_staff", "--unti", "25747"], path);
    expect(unknown.stderr).toContain("Không có tùy chọn “--unti”.");
    expect(runCli(["units", "import", join(dirname(path), "nope.csv")], path).stderr).toContain("Không tìm thấy tệp");
    const ok = runCli(["invite", "--role", "commune_staff", "--unit", "25747", "--days", "3"], path);
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim().split("\n").at(-1)).toMatch(/^[A-Z2-9]{8}$/);
  });
});
