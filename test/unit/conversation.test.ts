import { afterEach, describe, expect, it } from "vitest";
import { FULL_FORM_ANSWERS, GROUP, Harness } from "../support/harness.js";
import { docxText } from "../support/docx-text.js";

const tu = { id: "101", name: "Tư" };
const hanh = { id: "102", name: "Hạnh" };
const minh = { id: "103", name: "Minh" };
const PERIOD = "2026-M11";

let h: Harness;
afterEach(() => h?.close());

function setup(): Harness {
  h = new Harness();
  h.link(GROUP, "25747");
  h.grant(minh, "commune_staff", "25747");
  return h;
}

describe("reporter flow", () => {
  it("registers, fills the whole form and posts a draft with Vietnamese figures", async () => {
    setup();
    const reg = await h.say(tu, "/dangky");
    expect(reg[0]!.choices?.length).toBe(8);
    const done = await h.say(tu, "1");
    expect(done[0]!.text).toContain("Ấp Bến Đò");
    const start = await h.say(tu, "/baocao");
    expect(start[0]!.text).toContain("tháng 11/2026");
    expect(start[0]!.text).toContain("hạn 16/11");
    expect(start[0]!.forceReply).toBe(true);
    let last: Awaited<ReturnType<Harness["say"]>> = [];
    for (const a of FULL_FORM_ANSWERS) last = await h.say(tu, a);
    const report = last.find((s) => s.file)!;
    expect(report.chatId).toBe(GROUP);
    expect(report.text).toContain("Ấp Bến Đò đã hoàn thành báo cáo tháng 11/2026");
    expect(report.text).toContain("10/15 vụ (66,7%)");
    const text = await docxText(report.file!.bytes);
    expect(text).toContain("3.850 lượt người");
    expect(text).toContain("hòa giải thành 10/15 vụ, đạt 66,7%");
    expect(text).toContain("15.000.000 đồng");
    expect(text).toContain("Kinh phí hoạt động còn hạn chế");
    expect(h.answers("25747-01", PERIOD)).toMatchObject({ tt_so_buoi: 12, tt_luot_nguoi: 3850, qvnn_van_dong: 15_000_000, kk_de_xuat: null });
  });

  it("echoes several figures of the same unit with the words that tell them apart", async () => {
    setup();
    h.grant(tu, "reporter", "25747-01");
    await h.say(tu, "/baocao");
    await h.say(tu, "12 buổi, 350 người");
    await h.say(tu, "/bo");
    const [r] = await h.say(tu, "15 vụ, thành 10, không thành 5");
    expect(r!.text).toContain("Ghi nhận: tiếp nhận 15 vụ, thành 10 vụ, không thành 5 vụ. ✔");
  });

  it("refuses a hard rule violation and stores nothing", async () => {
    setup();
    h.grant(tu, "reporter", "25747-01");
    await h.say(tu, "/baocao");
    await h.say(tu, "12 buổi, 350 người");
    await h.say(tu, "/bo");
    const r = await h.say(tu, "tiếp nhận 15, thành 17, không thành 0");
    expect(r[0]!.text).toContain("Số vụ hòa giải thành (17) không thể lớn hơn số vụ tiếp nhận (15)");
    expect(h.answers("25747-01", PERIOD)).not.toHaveProperty("hg_tiep_nhan");
  });

  it("keeps two people answering at once apart, and refuses replies to someone else's question", async () => {
    setup();
    h.grant(tu, "reporter", "25747-01");
    h.grant(hanh, "reporter", "25747-02");
    await h.say(tu, "/baocao");
    await h.say(hanh, "/baocao");
    await h.say(tu, "12 buổi, 350 người");
    await h.say(hanh, "3 buổi, 90 người");
    const tuQuestion = h.lastQuestionTo(tu)!;
    const intrusion = await h.say(hanh, "99", { reply: tuQuestion.messageId });
    expect(intrusion[0]!.text).toContain("dành cho Tư");
    expect(h.answers("25747-01", PERIOD)).toMatchObject({ tt_so_buoi: 12, tt_luot_nguoi: 350 });
    expect(h.answers("25747-02", PERIOD)).toMatchObject({ tt_so_buoi: 3, tt_luot_nguoi: 90 });
  });

  it("asks to confirm an implausible figure and keeps it only when confirmed", async () => {
    setup();
    h.grant(tu, "reporter", "25747-01");
    await h.say(tu, "/baocao");
    const warn = await h.say(tu, "2 buổi, 3000 người");
    expect(warn[0]!.text).toContain("khá cao");
    expect(h.answers("25747-01", PERIOD)).toEqual({});
    await h.say(tu, "đúng");
    expect(h.answers("25747-01", PERIOD)).toMatchObject({ tt_so_buoi: 2, tt_luot_nguoi: 3000 });
  });

  it("goes back with /lai, pauses with /huy and resumes with /baocao", async () => {
    setup();
    h.grant(tu, "reporter", "25747-01");
    await h.say(tu, "/baocao");
    await h.say(tu, "12 buổi, 350 người");
    const back = await h.say(tu, "/lai");
    expect(back[0]!.text).toContain("Đã quay lại");
    expect(h.answers("25747-01", PERIOD)).toEqual({});
    await h.say(tu, "10 buổi, 300 người");
    const pause = await h.say(tu, "/huy");
    expect(pause[0]!.text).toContain("tạm dừng");
    const resume = await h.say(tu, "/baocao");
    expect(resume[0]!.text).toContain("tiếp tục");
    expect(resume[0]!.text).toContain("Hình thức tuyên truyền");
  });

  it("edits a figure after completion, keeps an audit trail and posts a new draft", async () => {
    setup();
    h.grant(tu, "reporter", "25747-01");
    await h.say(tu, "/baocao");
    for (const a of FULL_FORM_ANSWERS) await h.say(tu, a);
    const list = await h.say(tu, "/sua");
    expect(list[0]!.text).toContain("1. Số buổi tuyên truyền");
    const edited = await h.say(tu, "/sua 1 14");
    const draft = edited.find((s) => s.file)!;
    expect(draft.text).toContain("12 buổi → 14 buổi");
    expect(await docxText(draft.file!.bytes)).toContain("14 buổi tuyên truyền");
    const audit = h.core.db.prepare("SELECT field_id, old_json, new_json, by_name FROM answer_history").all();
    expect(audit).toEqual([{ field_id: "tt_so_buoi", old_json: "12", new_json: "14", by_name: "Tư" }]);
  });

  it("refuses /baocao to someone not registered, and /lienket to a reporter", async () => {
    setup();
    const r = await h.say(tu, "/baocao");
    expect(r[0]!.text).toContain("chỉ dành cho trưởng ban");
    h.grant(tu, "reporter", "25747-01");
    const l = await h.say(tu, "/lienket 25747");
    expect(l[0]!.text).toContain("chỉ dành cho cán bộ");
  });

  it("processes a redelivered update once", async () => {
    setup();
    h.grant(tu, "reporter", "25747-01");
    await h.say(tu, "/baocao");
    const q = h.lastQuestionTo(tu)!;
    const ev = { updateKey: "dup-1", chat: { id: GROUP, type: "group" as const }, from: tu, messageId: "x1", replyTo: { messageId: q.messageId, fromBot: true }, body: { kind: "text" as const, text: "12 buổi, 350 người" } };
    const first = await h.send(ev);
    const second = await h.send(ev);
    expect(first.length).toBe(1);
    expect(second.length).toBe(0);
  });
});

describe("private continuation, periods, membership and odd input", () => {
  it("continues privately through the deep link and still posts the draft to the group", async () => {
    setup();
    h.grant(tu, "reporter", "25747-01");
    const start = await h.say(tu, "/baocao");
    expect(start[0]!.privateLink?.token).toBe("tok1");
    await h.say(tu, "12 buổi, 350 người");
    const priv = await h.say(tu, "/start p_tok1", { chatId: tu.id });
    expect(priv[0]!.text).toContain("tiếp tục báo cáo tháng 11/2026 của Ấp Bến Đò ở đây");
    expect(priv[0]!.text).toContain("Hình thức tuyên truyền");
    let last: Awaited<ReturnType<Harness["say"]>> = [];
    for (const a of FULL_FORM_ANSWERS.slice(1)) last = await h.say(tu, a, { chatId: tu.id });
    expect(last.find((s) => s.file)?.chatId).toBe(GROUP);
    expect(last.find((s) => !s.file)?.text).toContain("gửi vào nhóm");
    // The link works once, and only for the person it was made for.
    const again = await h.say(hanh, "/start p_tok1", { chatId: hanh.id });
    expect(again[0]!.text).toContain("không còn dùng được");
  });

  it("moves everything to the new id when the group becomes a supergroup", async () => {
    setup();
    h.grant(tu, "reporter", "25747-01");
    await h.say(tu, "/baocao");
    await h.send({ chat: { id: GROUP, type: "group" }, from: tu, body: { kind: "migrated", toChatId: "-100999" } });
    const r = await h.say(tu, "12 buổi, 350 người", { chatId: "-100999", reply: false });
    expect(r[0]!.text).toContain("Ghi nhận: 12 buổi, 350 lượt người");
    expect(r[0]!.chatId).toBe("-100999");
  });

  it("answers stickers addressed to it politely, ignores edits and garbage from bystanders, refuses walls of text", async () => {
    setup();
    h.grant(tu, "reporter", "25747-01");
    await h.say(tu, "/baocao");
    const q = h.lastQuestionTo(tu)!;
    const media = await h.send({ chat: { id: GROUP, type: "group" }, from: tu, messageId: "s1", replyTo: { messageId: q.messageId, fromBot: true }, body: { kind: "media" } });
    expect(media[0]!.text).toContain("chỉ đọc được tin nhắn chữ");
    expect(await h.send({ chat: { id: GROUP, type: "group" }, from: tu, body: { kind: "edited" } })).toEqual([]);
    expect(await h.say(hanh, "🙂🙂🙂", { reply: false })).toEqual([]);
    const emoji = await h.say(tu, "🙂🙂🙂");
    expect(emoji[0]!.text).toContain("chưa đọc được");
    const long = await h.say(tu, "1".repeat(6000));
    expect(long[0]!.text).toContain("dài quá");
    expect(h.answers("25747-01", PERIOD)).toEqual({});
  });

  it("lets staff open another period, list and revoke registrations; refuses others", async () => {
    setup();
    h.grant(tu, "reporter", "25747-01");
    expect((await h.say(tu, "/moky tháng 10/2026"))[0]!.text).toContain("chỉ dành cho cán bộ");
    expect((await h.say(minh, "/moky quý 3"))[0]!.text).toContain("theo tháng");
    expect((await h.say(minh, "/moky thang 10/2026"))[0]!.text).toContain("Đã mở kỳ báo cáo tháng 10/2026");
    expect((await h.say(tu, "/baocao"))[0]!.text).toContain("báo cáo tháng 10/2026");
    expect((await h.say(minh, "/moky tự động"))[0]!.text).toContain("tháng 11/2026");
    const list = await h.say(minh, "/danhsach");
    expect(list[0]!.text).toContain("1. Tư — Ấp Bến Đò");
    expect((await h.say(minh, "/thuhoi 1"))[0]!.text).toContain("Đã thu hồi đăng ký của Tư");
    await h.say(tu, "/huy");
    expect((await h.say(tu, "/baocao"))[0]!.text).toContain("chỉ dành cho trưởng ban");
  });

  it("redeems an invite code once and shows each person only their commands", async () => {
    setup();
    const code = (await import("../../src/store/invites.js")).createInvite(h.core.db, "commune_staff", "25750", h.clock.now());
    const ok = await h.say(hanh, `/dangky ${code}`);
    expect(ok[0]!.text).toContain("Đã cấp quyền cán bộ Mặt trận xã (Xã Tân Quan)");
    expect((await h.say(tu, `/dangky ${code}`))[0]!.text).toContain("không đúng hoặc đã được dùng");
    expect((await h.say(hanh, "/lienket 25747"))[0]!.text).toContain("chỉ liên kết được nhóm với xã mình phụ trách");
    const help = (await h.say(tu, "/trogiup"))[0]!.text;
    expect(help).not.toContain("/lienket");
    expect((await h.say(minh, "/trogiup"))[0]!.text).toContain("/lienket");
  });
});
