// End to end through the Telegram stand-in, with a round form written into a temporary prompts directory:
// commune staff open a voter-contact round with /moky, a leader fills it, the bot (restarted at the step's
// hour) reminds the other leader of the round by its name, and /tiendo, /tonghop and the drafts carry the
// round's name and dates.
import { afterEach, describe, expect, it } from "vitest";
import { docxText } from "../support/docx-text.js";
import { hanh, minh, tu } from "../support/reporting-data.js";
import { TelegramReportingDriver } from "../support/reporting-drivers.js";
import { ROUND_FORM } from "../support/period-forms.js";
import { promptsWith } from "../support/test-forms.js";

const ROUND = "Tiếp xúc cử tri trước kỳ họp thứ 5 HĐND xã (01/12–10/12)";

let d: TelegramReportingDriver | undefined;
afterEach(async () => {
  await d?.stop();
  d = undefined;
});

describe("Telegram: a round opened by staff", () => {
  it("is filled, reminded, followed and summed up under its name and dates", async () => {
    d = new TelegramReportingDriver({ prompts: promptsWith({ "txct-dot.yaml": ROUND_FORM }) });
    await d.start();
    expect(await d.say(minh, `/dangky ${d.staffCode}`)).toContain("cán bộ Mặt trận xã");
    expect(await d.say(minh, "/lienket 25747")).toContain("Đã liên kết nhóm này với Xã Tân Khai");
    for (const [user, area] of [[tu, "Ấp Bến Đò"], [hanh, "Ấp Cây Dầu"]] as const) {
      expect(await d.say(user, "/dangky")).toContain(area);
      await d.choose(user, area);
    }
    await d.killBot();
    await d.startBot("2026-12-01T09:00:00+07:00");

    expect(await d.say(minh, "/moky txct Tiếp xúc cử tri trước kỳ họp thứ 5 HĐND xã từ 01/12 đến 10/12")).toBe(
      `Đã mở đợt ${ROUND} (R1) cho Xã Tân Khai, hạn báo cáo 13/12. Các khu dân cư gõ /baocao txct để báo cáo.`,
    );
    expect(await d.say(tu, "/baocao txct")).toContain(`nhập báo cáo ${ROUND} (Tiếp xúc cử tri) của Ấp Bến Đò (hạn 13/12)`);
    const since = d.mark();
    expect(await d.say(tu, "2 điểm, 300 cử tri, 15 kiến nghị")).toContain(`Ấp Bến Đò đã hoàn thành báo cáo ${ROUND} (Tiếp xúc cử tri)`);
    const own = await d.lastDraft("Ấp Bến Đò", since);
    expect(own.filename).toBe("Bao-cao-tiep-xuc-cu-tri-Tiep-xuc-cu-tri-truoc-ky-hop-thu-5-HDND-xa-01-12-10-12-Ap-Ben-Do.docx");
    expect(await docxText(own.bytes)).toContain(`Trên đây là báo cáo kết quả tiếp xúc cử tri ${ROUND} của Ban công tác Mặt trận ấp Bến Đò./.`);

    // The day before the deadline, at the step's hour: Ấp Cây Dầu is reminded of the round, Ấp Bến Đò is not.
    await d.killBot();
    const before = d.mark();
    await d.startBot("2026-12-12T08:00:30+07:00");
    const reminder = await d.tg.waitFor((s) => s.chatId === d!.group.id && (s.text ?? "").startsWith("Kính nhắc"), 15_000, { fromIndex: before });
    expect(reminder.text).toContain(`(Ấp Cây Dầu): báo cáo ${ROUND} (Tiếp xúc cử tri) hạn nộp 13/12 (còn 1 ngày). Anh/chị gõ /baocao txct để nhập`);
    expect(reminder.text).not.toContain("Ấp Bến Đò");

    expect(await d.say(minh, "/tiendo txct")).toContain(`Tiến độ báo cáo ${ROUND} (Tiếp xúc cử tri) — Xã Tân Khai`);
    const total = await d.g.say(d.user(minh), "/tonghop txct kỳ họp thứ 5");
    expect(total.text ?? total.caption).toContain(`Tổng hợp ${ROUND} (Tiếp xúc cử tri) — Xã Tân Khai`);
    const draft = await docxText((await d.g.documentAfter(total)).document!.bytes);
    expect(draft).toContain(`Ban Thường trực Ủy ban MTTQ Việt Nam xã Tân Khai báo cáo kết quả phối hợp tổ chức tiếp xúc cử tri ${ROUND} ở các khu dân cư như sau:`);
    expect(draft).toContain("Các khu dân cư đã phối hợp tổ chức tiếp xúc cử tri tại 2 điểm, thu hút 300 cử tri tham dự");
  }, 120_000);
});
