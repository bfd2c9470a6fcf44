// The CLI's `totals check` and `totals rebuild` on a database the bot filled: the kept totals agree with the
// answers, a damaged one is found and named, and the rebuild makes it right again.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli-process.js";
import { Harness, FULL_FORM_ANSWERS } from "../support/harness.js";

/** The CLI on the bot's clock of 20/11/2026; its output and errors together. */
function cli(dbPath: string, ...args: string[]): { code: number | null; out: string } {
  const r = runCli(args, dbPath, { BOT_CLOCK_START: "2026-11-20T10:00:00+07:00" });
  return { code: r.code, out: `${r.stdout}${r.stderr}` };
}

describe("CLI totals", () => {
  it("checks the kept totals against the answers, names a damaged one, and rebuilds them", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "cli-totals-")), "bot.sqlite");
    const h = new Harness("2026-11-10T09:00:00+07:00", path);
    const tu = { id: "1", name: "Tư" };
    h.link("-1", "25747");
    h.grant(tu, "reporter", "25747-01");
    await h.say(tu, "/baocao", { chatId: "-1" });
    for (const a of FULL_FORM_ANSWERS) await h.say(tu, a, { chatId: "-1" });
    h.close();

    expect(cli(path, "totals", "check").out).toContain("Số liệu tổng hợp khớp với các câu trả lời.");
    const db = new Database(path);
    db.prepare("UPDATE tallies SET tally_json = json_set(tally_json, '$.sums.tt_so_buoi', 999) WHERE unit_code = '25747' AND variant = 'all' AND period_key = '2026-M11'").run();
    db.close();
    const bad = cli(path, "totals", "check");
    expect(bad.out).toContain("dòng tổng không khớp với các câu trả lời");
    expect(bad.out).toContain("25747 · mttq_dinh_ky · 2026-M11 · all");
    const rebuilt = cli(path, "totals", "rebuild");
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.out).toMatch(/Đã tính lại số liệu tổng hợp từ các câu trả lời: 1 đơn vị báo cáo, \d+ dòng tổng/);
    expect(cli(path, "totals", "check").out).toContain("Số liệu tổng hợp khớp với các câu trả lời.");
    expect(cli(path, "totals", "xyz").code).toBe(2);
  }, 120_000);
});
