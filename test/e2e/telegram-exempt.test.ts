// End to end through the Telegram stand-in: commune staff excuse one area from the month's report with a reason,
// its leader is told in the group, the other areas submit, the commune completes with the exempt area left out of
// what is expected, and the commune draft names the exempt area with its reason, in the text and in the appendix.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { docxText } from "../support/docx-text.js";
import { ROOT } from "../../src/paths.js";
import { ANSWERS, ba, hanh, minh, tu, type Person } from "../support/reporting-data.js";
import { TelegramReportingDriver } from "../support/reporting-drivers.js";

const UNITS = `code,name,level,parent_code
75,Tỉnh Đồng Nai,province,
25747,Xã Tân Khai,commune,75
25747-01,Ấp Bến Đò,area,25747
25747-02,Ấp Cây Dầu,area,25747
25747-08,Ấp Sóc Bế,area,25747
`;

let d: TelegramReportingDriver | undefined;
afterEach(async () => {
  await d?.stop();
  d = undefined;
});

async function fill(user: Person): Promise<void> {
  await d!.say(user, "/baocao");
  for (const a of ANSWERS[user.id]!) await d!.say(user, a);
}

describe("Telegram: an exempt area", () => {
  it("is excused with a reason, its leader told; the others submit, the commune completes and its draft names the exempt area", async () => {
    d = new TelegramReportingDriver({ units: UNITS });
    await d.start();
    expect(await d.say(minh, `/dangky ${d.staffCode}`)).toContain("cán bộ Mặt trận xã");
    expect(await d.say(minh, "/lienket 25747")).toContain("Đã liên kết nhóm này với Xã Tân Khai");
    for (const [user, area] of [[tu, "Ấp Bến Đò"], [hanh, "Ấp Cây Dầu"], [ba, "Ấp Sóc Bế"]] as const) {
      expect(await d.say(user, "/dangky")).toContain(area);
      await d.choose(user, area);
    }

    // A leader may not excuse an area; the staff may, and the area's leader is named in the answer.
    expect(await d.say(tu, "/mien soc be sáp nhập")).toContain("chỉ dành cho cán bộ");
    const exempted = await d.say(minh, "/mien soc be sáp nhập vào Ấp Bến Đò");
    expect(exempted).toContain("Dạ, Ấp Sóc Bế được miễn báo cáo tháng 11/2026 (lý do: sáp nhập vào Ấp Bến Đò).");
    expect(exempted).toContain("Ba: Ấp Sóc Bế được miễn báo cáo tháng 11/2026 (lý do: sáp nhập vào Ấp Bến Đò). Anh/chị không cần nộp kỳ này ạ");
    const board = await d.say(minh, "/tiendo");
    expect(board).toContain("➖ Được miễn (1): 3. Ấp Sóc Bế (sáp nhập vào Ấp Bến Đò)");

    await fill(tu);
    const since = d.mark();
    await fill(hanh);
    // The last area that was expected has submitted: the commune is complete.
    const [done] = await d.chartPhotos(since);
    expect(done!.caption).toContain("Xã Tân Khai đã hoàn thành báo cáo tháng 11/2026: 2/2 khu dân cư đã nộp (1 khu được miễn) ✅");
    expect(done!.caption).toContain("Được miễn: Ấp Sóc Bế (sáp nhập vào Ấp Bến Đò).");
    expect(done!.png.length).toBeGreaterThan(1000);
    const out = join(ROOT, "test-output", "charts");
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, "telegram-mien.png"), done!.png);
    const draft = await d.lastDraft("Xã Tân Khai", since);
    writeFileSync(join(out, "telegram-mien.docx"), draft.bytes);
    const text = await docxText(draft.bytes);
    expect(text).toContain("có 2/2 khu dân cư đã nộp báo cáo. Ấp Sóc Bế được miễn báo cáo kỳ này (lý do: sáp nhập vào Ấp Bến Đò).");
    expect(text).toContain("STT | Chỉ tiêu | Đơn vị tính | Ấp Bến Đò | Ấp Cây Dầu | Ấp Sóc Bế (được\u00a0miễn) | Tổng cộng");
    expect(d.everyTurnAnsweredOnce()).toBe(true);
  });
});
