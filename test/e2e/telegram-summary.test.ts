// End to end through the Telegram stand-in: what commune staff read in /tonghop, /tiendo, the commune draft and
// the CLI's draft when the areas that reported differ from one period to the next. Ấp Bến Đò reports November
// and December, Ấp Cây Dầu only December (and skips the cultural-family rate): the December comparison with
// November is over Ấp Bến Đò alone and says so, the mean names its base, and the fourth quarter states its
// completeness month by month everywhere, with no count that contradicts the figures.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { docxText } from "../support/docx-text.js";
import { ROOT } from "../../src/paths.js";
import { ANSWERS, hanh, minh, tu } from "../support/reporting-data.js";
import { TelegramReportingDriver } from "../support/reporting-drivers.js";

const DECEMBER = "2026-12-10T09:00:00+07:00";

let d: TelegramReportingDriver | undefined;
afterEach(async () => {
  await d?.stop();
  d = undefined;
});

async function fillForm(driver: TelegramReportingDriver, who: typeof tu, answers: string[]): Promise<void> {
  expect(await driver.say(who, "/baocao")).toContain(`mời anh/chị ${who.name} nhập báo cáo`);
  for (const a of answers) expect(await driver.say(who, a), `${who.name}: ${a}`).not.toMatch(/chưa đọc được|không thể/);
}

describe("Telegram: summaries over areas that reported different periods", () => {
  it("compares December with November over the areas in both, names the mean's base, and counts the quarter month by month", async () => {
    d = new TelegramReportingDriver();
    await d.start();
    expect(await d.say(minh, `/dangky ${d.staffCode}`)).toContain("cán bộ Mặt trận xã");
    expect(await d.say(minh, "/lienket 25747")).toContain("Đã liên kết nhóm này với Xã Tân Khai");
    for (const [user, area] of [[tu, "Ấp Bến Đò"], [hanh, "Ấp Cây Dầu"]] as const) {
      expect(await d.say(user, "/dangky")).toContain(area);
      await d.choose(user, area);
    }
    // Then the bot's clock in December: November is reopened on purpose, then the clock's own period comes back.
    await d.killBot();
    await d.startBot(DECEMBER);

    expect(await d.say(minh, "/moky tháng 11/2026")).toContain("Đã mở kỳ báo cáo tháng 11/2026");
    await fillForm(d, tu, ["10 buoi 3.000 nguoi", ...ANSWERS[tu.id]!.slice(1)]);
    expect(await d.say(minh, "/moky tự động")).toContain("tháng 12/2026");
    const since = d.mark();
    await fillForm(d, tu, ANSWERS[tu.id]!);
    await fillForm(d, hanh, ANSWERS[hanh.id]!);

    // Ấp Bến Đò's own draft compares with its own November, with capitalised headers and dated data.
    const own = await docxText((await d.lastDraft("Ấp Bến Đò", since)).bytes);
    expect(own).toContain("thu hút 3.850 lượt người tham dự, tăng 850 lượt người so với tháng 11/2026.");
    expect(own).toContain("(số liệu từ ngày 15/11/2026 đến ngày 10/12/2026)");
    expect(own).toContain("STT | Chỉ tiêu | Đơn vị tính | Tháng 12/2026 | Tháng 11/2026");
    expect(own).toContain("II. KHÓ KHĂN, HẠN CHẾ\nKinh phí hoạt động còn hạn chế.");

    // /tonghop: both sides of the comparison over the same area, in the chat text and in the draft.
    const total = await d.g.say(d.user(minh), "/tonghop");
    expect(total.caption).toContain("Đã nộp 2/8 khu dân cư");
    expect(total.caption).toContain("Tuyên truyền 20 buổi/4.270 lượt");
    expect(total.caption).toContain(
      "So với tháng 11/2026, tính trên 1 khu dân cư báo cáo cả hai kỳ:\n– Tháng 12/2026: Tuyên truyền 12 buổi/3.850 lượt",
    );
    expect(total.caption).toContain("– Tháng 11/2026: Tuyên truyền 10 buổi/3.000 lượt");
    const draft = await docxText((await d.g.documentAfter(total)).document!.bytes);
    expect(draft).toContain(
      "thu hút 4.270 lượt người tham dự, tăng 850 lượt người so với tháng 11/2026 (tính trên 1 khu dân cư báo cáo cả hai kỳ).",
    );
    expect(draft).not.toContain("tăng 1.270");
    expect(draft).toContain("Tỷ lệ hộ gia đình đạt danh hiệu “Gia đình văn hóa” bình quân ở 1/2 khu dân cư có số liệu là 92,5%.");
    expect(draft).toContain("Trong số 2 khu dân cư có số liệu, có 1 khu dân cư phối hợp tổ chức tiếp xúc cử tri tại 2 điểm");
    expect(draft).toContain("So sánh với tháng 11/2026\nSTT | Chỉ tiêu | Đơn vị tính | Tháng 12/2026 | Tháng 11/2026 | Tăng (+), giảm (−)");
    expect(draft).toContain("2 | Số lượt người tham dự | lượt người | 3.850 | 3.000 | +850");
    expect(draft).toContain("Chỉ tính 1 khu dân cư báo cáo cả hai kỳ: Ấp Bến Đò.");
    expect(draft).toContain("- Ấp Cây Dầu: Đề nghị hỗ trợ thêm tài liệu tuyên truyền.");
    expect(draft).toContain("……………………………");

    // The quarter: month by month, and what its totals are made of; no "0/8" beside figures.
    const quarter = await d.g.say(d.user(minh), "/tonghop quý 4");
    expect(quarter.caption).toContain("Đã nộp theo tháng: tháng 10/2026 0/8 · tháng 11/2026 1/8 · tháng 12/2026 2/8.");
    expect(quarter.caption).toContain("Số liệu gồm 3 báo cáo tháng đã nộp của 2 khu dân cư.");
    expect(quarter.caption).not.toContain("Đã nộp 0/8");
    const qDraft = await docxText((await d.g.documentAfter(quarter)).document!.bytes);
    expect(qDraft).toContain(
      "Đến ngày 10/12/2026, số khu dân cư đã nộp báo cáo từng tháng: tháng 10/2026: 0/8; tháng 11/2026: 1/8; tháng 12/2026: 2/8.",
    );
    expect(qDraft).toContain("Số liệu dưới đây tổng hợp từ 3 báo cáo tháng đã nộp của 2 khu dân cư.");
    expect(qDraft).not.toMatch(/có \d+\/8 khu dân cư đã nộp báo cáo/);
    expect(qDraft).toContain("Ấp Bến Đò (tháng 11, 12) | Ấp Cây Dầu (tháng 12)");
    const board = await d.say(minh, "/tiendo quý 4");
    expect(board).toContain("Đã nộp theo tháng: tháng 10/2026 0/8 · tháng 11/2026 1/8 · tháng 12/2026 2/8");
    expect(board).toContain("1. Ấp Bến Đò 2/3 tháng");

    // The command line drafts the same quarter the same way.
    await d.killBot();
    const out = join(mkdtempSync(join(tmpdir(), "baocao-cli-")), "quy-4.docx");
    const cli = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "src", "cli", "main.ts"), "summary", "--unit", "25747", "--period", "quý 4/2026", "--out", out], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DATABASE_PATH: d.dbPath },
      encoding: "utf8",
    });
    expect(cli.status, cli.stderr).toBe(0);
    const cliDraft = await docxText(readFileSync(out));
    expect(cliDraft).toContain("số khu dân cư đã nộp báo cáo từng tháng: tháng 10/2026: 0/8; tháng 11/2026: 1/8; tháng 12/2026: 2/8.");
    expect(cliDraft).not.toMatch(/có \d+\/8 khu dân cư đã nộp báo cáo/);
  }, 120_000);
});
