// The CLI's --period reads periods the way staff type them, within the same window as /tonghop, and says in
// Vietnamese what it accepts otherwise. Runs the real CLI (as `npm run cli` does) on a fresh database.
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli-process.js";
import { freshDatabase } from "../support/reporting-data.js";

/** The CLI on the bot's clock of 20/11/2026; its output and errors together. */
function cli(dbPath: string, ...args: string[]): { code: number | null; out: string } {
  const r = runCli(args, dbPath, { BOT_CLOCK_START: "2026-11-20T10:00:00+07:00" });
  return { code: r.code, out: `${r.stdout}${r.stderr}` };
}

describe("CLI --period", () => {
  it("reads a relative period, and refuses a far-off one politely (exit code 2, nothing written)", () => {
    const { path } = freshDatabase();
    const dir = mkdtempSync(join(tmpdir(), "cli-periods-"));
    const ok = cli(path, "summary", "--unit", "25747", "--form", "thang", "--period", "quý trước", "--out", join(dir, "q.docx"));
    expect(ok.out).toContain("bản nháp báo cáo tổng hợp quý III/2026 của 25747");
    expect(existsSync(join(dir, "q.docx"))).toBe(true);
    const far = cli(path, "summary", "--unit", "25747", "--form", "thang", "--period", "tháng 12/9999", "--out", join(dir, "b.docx"));
    expect(far.code).toBe(2);
    // On 20/11 the clock collects tháng 12 (tháng 11 was due on 16/11): ten years back, one period ahead.
    expect(far.out).toContain("--period dùng được cho các kỳ từ tháng 12/2016 đến tháng 1/2027");
    expect(existsSync(join(dir, "b.docx"))).toBe(false);
  }, 60_000);
});
