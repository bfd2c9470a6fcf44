// End to end on the Telegram stand-in with the report kinds as shipped in prompts/: on 10/11 the monthly report,
// the peak month of the "Vì người nghèo" fund (fixed dates) and a voter-contact round staff open are all being
// collected. Two leaders fill different kinds interleaved in one group; staff get each kind's progress, totals
// and drafts; each kind's reminders fire on its own schedule, naming only those who owe that kind.
import { afterEach, describe, expect, it } from "vitest";
import { docxText } from "../support/docx-text.js";
import { DEFAULT_PROMPTS } from "../../src/paths.js";
import { hanh, minh, tu } from "../support/reporting-data.js";
import { TelegramReportingDriver } from "../support/reporting-drivers.js";

const ROUND = "Tiếp xúc cử tri trước kỳ họp thứ 5 HĐND xã (10/11–20/11)";
const CAMPAIGN = "Tháng cao điểm “Vì người nghèo” năm 2026 (17/10–18/11)";

let d: TelegramReportingDriver | undefined;
afterEach(async () => {
  await d?.stop();
  d = undefined;
});

describe("Telegram: the shipped report kinds at once", () => {
  it("three kinds of three period kinds: filled interleaved, tracked, summed, drafted and reminded per kind", async () => {
    d = new TelegramReportingDriver({ prompts: DEFAULT_PROMPTS });
    await d.start();
    expect(await d.say(minh, `/dangky ${d.staffCode}`)).toContain("cán bộ Mặt trận xã");
    expect(await d.say(minh, "/lienket 25747")).toContain("Đã liên kết nhóm này với Xã Tân Khai");
    for (const [user, area] of [[tu, "Ấp Bến Đò"], [hanh, "Ấp Cây Dầu"]] as const) {
      expect(await d.say(user, "/dangky")).toContain(area);
      await d.choose(user, area);
    }
    expect(await d.say(minh, "/moky txct Tiếp xúc cử tri trước kỳ họp thứ 5 HĐND xã từ 10/11 đến 20/11")).toBe(
      `Đã mở đợt ${ROUND} (R1) cho Xã Tân Khai, hạn báo cáo 23/11. Các khu dân cư gõ /baocao txct để báo cáo.`,
    );
    // Three kinds are open: a leader who names none chooses.
    const menu = await d.say(tu, "/baocao");
    expect(menu).toContain("[1. Báo cáo tháng — tháng 11/2026]");
    expect(menu).toContain(`[2. Tiếp xúc cử tri — ${ROUND}]`);
    expect(menu).toContain(`[3. Quỹ “Vì người nghèo” — ${CAMPAIGN}]`);
    expect(await d.choose(tu, "Tiếp xúc cử tri")).toContain(`nhập báo cáo ${ROUND} (Tiếp xúc cử tri) của Ấp Bến Đò (hạn 23/11)`);
    expect(await d.say(hanh, "/baocao vnn")).toContain(`nhập báo cáo ${CAMPAIGN} (Quỹ “Vì người nghèo”) của Ấp Cây Dầu (hạn 23/11)`);

    // Interleaved: each answer goes to its own person's report.
    expect(await d.say(tu, "2 điểm, 5 đại biểu, 454 cử tri")).toContain("Ghi nhận: 2 điểm, 5 đại biểu, 454 cử tri.");
    expect(await d.say(hanh, "vận động 25 triệu, hỗ trợ 18 hộ")).toContain("Ghi nhận: vận động 25.000.000 đồng, hỗ trợ 18 hộ.");
    await d.say(tu, "6");
    expect(await d.say(hanh, "1 căn, 60 triệu")).toContain("Ghi nhận: xây mới 1 căn, hết 60.000.000 đồng.");
    await d.say(tu, "34 lượt phát biểu, 72 kiến nghị, trả lời tại chỗ 40");
    await d.say(hanh, "2 căn 30tr");
    await d.say(tu, "đường giao thông nông thôn");
    await d.say(hanh, "40 suất, 20 triệu");
    await d.say(tu, "không");
    await d.say(hanh, "Nhiều hộ làm nông, thu nhập thấp");
    let since = d.mark();
    expect(await d.say(tu, "không")).toContain(`Ấp Bến Đò đã hoàn thành báo cáo ${ROUND} (Tiếp xúc cử tri) ✅`);
    const round = await docxText((await d.lastDraft("Ấp Bến Đò", since)).bytes);
    expect(round).toContain(`Kết quả đợt ${ROUND}`);
    expect(round).toContain("Ban công tác Mặt trận đã phối hợp tổ chức cho 5 đại biểu tiếp xúc cử tri tại 2 điểm, với 454 cử tri tham dự.");
    since = d.mark();
    expect(await d.say(hanh, "không")).toContain(`Ấp Cây Dầu đã hoàn thành báo cáo ${CAMPAIGN} (Quỹ “Vì người nghèo”) ✅`);
    const campaign = await d.lastDraft("Ấp Cây Dầu", since);
    expect(campaign.filename).toBe("Bao-cao-ket-qua-Thang-cao-diem-Vi-nguoi-ngheo-nam-2026-17-10-18-11-Ap-Cay-Dau.docx");
    expect(await docxText(campaign.bytes)).toContain("Xây mới 1 căn nhà Đại đoàn kết với tổng số tiền 60.000.000 đồng.");

    // Staff: one board with each open kind, and each kind's totals and draft.
    const board = await d.say(minh, "/tiendo");
    expect(board).toContain("1. Báo cáo tháng — tháng 11/2026");
    expect(board).toMatch(new RegExp(`\\d\\. Tiếp xúc cử tri — ${ROUND.replace(/[()]/g, "\\$&")}\\nHạn nộp 23/11/2026, còn 13 ngày\\.\\n📨 Đã nộp \\(1\\): 1\\. Ấp Bến Đò`));
    expect(board).toMatch(/\d\. Quỹ “Vì người nghèo” — Tháng cao điểm[^\n]*\nHạn nộp 23\/11\/2026, còn 13 ngày\.\n📨 Đã nộp \(1\): 2\. Ấp Cây Dầu/);
    for (const [kind, title, sentence] of [
      ["txct", `Tổng hợp ${ROUND} (Tiếp xúc cử tri) — Xã Tân Khai`, "Các Ban công tác Mặt trận khu dân cư đã phối hợp tổ chức 2 điểm tiếp xúc cử tri với 5 lượt đại biểu và 454 cử tri tham dự."],
      ["vnn", `Tổng hợp ${CAMPAIGN} (Quỹ “Vì người nghèo”) — Xã Tân Khai`, "Các Ban công tác Mặt trận khu dân cư đã vận động Quỹ “Vì người nghèo” được 25.000.000 đồng."],
    ] as const) {
      const total = await d.g.say(d.user(minh), `/tonghop ${kind}`);
      expect(total.text ?? total.caption).toContain(title);
      expect(total.text ?? total.caption).toContain("Đã nộp 1/8 khu dân cư");
      expect(await docxText((await d.g.documentAfter(total)).document!.bytes)).toContain(sentence);
    }
    const monthly = await d.g.say(d.user(minh), "/tonghop thang");
    expect(monthly.text ?? monthly.caption).toContain("Tổng hợp tháng 11/2026 (Báo cáo tháng) — Xã Tân Khai");
    expect(monthly.text ?? monthly.caption).toContain("Đã nộp 0/8 khu dân cư");

    // Reminders, each kind on its own schedule, naming only those who owe it.
    const reminderAt = async (clock: string, kind: string) => {
      await d!.killBot();
      const before = d!.mark();
      await d!.startBot(clock);
      const r = await d!.tg.waitFor((s) => s.chatId === d!.group.id && (s.text ?? "").startsWith("Kính nhắc") && (s.text ?? "").includes(`/baocao ${kind}`), 20_000, { fromIndex: before });
      return r.text ?? "";
    };
    // 14/11 08:00, two days before the monthly deadline: both leaders owe the month.
    const month = await reminderAt("2026-11-14T08:00:30+07:00", "thang");
    expect(month).toContain("Ấp Bến Đò");
    expect(month).toContain("Ấp Cây Dầu");
    expect(month).toContain("báo cáo tháng 11/2026 (Báo cáo tháng) hạn nộp 16/11");
    // 20/11 08:00, three days before the campaign's deadline: only Ấp Bến Đò owes it.
    const fund = await reminderAt("2026-11-20T08:00:30+07:00", "vnn");
    expect(fund).toContain(`(Ấp Bến Đò): báo cáo ${CAMPAIGN} (Quỹ “Vì người nghèo”) hạn nộp 23/11 (còn 3 ngày)`);
    expect(fund).not.toContain("Ấp Cây Dầu");
    // 22/11 08:00, the day before the round's deadline: only Ấp Cây Dầu owes it.
    const voters = await reminderAt("2026-11-22T08:00:30+07:00", "txct");
    expect(voters).toContain(`(Ấp Cây Dầu): báo cáo ${ROUND} (Tiếp xúc cử tri) hạn nộp 23/11 (còn 1 ngày)`);
    expect(voters).not.toContain("Ấp Bến Đò");
  }, 180_000);
});
