// Rounds in process: staff open a voter-contact round with /moky, leaders fill it, reminders fire for it,
// /tiendo and /tonghop take it by its name, its number or "đợt trước", drafts carry its name and dates; closing
// it and opening the next; a weekly form's week.
import { afterEach, describe, expect, it } from "vitest";
import { HttpServer } from "../../src/app/http-server.js";
import { WebView, serveWebView } from "../../src/app/web/web-view.js";
import { SqlWorld } from "../../src/store/sql-world.js";
import { WebLinkStore } from "../../src/store/web-links.js";
import { docxText } from "../support/docx-text.js";
import { GROUP, Harness, type Sent } from "../support/harness.js";
import { ROUND_FORM, WEEKLY_FORM } from "../support/period-forms.js";
import { promptsWith } from "../support/test-forms.js";

const tu = { id: "101", name: "Tư" };
const hanh = { id: "102", name: "Hạnh" };
const minh = { id: "103", name: "Minh" };

const ROUND_PROMPTS = promptsWith({ "txct-dot.yaml": ROUND_FORM });
const WEEK_PROMPTS = promptsWith({ "tuan.yaml": WEEKLY_FORM });
const ROUND = "Tiếp xúc cử tri trước kỳ họp thứ 5 HĐND xã (01/12–10/12)";

let h: Harness;
afterEach(() => h?.close());

function setup(prompts: string, now = "2026-12-01T09:00:00+07:00"): Harness {
  h = new Harness(now, ":memory:", undefined, prompts);
  h.link(GROUP, "25747");
  h.grant(minh, "commune_staff", "25747");
  h.grant(tu, "reporter", "25747-01");
  h.grant(hanh, "reporter", "25747-02");
  return h;
}

const only = (sent: Sent[]) => sent.filter((s) => s.text).at(-1)!;
const rounds = () => h.core.db.prepare("SELECT id, form_id, unit_code, name, start_date, end_date, closed_at FROM rounds ORDER BY id").all();

describe("a round opened by staff", () => {
  it("is opened, listed, filled, reminded, summed up and drafted under its name and dates", async () => {
    setup(ROUND_PROMPTS);
    expect(only(await h.say(minh, "/moky txct")).text).toContain("Tiếp xúc cử tri chưa có đợt nào");
    expect(only(await h.say(tu, "/baocao txct")).text).toContain("Tiếp xúc cử tri hiện chưa có đợt nào đang mở");
    // A leader may not open one.
    expect(rounds()).toEqual([]);
    await h.say(tu, "/moky txct Đợt của ấp");
    expect(rounds()).toEqual([]);

    const opened = only(await h.say(minh, "/moky txct Tiếp xúc cử tri trước kỳ họp thứ 5 HĐND xã từ 01/12 đến 10/12"));
    expect(opened.text).toBe(`Đã mở đợt ${ROUND} (R1) cho Xã Tân Khai, hạn báo cáo 13/12. Các khu dân cư gõ /baocao txct để báo cáo.`);
    expect(rounds()).toEqual([{ id: 1, form_id: "txct_dot", unit_code: "25747", name: "Tiếp xúc cử tri trước kỳ họp thứ 5 HĐND xã", start_date: "2026-12-01", end_date: "2026-12-10", closed_at: null }]);
    expect(only(await h.say(minh, "/moky txct Đợt khác")).text).toContain("đang mở (hạn 13/12). Anh/chị đóng đợt này trước");
    expect(only(await h.say(minh, "/moky txct Đợt khác từ 40/12 đến 10/12")).text).toContain("em chưa đọc được ngày của đợt");
    expect(only(await h.say(minh, "/moky txct tự động")).text).toContain("Dạ, anh/chị ghi tên đợt giúp em, ví dụ: /moky txct Tiếp xúc cử tri từ 01/12 đến 10/12.");
    expect(rounds()).toHaveLength(1);
    expect(only(await h.say(minh, "/moky txct")).text).toContain(`R1. ${ROUND} — đang mở, hạn 13/12`);

    const q = only(await h.say(tu, "/baocao txct"));
    expect(q.text).toContain(`nhập báo cáo ${ROUND} (Tiếp xúc cử tri) của Ấp Bến Đò (hạn 13/12)`);
    const done = only(await h.say(tu, "2 điểm, 300 cử tri, 15 kiến nghị"));
    expect(done.text).toContain(`Ấp Bến Đò đã hoàn thành báo cáo ${ROUND} (Tiếp xúc cử tri) ✅`);
    expect(h.answers("25747-01", "R1")).toEqual({ q_diem: 2, q_cu_tri: 300, q_kien_nghi: 15 });
    expect(done.file!.filename).toMatch(/^Bao-cao-tiep-xuc-cu-tri-Tiep-xuc-cu-tri-truoc-ky-hop-thu-5-HDND-xa-01-12-10-12-Ap-Ben-Do\.docx$/);
    const own = await docxText(done.file!.bytes);
    expect(own).toContain(`báo cáo kết quả phối hợp tổ chức tiếp xúc cử tri ${ROUND} như sau:`);

    // The day before the deadline: the leader who has not reported is reminded of the round, by name.
    h.clock.set("2026-12-12T08:00:30+07:00");
    h.core.reminders.tick();
    await h.flush();
    const roundPings = () => h.transport.sent.filter((s) => s.purpose === "reminder" && s.text.includes(ROUND)).map((s) => s.text);
    const pings = roundPings();
    expect(pings).toHaveLength(1);
    expect(pings[0]).toContain(`${ROUND} (Tiếp xúc cử tri)`);
    expect(pings[0]).toContain("hạn nộp 13/12 (còn 1 ngày). Anh/chị gõ /baocao txct để nhập");
    expect(pings[0]).toContain("(Ấp Cây Dầu)");
    expect(pings[0]).not.toContain("(Ấp Bến Đò)");

    const progress = only(await h.say(minh, "/tiendo txct"));
    expect(progress.text).toContain(ROUND);
    expect(progress.text).toContain("📨 Đã nộp (1): 1. Ấp Bến Đò");
    const total = only(await h.say(minh, "/tonghop txct"));
    expect(total.text).toContain(`Tổng hợp ${ROUND} (Tiếp xúc cử tri) — Xã Tân Khai`);
    expect(total.text).toContain("Tiếp xúc cử tri 2 điểm/300 cử tri, 15 kiến nghị");
    const draft = await docxText((total.file ?? h.transport.sent.filter((s) => s.file).at(-1)!.file)!.bytes);
    expect(draft).toContain(`tiếp xúc cử tri ${ROUND} ở các khu dân cư như sau:`);
    for (const named of ["đợt này", "R1", "1", "ky hop thu 5"]) {
      expect(only(await h.say(minh, `/tonghop txct ${named}`)).text, named).toContain(`Tổng hợp ${ROUND}`);
    }
    expect(only(await h.say(minh, "/tonghop txct kỳ họp thứ 9")).text).toContain(`Dạ, em không thấy đợt “kỳ họp thứ 9” của Tiếp xúc cử tri. Các đợt gần đây:\nR1. ${ROUND}`);

    // Closed early: no more reminders for it; the next round is R2 and its "previous" is R1.
    expect(only(await h.say(minh, "/moky txct đóng")).text).toBe(`Đã đóng đợt ${ROUND}. Các báo cáo đã gửi của đợt này vẫn được giữ nguyên.`);
    expect(only(await h.say(hanh, "/baocao txct")).text).toContain("chưa có đợt nào đang mở");
    h.clock.set("2026-12-14T08:00:30+07:00");
    h.core.reminders.tick();
    await h.flush();
    expect(roundPings()).toEqual(pings);
    const next = only(await h.say(minh, "/moky txct Tiếp xúc cử tri sau kỳ họp thứ 5"));
    expect(next.text).toContain("Đã mở đợt Tiếp xúc cử tri sau kỳ họp thứ 5 (14/12–23/12) (R2)");
    expect(next.text).toContain("hạn báo cáo 26/12");
    expect(only(await h.say(hanh, "/baocao txct")).text).toContain("Tiếp xúc cử tri sau kỳ họp thứ 5 (14/12–23/12) (Tiếp xúc cử tri) của Ấp Cây Dầu");
    expect(only(await h.say(minh, "/tonghop txct đợt trước")).text).toContain(`Tổng hợp ${ROUND}`);
    const list = only(await h.say(minh, "/moky txct")).text;
    expect(list).toContain("R2. Tiếp xúc cử tri sau kỳ họp thứ 5 (14/12–23/12) — đang mở, hạn 26/12");
    expect(list).toContain(`R1. ${ROUND} — đã đóng`);
  });
});

describe("a weekly form", () => {
  it("collects the ISO week and sums a month of weeks", async () => {
    setup(WEEK_PROMPTS, "2026-12-03T09:00:00+07:00");
    const q = only(await h.say(tu, "/baocao tuan"));
    expect(q.text).toContain("nhập báo cáo tuần 49/2026 (30/11–06/12) (Báo cáo tuần) của Ấp Bến Đò (hạn 07/12)");
    await h.say(tu, "1 điểm, 50 cử tri, 2 kiến nghị");
    expect(h.answers("25747-01", "2026-W49")).toEqual({ q_diem: 1, q_cu_tri: 50, q_kien_nghi: 2 });
    expect(only(await h.say(minh, "/tonghop tuan")).text).toContain("Tổng hợp tuần 49/2026 (30/11–06/12) (Báo cáo tuần)");
    expect(only(await h.say(minh, "/tonghop tuan tuần trước")).text).toContain("Tổng hợp tuần 48/2026 (23/11–29/11)");
    const month = only(await h.say(minh, "/tonghop tuan tháng 12"));
    expect(month.text).toContain("Tổng hợp tháng 12/2026 (Báo cáo tuần)");
    expect(month.text).toContain("tuần 49/2026 (30/11–06/12) 1/8");
  });
});

describe("a round in the web view", () => {
  it("shows the round's name and dates, its chart and its drafts", async () => {
    const http = new HttpServer();
    let base = "";
    try {
      h = new Harness("2026-12-01T09:00:00+07:00", ":memory:", { baseUrl: () => base, hours: 72 }, ROUND_PROMPTS);
      serveWebView(http, new WebView(new SqlWorld(h.core.db), new WebLinkStore(h.core.db), h.core.prompts, h.clock, h.core.documents));
      base = `http://127.0.0.1:${await http.listen(0, "127.0.0.1")}`;
      h.link(GROUP, "25747");
      h.grant(minh, "commune_staff", "25747");
      h.grant(tu, "reporter", "25747-01");
      await h.say(minh, "/moky txct Tiếp xúc cử tri trước kỳ họp thứ 5 HĐND xã từ 01/12 đến 10/12");
      await h.say(tu, "/baocao txct");
      await h.say(tu, "2 điểm, 300 cử tri, 15 kiến nghị");
      const [msg] = await h.say(minh, "/web", { chatId: minh.id });
      const url = /(http:\/\/\S+\/web\/\S+)/.exec(msg!.text)![1]!;
      const page = await (await fetch(`${url}?dv=25747&bm=txct_dot&ky=R1`)).text();
      const text = page.replace(/<style>[\s\S]*?<\/style>/, "").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
      expect(text).toContain(ROUND);
      expect(text).toContain("Hạn nộp 13/12/2026");
      const hrefs = [...page.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, "&"));
      const chart = await fetch(base + hrefs.find((x) => x.includes("/bieu-do.png") && x.includes("ky=R1"))!);
      expect(chart.headers.get("content-type")).toBe("image/png");
      const draft = await fetch(base + hrefs.find((x) => x.includes("/tong-hop.docx") && x.includes("ky=R1"))!);
      expect(await docxText(Buffer.from(await draft.arrayBuffer()))).toContain(`tiếp xúc cử tri ${ROUND} ở các khu dân cư như sau:`);
    } finally {
      await http.close();
    }
  });
});

describe("an area excused from a round", () => {
  it("is excused for the open round and counted out of it", async () => {
    setup(ROUND_PROMPTS);
    await h.say(minh, "/moky txct Tiếp xúc cử tri trước kỳ họp thứ 5 HĐND xã từ 01/12 đến 10/12");
    expect(only(await h.say(minh, "/mien txct 2 trưởng ban ốm")).text).toContain(`Ấp Cây Dầu được miễn báo cáo ${ROUND} (Tiếp xúc cử tri) (lý do: trưởng ban ốm)`);
    const progress = only(await h.say(minh, "/tiendo txct")).text;
    expect(progress).toContain("➖ Được miễn (1): 2. Ấp Cây Dầu");
  });
});
