import { afterEach, describe, expect, it } from "vitest";
import { FULL_FORM_ANSWERS, GROUP, Harness } from "../support/harness.js";
import { docxText } from "../support/docx-text.js";
import { readXlsx } from "../support/read-xlsx.js";
import { rebuildReach } from "../../src/store/totals-rebuild.js";
import { importUnits } from "../../src/store/units.js";
import { DEFAULT_PROMPTS } from "../../src/paths.js";

const tu = { id: "101", name: "Tư" };
const hanh = { id: "102", name: "Hạnh" };
const minh = { id: "103", name: "Minh" };
const other = { id: "104", name: "Lan" };

let h: Harness;
afterEach(() => h?.close());

const HANH_ANSWERS = ["8 buổi, 420 người", "/bo", "tiếp nhận 5 thành 2 không thành 1", "ko", "vận động 2.500.000, chi 1tr5, giúp 3 hộ", "80%", "0", "Thiếu kinh phí", "không"];

async function fill(who: { id: string; name: string }, answers: string[]) {
  await h.say(who, "/baocao");
  let last = await h.say(who, answers[0]!);
  for (const a of answers.slice(1)) last = await h.say(who, a);
  return last;
}

function setup(): Harness {
  h = new Harness();
  h.link(GROUP, "25747");
  h.grant(minh, "commune_staff", "25747");
  h.grant(tu, "reporter", "25747-01");
  h.grant(hanh, "reporter", "25747-02");
  return h;
}

describe("commune staff", () => {
  it("/tonghop sums the submitted areas, recomputes ratios and names the missing ones", async () => {
    setup();
    await fill(tu, FULL_FORM_ANSWERS);
    await fill(hanh, HANH_ANSWERS);
    const [msg] = await h.say(minh, "/tonghop");
    expect(msg!.text).toContain("Tổng hợp tháng 11/2026 — Xã Tân Khai");
    expect(msg!.text).toContain("Đã nộp 2/8 khu dân cư; chưa nộp: Ấp Sóc Ruộng");
    // 12 + 8 sessions, 3.850 + 420 attendees; mediation 10+2 of 15+5 = 60%, not the mean of 66,7% and 40%.
    expect(msg!.text).toContain("Tuyên truyền 20 buổi/4.270 lượt");
    expect(msg!.text).toContain("Hòa giải thành 12/20 vụ (60%)");
    expect(msg!.text).toContain("Quỹ VNN 17.500.000 đ");
    const text = await docxText(msg!.file!.bytes);
    expect(text).toContain("BAN THƯỜNG TRỰC ỦY BAN MTTQ VIỆT NAM XÃ TÂN KHAI");
    expect(text).toContain("có 2/8 khu dân cư đã nộp báo cáo");
    expect(text).toContain("20 buổi tuyên truyền, phổ biến, giáo dục pháp luật, thu hút 4.270 lượt người tham dự");
    expect(text).toContain("hòa giải thành 12/20 vụ, đạt 60%");
    expect(text).toContain("Ấp Bến Đò: Kinh phí hoạt động còn hạn chế");
    expect(text).toContain("Ấp Cây Dầu: Thiếu kinh phí");
    expect(text).toContain("IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THÁNG 12/2026");
    // Eight areas in two tables of four; the total closes the second.
    expect(text).toMatch(/\n1 \| Số buổi tuyên truyền, phổ biến pháp luật \| buổi \| 12 \| 8 \| - \| -\n/);
    expect(text).toMatch(/\n1 \| Số buổi tuyên truyền, phổ biến pháp luật \| buổi \| - \| - \| - \| - \| 20\n/);
    expect(text).toContain("STT | Chỉ tiêu | Đơn vị tính | Ấp Bến Đò | Ấp Cây Dầu | Ấp Sóc Ruộng (chưa\u00a0nộp) | Ấp Bàu Lòn (chưa\u00a0nộp)");
  });

  it("refuses /tonghop to reporters and to staff of another commune", async () => {
    setup();
    expect((await h.say(tu, "/tonghop"))[0]!.text).toContain("chỉ dành cho cán bộ");
    h.grant(other, "commune_staff", "25750");
    expect((await h.say(other, "/tonghop"))[0]!.text).toContain("nhóm đã liên kết với xã (hoặc cấp trên) mà anh/chị phụ trách");
  });

  it("/tiendo lists states; /tralai returns with a reason, /sua fixes, /duyet accepts; /lichsu shows the change", async () => {
    setup();
    await fill(tu, FULL_FORM_ANSWERS);
    await h.say(hanh, "/baocao");
    await h.say(hanh, "8 buổi, 420 người");
    const [board] = await h.say(minh, "/tiendo");
    expect(board!.text).toContain("Hạn nộp 16/11/2026, còn 6 ngày");
    expect(board!.text).toContain("📨 Đã nộp (1): 1. Ấp Bến Đò");
    expect(board!.text).toMatch(/Đang nhập \(1\): 2\. Ấp Cây Dầu 0\/7 phần/);
    expect(board!.text).toContain("⏳ Chưa bắt đầu (6)");
    const [ret] = await h.say(minh, "/tralai ben do thiếu số liệu hòa giải");
    expect(ret!.text).toContain("Tư: báo cáo tháng 11/2026 của Ấp Bến Đò được trả lại để bổ sung. Lý do: thiếu số liệu hòa giải.");
    expect(ret!.mentions).toEqual([{ userId: "101", name: "Tư" }]);
    // The board was edited in place, not posted again.
    const edits = h.transport.sent.filter((s) => s.editOf === board!.messageId);
    expect(edits.at(-1)!.text).toContain("↩️ Trả lại (1): 1. Ấp Bến Đò (thiếu số liệu hòa giải)");
    h.clock.advance(3_600_000);
    await h.say(tu, "/sua 4 16");
    const [board2] = await h.say(minh, "/tiendo");
    expect(board2!.text).toContain("1. Ấp Bến Đò (đã sửa lại)");
    expect((await h.say(minh, "/duyet 1"))[0]!.text).toContain("Đã duyệt báo cáo tháng 11/2026 của Ấp Bến Đò");
    const [hist] = await h.say(minh, "/lichsu 1");
    expect(hist!.text).toMatch(/Tư: Số vụ việc tiếp nhận 15 vụ → 16 vụ/);
  });

  it("staff correct an area's figure under their own name", async () => {
    setup();
    await fill(tu, FULL_FORM_ANSWERS);
    const out = await h.say(minh, "/sua Ấp Bến Đò 1 13");
    expect(out.find((s) => s.file)!.text).toContain("12 buổi → 13 buổi");
    const audit = h.core.db.prepare("SELECT by_name, source FROM answer_history").all();
    expect(audit).toEqual([{ by_name: "Minh", source: "staff" }]);
  });

  it("posts the commune draft when the last area submits, once", async () => {
    h = new Harness();
    h.link(GROUP, "25747");
    h.link("-200", "75");
    h.grant(minh, "commune_staff", "25747");
    // Only two areas in this commune: remove the others for the test.
    h.core.db.exec("DELETE FROM units WHERE parent_code = '25747' AND code NOT IN ('25747-01','25747-02')");
    // Behind the importer's back: the counts of units under each unit are made again, as an import does.
    rebuildReach(h.core.db);
    h.grant(tu, "reporter", "25747-01");
    h.grant(hanh, "reporter", "25747-02");
    await fill(tu, FULL_FORM_ANSWERS);
    const last = await fill(hanh, HANH_ANSWERS);
    const commune = last.find((s) => s.file?.filename.startsWith("Bao-cao-tong-hop"));
    expect(commune!.text).toContain("Xã Tân Khai đã hoàn thành báo cáo tháng 11/2026: 2/2 khu dân cư đã nộp");
    expect(last.find((s) => s.chatId === "-200")!.text).toContain("Xã Tân Khai đã hoàn thành");
    const again = await h.say(hanh, "/sua 1 9");
    expect(again.filter((s) => s.file?.filename.startsWith("Bao-cao-tong-hop"))).toHaveLength(0);
  });

  it("/xuat sends a spreadsheet with figures per area and the audit trail", async () => {
    setup();
    await fill(tu, FULL_FORM_ANSWERS);
    await h.say(tu, "/sua 1 14");
    const [x] = await h.say(minh, "/xuat");
    const sheets = await readXlsx(x!.file!.bytes);
    expect(sheets.map((s) => s.name)).toEqual(["Số liệu", "Lịch sử sửa"]);
    const ben = sheets[0]!.rows.find((r) => r[1] === "Ấp Bến Đò")!;
    expect(ben[2]).toBe("Đã nộp");
    expect(ben[3]).toBe(14);
    expect(sheets[1]!.rows[1]).toEqual(expect.arrayContaining(["Ấp Bến Đò", "12", "14", "Tư"]));
  });

  it("/chitieu sets a yearly target that the summary reports against", async () => {
    setup();
    expect((await h.say(minh, "/chitieu"))[0]!.text).toContain("1. Số buổi tuyên truyền, phổ biến pháp luật (buổi): chưa đặt");
    expect((await h.say(minh, "/chitieu 1 150"))[0]!.text).toContain("Đã đặt chỉ tiêu năm 2026");
    await fill(tu, FULL_FORM_ANSWERS);
    const [msg] = await h.say(minh, "/tonghop");
    expect(msg!.text).toContain("Chỉ tiêu năm: Số buổi tuyên truyền, phổ biến pháp luật 8%");
    expect(await docxText(msg!.file!.bytes)).toContain("lũy kế 12/150 buổi, đạt 8% chỉ tiêu năm");
  });
});

describe("periods people type", () => {
  it("/tonghop quý 4 adds up the months each area has submitted so far", async () => {
    setup();
    await h.say(minh, "/moky tháng 10/2026");
    await fill(tu, FULL_FORM_ANSWERS);
    await h.say(minh, "/moky tự động");
    await fill(tu, ["3 buổi, 100 người", ...FULL_FORM_ANSWERS.slice(1)]);
    const [q] = await h.say(minh, "/tonghop quy 4");
    expect(q!.text).toContain("Tổng hợp quý IV/2026 — Xã Tân Khai");
    expect(q!.text).toContain("Tuyên truyền 15 buổi/3.950 lượt");
    // Completeness month by month, never one count for the quarter; the totals say what they are made of.
    expect(q!.text).toContain("Đã nộp theo tháng: tháng 10/2026 1/8 · tháng 11/2026 1/8 · tháng 12/2026 0/8.");
    expect(q!.text).toContain("Chưa có khu dân cư nào nộp báo cáo tháng 12/2026.");
    expect(q!.text).toContain("Số liệu gồm 2 báo cáo tháng đã nộp của 1 khu dân cư.");
    expect(q!.text).not.toContain("0/8 khu dân cư");
    const [m] = await h.say(minh, "/tonghop thang 10/2026");
    expect(m!.text).toContain("Tuyên truyền 12 buổi/3.850 lượt");
    const [nov] = await h.say(minh, "/tonghop");
    expect(nov!.text).toContain("Tuyên truyền 3 buổi/100 lượt");
    expect(nov!.text).toContain("So với tháng 10/2026: Tuyên truyền 12 buổi/3.850 lượt");
    const [bad] = await h.say(minh, "/tonghop tháng 13");
    expect(bad!.text).toContain("chưa hiểu kỳ");
  });
});

describe("periods typed with commands", () => {
  const openOverride = () =>
    h.core.db.prepare<[], { period_key: string }>("SELECT period_key FROM open_periods WHERE unit_code = '25747'").get()?.period_key;

  it("/moky refuses periods far in the past or beyond the next one, politely, and changes nothing", async () => {
    setup();
    for (const text of ["tháng 1/1900", "tháng 12/9999", "tháng 1/2027", "tháng 10/2024"]) {
      const [r] = await h.say(minh, `/moky ${text}`);
      expect(r!.text, text).toContain("/moky dùng được cho các kỳ từ tháng 11/2024 đến tháng 12/2026");
      expect(openOverride(), text).toBeUndefined();
    }
    expect((await h.say(minh, "/moky tháng 11/2024"))[0]!.text).toContain("Đã mở kỳ báo cáo tháng 11/2024");
    expect(openOverride()).toBe("2024-M11");
  });

  it("/moky reads relative and short forms, and asks when 'thang sau' could be June or next month", async () => {
    setup();
    const [ask] = await h.say(minh, "/moky thang sau");
    expect(ask!.text).toBe("Dạ, “thang sau” là tháng 6/2026 hay tháng 12/2026 ạ? Anh/chị gõ rõ giúp em, ví dụ “tháng 6/2026”.");
    expect(openOverride()).toBeUndefined();
    expect((await h.say(minh, "/moky tháng sau"))[0]!.text).toContain("Đã mở kỳ báo cáo tháng 12/2026");
    expect((await h.say(minh, "/moky thg 10"))[0]!.text).toContain("Đã mở kỳ báo cáo tháng 10/2026");
    expect((await h.say(minh, "/moky T9/26"))[0]!.text).toContain("Đã mở kỳ báo cáo tháng 9/2026");
    expect((await h.say(minh, "/moky tháng trước"))[0]!.text).toContain("Đã mở kỳ báo cáo tháng 10/2026");
    expect((await h.say(minh, "/moky quý này"))[0]!.text).toContain("báo cáo này theo tháng");
    expect(openOverride()).toBe("2026-M10");
  });

  it("/tonghop, /tiendo and /xuat read the period as staff type it", async () => {
    setup();
    await h.say(minh, "/moky tháng 10/2026");
    await fill(tu, FULL_FORM_ANSWERS);
    await h.say(minh, "/moky tự động");
    for (const text of ["tháng trước", "T10/26", "thg 10", "2026-10", "tháng mười", "kỳ trước"]) {
      const [r] = await h.say(minh, `/tonghop ${text}`);
      expect(r!.text, text).toContain("Tổng hợp tháng 10/2026 — Xã Tân Khai");
      expect(r!.text, text).toContain("Tuyên truyền 12 buổi/3.850 lượt");
    }
    expect((await h.say(minh, "/tonghop quý này"))[0]!.text).toContain("Tổng hợp quý IV/2026");
    expect((await h.say(minh, "/tonghop cùng kỳ năm ngoái"))[0]!.text).toContain("Tổng hợp tháng 11/2025");
    expect((await h.say(minh, "/tiendo tháng trước"))[0]!.text).toContain("Tiến độ báo cáo tháng 10/2026");
    const [x] = await h.say(minh, "/xuat thang truoc");
    expect(x!.text).toContain("Số liệu tháng 10/2026");
    expect((await h.say(minh, "/tonghop năm 2015"))[0]!.text).toContain("/tonghop dùng được cho các kỳ từ tháng 11/2016 đến tháng 12/2026");
    expect((await h.say(minh, "/tonghop năm sau"))[0]!.text).toContain("năm 2027 nằm ngoài khoảng này");
    const [bad] = await h.say(minh, "/tonghop abc");
    expect(bad!.text).toContain("Dạ, em chưa hiểu kỳ “abc”. Anh/chị gõ kỳ theo một trong các cách sau:");
    expect(bad!.text).toContain("quý: quý 3/2026, quý III, Q3/26, quý này, quý trước");
  });
});

describe("an area's report of an earlier period", () => {
  const review = (period: string) =>
    h.core.db.prepare<[string], { status: string; reason: string | null }>("SELECT status, reason FROM reviews WHERE unit_code = '25747-01' AND period_key = ?").get(period);

  it("/duyet, /tralai and /lichsu take the period named right after the area; a reason keeps its own words", async () => {
    setup();
    await h.say(minh, "/moky tháng 10/2026");
    await fill(tu, FULL_FORM_ANSWERS);
    await h.say(minh, "/moky tự động");
    // Tháng 11 is being collected and Ấp Bến Đò has not sent it: without a period there is nothing to accept.
    expect((await h.say(minh, "/duyet 1"))[0]!.text).toContain("Ấp Bến Đò chưa nộp báo cáo tháng 11/2026");
    expect(review("2026-M11")).toBeUndefined();

    const [ret] = await h.say(minh, "/tralai 1 tháng trước thiếu số liệu hòa giải");
    expect(ret!.text).toContain("báo cáo tháng 10/2026 của Ấp Bến Đò được trả lại để bổ sung. Lý do: thiếu số liệu hòa giải.");
    expect(review("2026-M10")).toEqual({ status: "returned", reason: "thiếu số liệu hòa giải" });

    await h.say(minh, "/moky tháng 10/2026");
    await h.say(tu, "/sua 4 16");
    await h.say(minh, "/moky tự động");
    expect((await h.say(minh, "/duyet ben do T10"))[0]!.text).toContain("Đã duyệt báo cáo tháng 10/2026 của Ấp Bến Đò");
    expect(review("2026-M10")).toMatchObject({ status: "accepted" });
    const [hist] = await h.say(minh, "/lichsu 1 thg 10");
    expect(hist!.text).toContain("Lịch sử sửa số liệu tháng 10/2026 — Ấp Bến Đò:");
    expect(hist!.text).toMatch(/Tư: Số vụ việc tiếp nhận 15 vụ → 16 vụ/);
    expect((await h.say(minh, "/lichsu 1"))[0]!.text).toContain("tháng 11/2026");
  });

  it("a period of another kind, or outside the window, is refused and changes nothing; a count starting a reason is no period", async () => {
    setup();
    await fill(tu, FULL_FORM_ANSWERS);
    expect((await h.say(minh, "/duyet 1 quý này"))[0]!.text).toContain("báo cáo này theo tháng");
    expect((await h.say(minh, "/tralai 1 tháng 10/2020 sai số"))[0]!.text).toContain("dùng được cho các kỳ từ");
    expect(review("2026-M11")).toBeUndefined();
    expect(review("2020-M10")).toBeUndefined();
    // "năm" (five) and "3" start the reason: the report returned is the one being collected.
    const [ret] = await h.say(minh, "/tralai 1 năm hộ nghèo chưa được ghi");
    expect(ret!.text).toContain("báo cáo tháng 11/2026 của Ấp Bến Đò được trả lại để bổ sung. Lý do: năm hộ nghèo chưa được ghi.");
    expect(review("2026-M11")).toEqual({ status: "returned", reason: "năm hộ nghèo chưa được ghi" });
  });
});

describe("an earlier report of a round or campaign kind", () => {
  it("a round is named by its number or as this one; a campaign by its year; a calendar period names no round", async () => {
    h = new Harness(undefined, ":memory:", undefined, DEFAULT_PROMPTS);
    h.link(GROUP, "25747");
    h.grant(minh, "commune_staff", "25747");
    // No round opened yet: said so, nothing thrown.
    expect((await h.say(minh, "/lichsu txct 1 R1"))[0]!.text).toContain("chưa có đợt nào");
    await h.say(minh, "/moky txct Hội nghị tiếp xúc cử tri trước kỳ họp");
    for (const text of ["R1", "r 1", "đợt này"]) {
      expect((await h.say(minh, `/lichsu txct 1 ${text}`))[0]!.text, text).toContain("nộp báo cáo Hội nghị tiếp xúc cử tri trước kỳ họp");
    }
    expect((await h.say(minh, "/lichsu txct 1 R9"))[0]!.text).toContain("em không thấy đợt “R9”");
    expect((await h.say(minh, "/tralai txct 1 tháng 10 thiếu"))[0]!.text).toContain("theo đợt");
    // "12 cử tri …" is a reason, not round 12.
    expect((await h.say(minh, "/tralai txct 1 12 cử tri chưa ghi"))[0]!.text).toContain("chưa nộp báo cáo Hội nghị tiếp xúc cử tri");
    expect((await h.say(minh, "/duyet vnn 1 năm 2025"))[0]!.text).toContain("“Vì người nghèo” năm 2025");
  });

  it("without a kind, the kind is the one whose report of the period named is under way", async () => {
    h = new Harness(undefined, ":memory:", undefined, DEFAULT_PROMPTS);
    h.link(GROUP, "25747");
    h.grant(minh, "commune_staff", "25747");
    h.grant(tu, "reporter", "25747-01");
    await h.say(minh, "/moky thang tháng 10/2026");
    await h.say(tu, "/baocao thang");
    for (const a of FULL_FORM_ANSWERS) await h.say(tu, a);
    await h.say(minh, "/moky thang tự động");
    // Five kinds apply; only the monthly one has a report of tháng 10 from Ấp Bến Đò.
    expect((await h.say(minh, "/duyet 1 tháng 10"))[0]!.text).toBe("Đã duyệt báo cáo tháng 10/2026 (Báo cáo tháng) của Ấp Bến Đò. ✅");
    // No report of the period being collected: the kind is asked.
    expect((await h.say(minh, "/duyet 1"))[0]!.text).toContain("chọn báo cáo giúp em");
  });
});

describe("scheduled reminders", () => {
  it("fire before, on and after the deadline, escalate, respect quiet hours and never twice across restarts", async () => {
    const { mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const path = join(mkdtempSync(join(tmpdir(), "reminders-")), "bot.sqlite");
    // A week before the deadline of tháng 11/2026 (16/11).
    h = new Harness("2026-11-12T06:00:00+07:00", path);
    h.link(GROUP, "25747");
    h.link("-200", "75");
    h.grant(minh, "commune_staff", "25747");
    h.grant({ id: "900", name: "Quân" }, "officer", "75");
    h.grant(tu, "reporter", "25747-01");
    h.grant(hanh, "reporter", "25747-02");
    await fill(hanh, HANH_ANSWERS);
    await h.say(tu, "/trogiup");
    await h.say(minh, "/trogiup");
    const fired: Array<{ at: string; chat: string; text: string }> = [];
    let at = new Date("2026-11-12T06:00:00+07:00").getTime();
    const end = new Date("2026-11-20T06:00:00+07:00").getTime();
    while (at < end) {
      // A restart every day: a new bot on the same database file.
      if (new Date(at + 7 * 3_600_000).getUTCHours() === 12) {
        h.close();
        h = new Harness(new Date(at).toISOString(), path);
      }
      h.clock.set(new Date(at));
      const before = h.transport.sent.length;
      h.core.reminders.tick();
      for (let i = 0; i < 20 && h.drainer.pendingCount() > 0; i++) await h.drainer.pass();
      for (const s of h.transport.sent.slice(before)) fired.push({ at: new Date(at + 7 * 3_600_000).toISOString().slice(5, 16), chat: s.chatId, text: s.text });
      at += 15 * 60_000;
    }
    const pings = fired.filter((f) => f.text.startsWith("Kính nhắc"));
    // Two days before (14/11 08:00) and on the day (16/11 08:00); Hạnh has submitted, Tư has not.
    expect(pings.map((p) => p.at)).toEqual(["11-14T08:00", "11-16T08:00"]);
    expect(pings[0]!.text).toContain("Tư (Ấp Bến Đò)");
    expect(pings[0]!.text).not.toContain("Hạnh");
    expect(pings[0]!.text).toContain("(còn 2 ngày)");
    const staff = fired.filter((f) => f.text.includes("đã quá hạn nộp báo cáo") && f.chat === GROUP);
    expect(staff.map((s) => s.at)).toEqual(["11-17T08:00"]);
    expect(staff[0]!.text).toContain("Minh");
    const officer = fired.filter((f) => f.chat === "-200");
    expect(officer.map((s) => s.at)).toEqual(["11-19T08:30"]);
    expect(officer[0]!.text).toContain("Xã Tân Khai (1/8 khu)");
    expect(fired.every((f) => Number(f.at.slice(6, 8)) >= 7 && Number(f.at.slice(6, 8)) < 21)).toBe(true);
  });

  it("tell an officer over many communes the ones most behind, and how many others", async () => {
    h = new Harness("2026-11-19T08:00:00+07:00");
    // Twenty more communes of two areas each beside Xã Tân Khai (eight areas) and Xã Tân Quan (six); nobody has submitted.
    const more = Array.from({ length: 20 }, (_, i) => `759${String(i + 1).padStart(2, "0")}`);
    importUnits(h.core.db, [
      ...more.map((code, i) => ({ code, name: `Xã Số ${i + 1}`, level: "commune" as const, parentCode: "75" })),
      ...more.flatMap((code) => [1, 2].map((k) => ({ code: `${code}-0${k}`, name: `Ấp ${k}`, level: "area" as const, parentCode: code }))),
    ]);
    rebuildReach(h.core.db);
    h.link("-200", "75");
    h.grant({ id: "900", name: "Quân" }, "officer", "75");
    const sent: string[] = [];
    for (let at = Date.parse("2026-11-19T08:00:00+07:00"); at <= Date.parse("2026-11-19T09:00:00+07:00"); at += 15 * 60_000) {
      h.clock.set(new Date(at));
      const before = h.transport.sent.length;
      h.core.reminders.tick();
      for (let i = 0; i < 20 && h.drainer.pendingCount() > 0; i++) await h.drainer.pass();
      sent.push(...h.transport.sent.slice(before).filter((x) => x.chatId === "-200").map((x) => x.text));
    }
    expect(sent).toHaveLength(1);
    // The most missing first (Tân Khai lacks eight, Tân Quan six), then ten of the twenty lacking two, then the other ten.
    expect(sent[0]).toContain("Các xã chưa hoàn thành: Xã Tân Khai (0/8 khu), Xã Tân Quan (0/6 khu), Xã Số 1 (0/2 khu), Xã Số 2 (0/2 khu)");
    expect(sent[0]).toContain("Xã Số 10 (0/2 khu) và 10 xã khác.");
    expect(sent[0]).not.toContain("Xã Số 11 ");
  });

  it("moves a step due at night to the morning", async () => {
    const { isQuiet, outOfQuietHours } = await import("../../src/core/conversation/reminders.js");
    h = new Harness();
    const form = h.core.prompts.forms[0]!;
    const night = Date.parse("2026-11-14T22:30:00+07:00");
    expect(isQuiet(form, night)).toBe(true);
    expect(new Date(outOfQuietHours(form, night)).toISOString()).toBe("2026-11-15T00:00:00.000Z");
    expect(isQuiet(form, Date.parse("2026-11-14T12:00:00+07:00"))).toBe(false);
  });
});

describe("groups above a commune", () => {
  it("the nearest group above a completed commune is told, not every group up to the top", async () => {
    h = new Harness();
    importUnits(h.core.db, [
      { code: "75D1", name: "Huyện Một", level: "district", parentCode: "75" },
      { code: "75D1-C1", name: "Xã Một Ấp", level: "commune", parentCode: "75D1" },
      { code: "75D1-C1-01", name: "Ấp Duy Nhất", level: "area", parentCode: "75D1-C1" },
    ]);
    rebuildReach(h.core.db);
    h.link("-301", "75D1-C1");
    h.link("-400", "75D1");
    h.link("-200", "75");
    h.grant(hanh, "reporter", "75D1-C1-01");
    await h.say(hanh, "/baocao", { chatId: "-301" });
    for (const a of HANH_ANSWERS) await h.say(hanh, a, { chatId: "-301" });
    const told = (chat: string) => h.transport.sent.filter((s) => s.chatId === chat && s.text.includes("Xã Một Ấp đã hoàn thành báo cáo"));
    expect(told("-301")).toHaveLength(1);
    expect(told("-400")).toHaveLength(1);
    expect(told("-200")).toHaveLength(0);
  });

  it("a province's board is edited at every submission, and posted again where it cannot be edited only as a commune completes", async () => {
    h = new Harness();
    // A commune of one area beside Xã Tân Khai (eight areas), so that one submission completes it.
    importUnits(h.core.db, [
      { code: "75999", name: "Xã Một Ấp", level: "commune", parentCode: "75" },
      { code: "75999-01", name: "Ấp Duy Nhất", level: "area", parentCode: "75999" },
    ]);
    rebuildReach(h.core.db);
    h.link(GROUP, "25747");
    h.link("-301", "75999");
    h.link("-200", "75");
    const quan = { id: "900", name: "Quân" };
    h.grant(quan, "officer", "75");
    h.grant(tu, "reporter", "25747-01");
    h.grant(hanh, "reporter", "75999-01");
    const [board] = await h.say(quan, "/tiendo thang", { chatId: "-200" });
    // The same board in the province's Zalo group, which Zalo cannot edit.
    h.core.db.prepare("INSERT INTO chats (platform, chat_id, unit_code, linked_by, linked_at) VALUES ('zalo', 'zalo-75', '75', 'test', '2026-11-10')").run();
    h.core.db
      .prepare("INSERT INTO bot_messages (platform, chat_id, message_id, owner_user_id, purpose, created_at) VALUES ('zalo', 'zalo-75', 'z1', NULL, ?, 0)")
      .run(board!.purpose);
    const zaloBoards = () => (h.core.db.prepare("SELECT count(*) AS n FROM outbox WHERE platform = 'zalo' AND json_extract(payload_json, '$.purpose') = ?").get(board!.purpose) as { n: number }).n;

    await fill(tu, FULL_FORM_ANSWERS);
    expect(h.transport.sent.filter((s) => s.editOf === board!.messageId).at(-1)!.text).toContain("Xã Tân Khai: 1/8 khu đã nộp");
    expect(zaloBoards()).toBe(0);

    await h.say(hanh, "/baocao", { chatId: "-301" });
    for (const a of HANH_ANSWERS) await h.say(hanh, a, { chatId: "-301" });
    expect(h.transport.sent.filter((s) => s.editOf === board!.messageId).at(-1)!.text).toContain("Xã Một Ấp: 1/1 khu đã nộp");
    expect(zaloBoards()).toBe(1);
  });

  it("send leaders to their commune's group to register", async () => {
    h = new Harness();
    h.link("-300", "75");
    const [r] = await h.say(tu, "/dangky", { chatId: "-300" });
    expect(r!.text).toContain("nhóm này là nhóm của Tỉnh Đồng Nai");
    expect(r!.choices).toBeUndefined();
  });
});
