// An answer belongs to the question it answers: replies to older questions, taps on old buttons and the second
// answer to a question sent twice are applied to their own question (with an echo) or set aside politely —
// never stored in the field that happens to be current. Through the real core, store and outbox (in-process).
import { afterEach, describe, expect, it } from "vitest";
import { FULL_FORM_ANSWERS, GROUP, Harness, type Sent } from "../support/harness.js";

const tu = { id: "101", name: "Tư" };
const hanh = { id: "102", name: "Hạnh" };
const minh = { id: "103", name: "Minh" };
const AREA = "25747-01";
const PERIOD = "2026-M11";

let h: Harness;
afterEach(() => h?.close());

function setup(): Harness {
  h = new Harness();
  h.link(GROUP, "25747");
  h.grant(minh, "commune_staff", "25747");
  h.grant(tu, "reporter", AREA);
  h.grant(hanh, "reporter", "25747-02");
  return h;
}

/** Answers the form up to (not including) answer `n` of FULL_FORM_ANSWERS; returns the bot's question for each. */
async function answerUpTo(n: number): Promise<Sent[]> {
  const questions = [(await h.say(tu, "/baocao"))[0]!];
  for (const a of FULL_FORM_ANSWERS.slice(0, n)) questions.push((await h.say(tu, a))[0]!);
  return questions;
}

const only = (sent: Sent[]): Sent => {
  const chat = sent.filter((s) => s.text);
  expect(chat).toHaveLength(1);
  return chat[0]!;
};

describe("a late answer to an earlier question", () => {
  it("a late “Không” on the voter-meeting question does not become the poverty fund's figures", async () => {
    setup();
    const asked = await answerUpTo(3);
    const voterQuestion = asked[3]!;
    expect(voterQuestion.body).toContain("tiếp xúc cử tri không?");
    expect(voterQuestion.question).toMatchObject({ kind: "yesno", topic: "form", fields: ["txct_co"] });
    await h.say(tu, "không");
    expect(h.lastQuestionTo(tu)!.question!.fields).toEqual(["qvnn_van_dong", "qvnn_chi", "qvnn_so_ho"]);
    // The old button, and the old question replied to in words: the same answer again, nothing else changes.
    for (const late of [() => h.press(tu, voterQuestion.messageId, "v:txct_co:0"), () => h.say(tu, "Không", { reply: voterQuestion.messageId })]) {
      const r = only(await late());
      expect(r.text).toContain("câu hỏi về “Có tổ chức tiếp xúc cử tri” em đã ghi nhận rồi (không), không có gì thay đổi");
      expect(r.text).toContain("Mời anh/chị trả lời câu hỏi đang chờ:");
      expect(r.text).toContain("vận động Quỹ “Vì người nghèo”");
      expect(r.question!.fields).toEqual(["qvnn_van_dong", "qvnn_chi", "qvnn_so_ho"]);
      expect(h.answers(AREA, PERIOD)).not.toHaveProperty("qvnn_van_dong");
      expect(h.answers(AREA, PERIOD)).toMatchObject({ txct_co: false });
    }
    // The current question still takes its answer.
    expect(only(await h.say(tu, "vận động 15 triệu, chi 10tr, giúp 12 hộ")).text).toContain("Ghi nhận: vận động 15.000.000 đồng");
  });

  it("a late tap that changes an earlier answer is applied to that question, echoed, and the form follows it", async () => {
    setup();
    const asked = await answerUpTo(5);
    const voterQuestion = asked[3]!;
    expect(h.answers(AREA, PERIOD)).toMatchObject({ txct_co: true, txct_cu_tri: 454 });
    const r = only(await h.press(tu, voterQuestion.messageId, "v:txct_co:0"));
    expect(r.text).toContain("Dạ, em sửa theo câu trả lời cho câu hỏi về “Có tổ chức tiếp xúc cử tri”: Có tổ chức tiếp xúc cử tri có → không. ✔");
    expect(h.answers(AREA, PERIOD)).toMatchObject({ txct_co: false });
    expect(r.question!.fields).toEqual(["qvnn_van_dong", "qvnn_chi", "qvnn_so_ho"]);
  });

  it("a reply to the old mediation question corrects mediation, not the oversight figures being asked", async () => {
    setup();
    const asked = await answerUpTo(7);
    const mediation = asked[2]!;
    expect(mediation.question!.fields).toEqual(["hg_tiep_nhan", "hg_thanh", "hg_khong_thanh"]);
    expect(h.lastQuestionTo(tu)!.question!.fields).toEqual(["gs_so_cuoc", "gs_tiep_dan", "gs_don_nhan", "gs_don_xu_ly"]);
    const r = only(await h.say(tu, "tiếp nhận 15, thành 12, không thành 3", { reply: mediation.messageId }));
    expect(r.text).toContain("Dạ, em sửa theo câu trả lời cho câu hỏi về “Hòa giải ở cơ sở”: Số vụ hòa giải thành 10 vụ → 12 vụ; Số vụ hòa giải không thành 5 vụ → 3 vụ. ✔");
    expect(r.text).toContain("Trong kỳ có mấy cuộc giám sát");
    const stored = h.answers(AREA, PERIOD);
    expect(stored).toMatchObject({ hg_tiep_nhan: 15, hg_thanh: 12, hg_khong_thanh: 3 });
    expect(Object.keys(stored).filter((k) => k.startsWith("gs_"))).toEqual([]);
  });

  it("a late answer that breaks a rule is refused with the rule's words and changes nothing", async () => {
    setup();
    const asked = await answerUpTo(7);
    const r = only(await h.say(tu, "tiếp nhận 15, thành 17, không thành 0", { reply: asked[2]!.messageId }));
    expect(r.text).toContain("Số vụ hòa giải thành (17) không thể lớn hơn số vụ tiếp nhận (15).");
    expect(r.text).toContain("Em giữ nguyên các số đã ghi");
    expect(h.answers(AREA, PERIOD)).toMatchObject({ hg_thanh: 10, hg_khong_thanh: 5 });
  });

  it("a late answer that raises a warning is confirmed with the usual buttons before it is stored", async () => {
    setup();
    const asked = await answerUpTo(7);
    const r = only(await h.say(tu, "12 buổi, 9000 người", { reply: asked[0]!.messageId }));
    expect(r.text).toContain("Dạ, về câu hỏi “Tuyên truyền, phổ biến, giáo dục pháp luật”:");
    expect(r.text).toContain("Trung bình mỗi buổi có 750 người dự");
    expect(r.question).toMatchObject({ kind: "confirm", fields: ["tt_so_buoi", "tt_luot_nguoi"] });
    expect(h.answers(AREA, PERIOD)).toMatchObject({ tt_luot_nguoi: 3850 });
    // While it waits, an answer to another question is not taken, and the confirmation is asked again.
    const other = only(await h.say(tu, "1 cuộc giám sát, 5 lượt tiếp dân, 3 đơn, đã xử lý 2", { reply: h.transport.sent.find((s) => s.question?.fields?.[0] === "gs_so_cuoc")!.messageId }));
    expect(other.text).toContain("bấm “Đúng, giữ nguyên” hoặc nhập con số khác");
    expect(other.text).toContain("Trung bình mỗi buổi có 750 người dự");
    expect(h.answers(AREA, PERIOD)).not.toHaveProperty("gs_so_cuoc");
    const kept = only(await h.press(tu, r.messageId, "ok:1"));
    expect(kept.text).toContain("Ghi nhận: 9.000 lượt người");
    expect(h.answers(AREA, PERIOD)).toMatchObject({ tt_luot_nguoi: 9000 });
    expect(kept.question!.fields).toEqual(["gs_so_cuoc", "gs_tiep_dan", "gs_don_nhan", "gs_don_xu_ly"]);
  });

  it("an old confirmation button confirms nothing", async () => {
    setup();
    await h.say(tu, "/baocao");
    const warn = only(await h.say(tu, "2 buổi, 5000 người"));
    expect(warn.question!.kind).toBe("confirm");
    await h.press(tu, warn.messageId, "ok:0");
    await h.say(tu, "2 buổi, 50 người");
    // The old "keep" button cannot confirm anything now…
    const stale = await h.press(tu, warn.messageId, "ok:1");
    expect(stale.filter((s) => s.text)).toEqual([]);
    expect(stale[0]!.callback!.text).toContain("đã qua rồi");
    expect(h.answers(AREA, PERIOD)).toMatchObject({ tt_luot_nguoi: 50 });
    // …not even a later confirmation of other figures for the same question.
    const attendees = h.transport.sent.find((s) => s.question?.fields?.join() === "tt_so_buoi,tt_luot_nguoi")!;
    const again = only(await h.say(tu, "2 buổi, 6000 người", { reply: attendees.messageId }));
    expect(again.question).toMatchObject({ kind: "confirm", values: { tt_luot_nguoi: 6000 } });
    const old = await h.press(tu, warn.messageId, "ok:1");
    expect(old[0]!.callback!.text).toContain("đã qua rồi");
    expect(h.answers(AREA, PERIOD)).toMatchObject({ tt_luot_nguoi: 50 });
    await h.press(tu, again.messageId, "ok:0");
  });

  it("a reply to a question that no longer applies is set aside", async () => {
    setup();
    const asked = await answerUpTo(5);
    await h.press(tu, asked[3]!.messageId, "v:txct_co:0");
    const details = asked[4]!;
    expect(details.question!.fields).toContain("txct_cu_tri");
    const r = only(await h.say(tu, "3 điểm, 5 đại biểu, 500 cử tri, 30 lượt phát biểu, 60 kiến nghị", { reply: details.messageId }));
    expect(r.text).toContain("câu hỏi về “Tiếp xúc cử tri” không còn áp dụng theo các số đã nhập nên em chưa ghi gì");
    expect(r.text).toContain("vận động Quỹ “Vì người nghèo”");
    expect(h.answers(AREA, PERIOD)).toMatchObject({ txct_co: false, txct_cu_tri: 454 });
  });
});

describe("a question sent twice", () => {
  it("answered on both copies, in either order, shifts nothing", async () => {
    for (const order of [["first", "second"], ["second", "first"]] as const) {
      setup();
      await answerUpTo(7);
      // The question about difficulties reaches the group, but the bot never learns it did, and sends it again.
      h.transport.loseNextReceipts(1);
      const copies = (await h.say(tu, FULL_FORM_ANSWERS[7]!)).filter((s) => s.question);
      expect(copies).toHaveLength(2);
      expect(copies[0]!.body).toBe(copies[1]!.body);
      const copy = { first: copies[0]!, second: copies[1]! };
      const a = only(await h.say(tu, "Kinh phí hoạt động còn hạn chế", { reply: copy[order[0]].messageId }));
      expect(a.text, order.join()).toContain("Ghi nhận: “Kinh phí hoạt động còn hạn chế”");
      const b = only(await h.say(tu, "Kinh phí hoạt động còn hạn chế", { reply: copy[order[1]].messageId }));
      expect(b.text, order.join()).toContain("em đã ghi nhận rồi");
      expect(b.text).toContain("đề xuất, kiến nghị");
      expect(h.answers(AREA, PERIOD), order.join()).not.toHaveProperty("kk_de_xuat");
      const done = await h.say(tu, "Đề nghị hỗ trợ thêm tài liệu tuyên truyền");
      expect(done.some((s) => s.file)).toBe(true);
      expect(h.answers(AREA, PERIOD)).toMatchObject({ kk_kho_khan: "Kinh phí hoạt động còn hạn chế", kk_de_xuat: "Đề nghị hỗ trợ thêm tài liệu tuyên truyền" });
      h.close();
    }
  });

  it("after several lost sends, each unrecorded copy is matched to its own retry", async () => {
    setup();
    await answerUpTo(7);
    h.transport.loseNextReceipts(1);
    const [x1, y1] = (await h.say(tu, FULL_FORM_ANSWERS[7]!)).filter((s) => s.question);
    h.transport.loseNextReceipts(1);
    const [x2, y2] = (await h.say(tu, "Kinh phí hoạt động còn hạn chế", { reply: y1!.messageId })).filter((s) => s.question);
    expect(x2!.question!.fields).toEqual(["kk_de_xuat"]);
    expect(y2!.body).toBe(x2!.body);
    // The first question's earlier copy: already answered, nothing moves.
    const same = only(await h.say(tu, "Kinh phí hoạt động còn hạn chế", { reply: x1!.messageId }));
    expect(same.text).toContain("em đã ghi nhận rồi");
    // The second question's earlier copy: the question waiting, answered as usual.
    const done = await h.say(tu, "Đề nghị hỗ trợ thêm tài liệu tuyên truyền", { reply: x2!.messageId });
    expect(done.some((s) => s.file)).toBe(true);
    expect(h.answers(AREA, PERIOD)).toMatchObject({ kk_kho_khan: "Kinh phí hoạt động còn hạn chế", kk_de_xuat: "Đề nghị hỗ trợ thêm tài liệu tuyên truyền" });
  });

  it("a reply to a message the bot has no record of, and that is no lost copy, goes to the current question", async () => {
    setup();
    await answerUpTo(8);
    const r = only(await h.say(tu, "Kinh phí hoạt động còn hạn chế", { reply: "999999" }));
    expect(r.text).toContain("Ghi nhận: “Kinh phí hoạt động còn hạn chế”");
    expect(r.question!.fields).toEqual(["kk_de_xuat"]);
  });
});
