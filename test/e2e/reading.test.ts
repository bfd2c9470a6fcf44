// The readings of "What we saw" in issue 8, through the real bot in process (core, store and outbox on an
// in-memory database): what is stored, and the one message the person sees each turn. Every figure typed is
// either stored where it was meant, with an echo naming it, or asked about before anything is stored.
import { afterEach, describe, expect, it } from "vitest";
import { FULL_FORM_ANSWERS, GROUP, Harness, type Sent } from "../support/harness.js";
import { renderPlain } from "../../src/adapters/zalo/render.js";

const tu = { id: "101", name: "Tư" };
const AREA = "25747-01";
const PERIOD = "2026-M11";

let h: Harness;
afterEach(() => h?.close());

/** Tư, registered for Ấp Bến Đò, has answered the form up to (not including) answer number `upTo`. */
async function at(upTo: number): Promise<void> {
  h = new Harness();
  h.link(GROUP, "25747");
  h.grant(tu, "reporter", AREA);
  await h.say(tu, "/baocao");
  for (const a of FULL_FORM_ANSWERS.slice(0, upTo)) await h.say(tu, a);
}

/** One turn: exactly one message to the person, and its text. */
async function turn(text: string): Promise<Sent> {
  const sent = await h.say(tu, text);
  expect(sent.filter((s) => s.text).length, `one bot message for “${text}”`).toBe(1);
  return sent.find((s) => s.text)!;
}

const stored = () => h.answers(AREA, PERIOD);
const QUY = 5; // the poverty-fund question comes sixth in FULL_FORM_ANSWERS
const HOA_GIAI = 2;
const GIAM_SAT = 7;

describe("money with a keyword between the figures", () => {
  it("stores “20 trieu chi 15 trieu 7 ho” as vận động 20 triệu, chi 15 triệu, 7 hộ and says so", async () => {
    await at(QUY);
    const r = await turn("20 trieu chi 15 trieu 7 ho");
    expect(r.text).toContain("Ghi nhận: vận động 20.000.000 đồng, chi 15.000.000 đồng, giúp 7 hộ. ✔");
    expect(stored()).toMatchObject({ qvnn_van_dong: 20_000_000, qvnn_chi: 15_000_000, qvnn_so_ho: 7 });
  });

  it("stores “1tr5 chi 500k giup 2 ho” the same way", async () => {
    await at(QUY);
    const r = await turn("1tr5 chi 500k giup 2 ho");
    expect(r.text).toContain("Ghi nhận: vận động 1.500.000 đồng, chi 500.000 đồng, giúp 2 hộ. ✔");
    expect(stored()).toMatchObject({ qvnn_van_dong: 1_500_000, qvnn_chi: 500_000, qvnn_so_ho: 2 });
  });

  it("asks “nghìn hay triệu” for amounts typed without a unit, and stores them after “triệu”", async () => {
    await at(QUY);
    const q = await turn("van dong 20 chi 15 giup 7 ho");
    expect(q.text).toContain("Em ghi tạm giúp 7 hộ.");
    expect(q.text).toContain("vận động 20, chi 15 là nghìn đồng hay triệu đồng ạ?");
    expect(stored()).not.toHaveProperty("qvnn_van_dong");
    const r = await turn("triệu");
    expect(r.text).toContain("Ghi nhận: vận động 20.000.000 đồng, chi 15.000.000 đồng, giúp 7 hộ. ✔");
    expect(stored()).toMatchObject({ qvnn_van_dong: 20_000_000, qvnn_chi: 15_000_000, qvnn_so_ho: 7 });
  });
});

describe("mediation and petitions: keywords before the figure they name", () => {
  it.each(["15 vu thanh 10 khong thanh 5", "15 vụ thành 10 vụ không thành 5 vụ"])("stores %j as 15 received, 10 and 5", async (answer) => {
    await at(HOA_GIAI);
    const r = await turn(answer);
    expect(r.text).toContain("Ghi nhận: tiếp nhận 15 vụ, thành 10 vụ, không thành 5 vụ. ✔");
    expect(r.text).not.toContain("không thể lớn hơn");
    expect(stored()).toMatchObject({ hg_tiep_nhan: 15, hg_thanh: 10, hg_khong_thanh: 5 });
  });

  it("stores “1 cuoc giam sat tiep dan 4 luot 3 don xu ly 2” as 1 cuộc, 4 lượt, 3 đơn, 2 processed", async () => {
    await at(GIAM_SAT);
    const r = await turn("1 cuoc giam sat tiep dan 4 luot 3 don xu ly 2");
    expect(r.text).toContain("Ghi nhận: giám sát 1 cuộc, tiếp dân 4 lượt, nhận 3 đơn, đã xử lý 2 đơn. ✔");
    expect(stored()).toMatchObject({ gs_so_cuoc: 1, gs_tiep_dan: 4, gs_don_nhan: 3, gs_don_xu_ly: 2 });
  });

  it("asks when a keyword between two bare figures may name either, and reads the retyped answer afresh", async () => {
    await at(HOA_GIAI);
    const q = await turn("tiếp nhận 15 10 thành 5");
    expect(q.text).toMatch(/^Dạ, em hiểu là tiếp nhận 15 vụ, .*đúng không ạ\?$/);
    expect(q.choices?.flat().map((c) => c.label)).toEqual(["Có", "Không"]);
    expect(stored()).not.toHaveProperty("hg_tiep_nhan");
    const no = await h.press(tu, q.messageId, "ok:0");
    expect(no.find((s) => s.text)!.text).toContain("anh/chị nhập lại giúp em");
    const r = await turn("tiếp nhận 15, thành 10, không thành 5");
    expect(r.text).toContain("Ghi nhận: tiếp nhận 15 vụ, thành 10 vụ, không thành 5 vụ. ✔");
    expect(stored()).toMatchObject({ hg_tiep_nhan: 15, hg_thanh: 10, hg_khong_thanh: 5 });
  });
});

describe("the first question answered in part or in words", () => {
  it("holds “350 nguoi”, asks for the sessions, and stores both with the reply", async () => {
    await at(0);
    const q = await turn("350 nguoi");
    expect(q.text).toContain("Em ghi tạm 350 lượt người.");
    expect(q.text).toContain("mấy buổi tuyên truyền");
    expect(stored()).toEqual({});
    const r = await turn("12");
    expect(r.text).toContain("Ghi nhận: 12 buổi, 350 lượt người. ✔");
    expect(stored()).toMatchObject({ tt_so_buoi: 12, tt_luot_nguoi: 350 });
  });

  it("stores “mười buổi, hai trăm người” as 10 sessions and 200 attendees", async () => {
    await at(0);
    const r = await turn("mười buổi, hai trăm người");
    expect(r.text).toContain("Ghi nhận: 10 buổi, 200 lượt người. ✔");
    expect(stored()).toMatchObject({ tt_so_buoi: 10, tt_luot_nguoi: 200 });
  });

  it("stores “muoi buoi” as 10 sessions and asks for the attendees next", async () => {
    await at(0);
    const r = await turn("muoi buoi");
    expect(r.text).toContain("Ghi nhận: 10 buổi. ✔");
    expect(r.text).toContain("Có bao nhiêu lượt người tham dự");
    expect(stored()).toEqual({ tt_so_buoi: 10 });
  });

  it("confirms a lone figure before storing it, with Có/Không (a typed có/không on Zalo)", async () => {
    await at(0);
    const q = await turn("12");
    expect(q.text).toBe("Dạ, em hiểu là 12 buổi, đúng không ạ?");
    const m = h.core.prompts.messages;
    expect(renderPlain(q, { messages: m, botName: "Bot MTTQ", botLink: "https://zalo.me/1" })).toBe(`${q.text}\n${m.plain_confirm_hint}`);
    expect(stored()).toEqual({});
    const yes = await h.press(tu, q.messageId, "ok:1");
    expect(yes.find((s) => s.text)!.text).toContain("Ghi nhận: 12 buổi. ✔");
    expect(stored()).toEqual({ tt_so_buoi: 12 });
  });

  it("does not take a contradiction for an answer: 0 sessions after 350 attendees", async () => {
    await at(0);
    await turn("350 người");
    const r = await turn("0");
    expect(r.text).toContain("nên không có 350 lượt người");
    expect(stored()).toEqual({});
  });
});

describe("a yes with the figures of the next question", () => {
  it("stores the yes and the five voter-meeting figures in one turn", async () => {
    await at(3);
    const r = await turn("có, 2 điểm, 5 đại biểu, 454 cử tri, 34 lượt phát biểu, 72 kiến nghị");
    expect(r.text).toContain("Ghi nhận: có, 2 điểm, 5 đại biểu, 454 cử tri, phát biểu 34 lượt, kiến nghị 72 nội dung. ✔");
    expect(stored()).toMatchObject({ txct_co: true, txct_so_diem: 2, txct_dai_bieu: 5, txct_cu_tri: 454, txct_phat_bieu: 34, txct_kien_nghi: 72 });
  });
});

describe("uncertain figures are asked about", () => {
  it("asks which of “10 hay 12 buổi”, holding the attendees", async () => {
    await at(0);
    const q = await turn("khoảng 10 hay 12 buổi, 300 người");
    expect(q.text).toContain("Em ghi tạm 300 lượt người.");
    expect(q.text).toContain("10 buổi hay 12 buổi");
    const r = await turn("12 buổi");
    expect(r.text).toContain("Ghi nhận: 12 buổi, 300 lượt người. ✔");
    expect(stored()).toMatchObject({ tt_so_buoi: 12, tt_luot_nguoi: 300 });
  });
});
