// Who may do what, in-process: moving a group's link, second leaders approved by staff, revocation and leaving
// that take effect at once, choosing among one's own areas, and the full name that signs the drafts.
import { afterEach, describe, expect, it } from "vitest";
import { FULL_FORM_ANSWERS, GROUP, Harness, type Who } from "../support/harness.js";
import { docxText } from "../support/docx-text.js";
import { looksLikeFullName, tidyFullName } from "../../src/core/conversation/full-name.js";

const tu = { id: "101", name: "Nguyễn Văn Tư" };
const hanh = { id: "102", name: "Hạnh" };
const minh = { id: "103", name: "Minh" };
const lan = { id: "104", name: "Lan" };
const PERIOD = "2026-M11";

let h: Harness;
afterEach(() => h?.close());

async function setup(): Promise<Harness> {
  h = new Harness();
  h.link(GROUP, "25747");
  h.grant(minh, "commune_staff", "25747");
  await h.say(minh, "/trogiup"); // staff have spoken in the group: their names are known
  return h;
}

const rows = <T>(sql: string, ...params: unknown[]) => h.core.db.prepare(sql).all(...params) as T[];

async function register(who: Who, choice: string) {
  await h.say(who, "/dangky");
  return h.say(who, choice);
}

describe("moving a group's link", () => {
  it("refuses staff of another commune, and records and announces a move by someone over both units", async () => {
    await setup();
    h.grant(lan, "commune_staff", "25750");
    const refused = await h.say(lan, "/lienket 25750");
    expect(refused[0]!.text).toContain("nhóm này đang được liên kết với Xã Tân Khai");
    expect(rows<{ unit_code: string }>("SELECT unit_code FROM chats WHERE chat_id = ?", GROUP)).toEqual([{ unit_code: "25747" }]);
    expect((await h.say(minh, "/lienket 25747"))[0]!.text).toContain("đã được liên kết với Xã Tân Khai rồi");

    // An area leader of Tân Khai is half-way through a form when a province officer moves the group.
    h.grant(hanh, "reporter", "25747-02");
    await h.say(hanh, "/baocao");
    const officer = { id: "105", name: "Quân" };
    h.grant(officer, "officer", "75");
    const moved = await h.say(officer, "/lienket 25750");
    expect(moved[0]!.text).toContain("Quân đã chuyển liên kết của nhóm này từ Xã Tân Khai sang Xã Tân Quan");
    expect(moved[0]!.text).toContain("Các báo cáo của Xã Tân Khai đang nhập dở trong nhóm đã dừng lại");
    expect(rows("SELECT old_unit, new_unit, by_person, by_name FROM chat_link_log")).toEqual([
      { old_unit: "25747", new_unit: "25750", by_person: "telegram:105", by_name: "Quân" },
    ]);
    // Hạnh's answer no longer lands anywhere.
    expect((await h.say(hanh, "12 buổi, 350 người"))[0]!.text).toContain("chưa có báo cáo đang nhập");
    expect(h.answers("25747-02", PERIOD)).toEqual({});
  });
});

describe("a second leader for an area", () => {
  it("becomes a request that only staff may approve, by button or command", async () => {
    await setup();
    await register(tu, "1");
    const req = await register(hanh, "1");
    expect(req[0]!.text).toContain("Ấp Bến Đò đã có trưởng ban công tác Mặt trận là Nguyễn Văn Tư");
    expect(req[0]!.text).toContain("đề nghị số 1 của anh/chị Hạnh tới Minh");
    expect(req[0]!.owner).toBeUndefined();
    expect(req[0]!.mentions).toEqual([{ userId: minh.id, name: "Minh" }]);
    expect(rows("SELECT role FROM roles WHERE user_id = ?", hanh.id)).toEqual([]);
    // Asking again does not make a second request; a bystander's press and a forged id are refused.
    expect((await register(hanh, "1"))[0]!.text).toContain("đề nghị số 1 của anh/chị Hạnh cho Ấp Bến Đò đang chờ");
    const bystander = await h.press(tu, req[0]!.messageId, "rq:1:1");
    expect(bystander[0]!.callback?.text).toContain("chỉ cán bộ Mặt trận phụ trách Ấp Bến Đò");
    expect((await h.press(minh, req[0]!.messageId, "rq:1:99"))[0]!.callback?.text).toContain("đã qua");
    expect(rows("SELECT role FROM roles WHERE user_id = ?", hanh.id)).toEqual([]);

    const ok = await h.press(minh, req[0]!.messageId, "rq:1:1");
    expect(ok.find((s) => s.editOf === req[0]!.messageId)?.text).toContain("Minh đã đồng ý");
    const told = ok.find((s) => !s.editOf && s.text)!;
    expect(told.text).toContain("Hạnh: anh/chị Minh đã đồng ý đề nghị số 1");
    expect(told.text).toContain("(cùng Nguyễn Văn Tư)");
    // Hạnh's chat name is a nickname: the same message asks for the full name.
    expect(told.text).toContain("họ và tên đầy đủ");
    expect(rows("SELECT role, unit_code, granted_by FROM roles WHERE user_id = ?", hanh.id)).toEqual([
      { role: "reporter", unit_code: "25747-01", granted_by: "request:1:telegram:103" },
    ]);
    expect((await h.press(minh, req[0]!.messageId, "rq:0:1"))[0]!.callback?.text).toContain("đã được xử lý");
  });

  it("is listed with /yeucau and refused with a reason, also from a private chat", async () => {
    await setup();
    h.grant(tu, "reporter", "25747-02");
    await register(hanh, "2");
    expect((await h.say(tu, "/yeucau"))[0]!.text).toContain("chỉ dành cho cán bộ");
    const list = await h.say(minh, "/yeucau", { chatId: minh.id });
    expect(list[0]!.text).toContain("Số 1: Hạnh — Ấp Cây Dầu (trưởng ban hiện có: Nguyễn Văn Tư)");
    expect((await h.say(minh, "/tuchoi", { chatId: minh.id }))[0]!.text).toContain("/tuchoi kèm số đề nghị");
    const done = await h.say(minh, "/tuchoi 1 đã có người phụ trách", { chatId: minh.id });
    expect(done.find((s) => s.chatId === minh.id)?.text).toContain("Minh đã từ chối");
    expect(done.find((s) => s.chatId === GROUP && !s.editOf)?.text).toContain("chưa được cán bộ Mặt trận xã đồng ý (lý do: đã có người phụ trách)");
    expect(rows("SELECT status, reason, decided_by_name FROM registration_requests")).toEqual([
      { status: "refused", reason: "đã có người phụ trách", decided_by_name: "Minh" },
    ]);
    expect((await h.say(minh, "/chapnhan 1"))[0]!.text).toContain("không có đề nghị số 1 đang chờ");
  });

  it("cannot be approved by staff of another commune", async () => {
    await setup();
    h.grant(tu, "reporter", "25747-01");
    h.grant(lan, "commune_staff", "25750");
    await register(hanh, "1");
    expect((await h.say(lan, "/chapnhan 1", { chatId: lan.id }))[0]!.text).toContain("chỉ cán bộ Mặt trận phụ trách Ấp Bến Đò");
    expect(rows("SELECT status FROM registration_requests")).toEqual([{ status: "pending" }]);
  });
});

describe("revocation and leaving take effect at once", () => {
  it("/thuhoi stops the open form, drops the queued question and refuses every later answer", async () => {
    await setup();
    h.grant(tu, "reporter", "25747-01");
    await h.say(tu, "/baocao");
    await h.say(tu, FULL_FORM_ANSWERS[0]!);
    const revoked = await h.say(minh, "/thuhoi 1");
    expect(revoked[0]!.text).toContain("Đã thu hồi đăng ký của Nguyễn Văn Tư (Ấp Bến Đò)");
    expect(revoked[0]!.text).toContain("Báo cáo Nguyễn Văn Tư đang nhập dở đã dừng lại");
    const answered = await h.say(tu, FULL_FORM_ANSWERS[1]!, { reply: h.lastQuestionTo(tu)!.messageId });
    expect(answered[0]!.text).toContain("chưa có báo cáo đang nhập");
    expect(Object.keys(h.answers("25747-01", PERIOD)).sort()).toEqual(["tt_luot_nguoi", "tt_so_buoi"]);
  });

  it("drops questions to the revoked person still waiting in the outbox, and nobody else's", async () => {
    await setup();
    h.grant(tu, "reporter", "25747-01");
    await h.say(tu, "/baocao");
    // Held back (say, by the group's rate limit): a question to Tư and a message to Hạnh.
    const queue = h.core.db.prepare("INSERT INTO outbox (platform, chat_id, payload_json, created_at) VALUES ('telegram', ?, ?, 0)");
    queue.run(GROUP, JSON.stringify({ text: "câu hỏi cho Tư", owner: tu.id, purpose: "question" }));
    queue.run(GROUP, JSON.stringify({ text: "câu hỏi cho Hạnh", owner: hanh.id, purpose: "question" }));
    const sent = await h.say(minh, "/thuhoi 1");
    expect(Harness.texts(sent)).not.toContain("câu hỏi cho Tư");
    expect(Harness.texts(sent)).toContain("câu hỏi cho Hạnh");
    expect(rows("SELECT status FROM outbox WHERE payload_json LIKE '%câu hỏi cho Tư%'")).toEqual([{ status: "dropped" }]);
  });

  it("a session left over from a revoked role stops at the next answer, button or command", async () => {
    await setup();
    h.grant(tu, "reporter", "25747-01");
    await h.say(tu, "/baocao");
    // The role ends by another path (here directly in the database): the session alone gives no right.
    h.core.db.prepare("UPDATE roles SET revoked_at = 'x' WHERE user_id = ?").run(tu.id);
    const r = await h.say(tu, "12 buổi, 350 người");
    expect(r[0]!.text).toContain("không còn quyền nhập báo cáo của Ấp Bến Đò");
    expect(h.answers("25747-01", PERIOD)).toEqual({});
    expect(rows("SELECT * FROM sessions")).toEqual([]);
  });

  it("a leader who leaves the group loses the registration; the private form stops and staff are told", async () => {
    await setup();
    h.grant(tu, "reporter", "25747-01");
    await h.say(tu, "/baocao");
    await h.say(tu, FULL_FORM_ANSWERS[0]!);
    await h.say(tu, "/start p_tok1", { chatId: tu.id });
    const left = await h.send({ chat: { id: GROUP, type: "group" }, from: tu, messageId: "m-left", body: { kind: "member_left", member: tu } });
    const notice = left.find((s) => s.chatId === GROUP)!;
    expect(notice.text).toContain("Kính báo Minh: Nguyễn Văn Tư đã rời nhóm");
    expect(notice.text).toContain("trưởng ban công tác Mặt trận Ấp Bến Đò");
    expect(notice.mentions).toEqual([{ userId: minh.id, name: "Minh" }]);
    expect(left.find((s) => s.chatId === tu.id)?.text).toContain("không còn quyền nhập báo cáo của Ấp Bến Đò");
    expect(rows("SELECT revoked_by FROM roles WHERE user_id = ?", tu.id)).toEqual([{ revoked_by: `left:telegram:${GROUP}` }]);
    const r = await h.say(tu, FULL_FORM_ANSWERS[1]!, { chatId: tu.id });
    expect(r[0]!.text).not.toContain("Ghi nhận");
    expect(Object.keys(h.answers("25747-01", PERIOD))).toHaveLength(2);
    // Someone with no role leaving is nobody's business.
    expect(await h.send({ chat: { id: GROUP, type: "group" }, from: lan, body: { kind: "member_left", member: lan } })).toEqual([]);
  });
});

describe("a person registered for several areas", () => {
  it("chooses the area with /baocao <tên khu>, or from a short choice", async () => {
    await setup();
    h.grant(tu, "reporter", "25747-01");
    h.grant(tu, "reporter", "25747-02");
    const direct = await h.say(tu, "/baocao cay dau");
    expect(direct[0]!.text).toContain("báo cáo tháng 11/2026 của Ấp Cây Dầu");
    await h.say(tu, "/huy");
    const choice = await h.say(tu, "/baocao");
    expect(choice[0]!.text).toContain("phụ trách 2 khu dân cư");
    expect(choice[0]!.choices?.flat().map((c) => c.data)).toEqual(["rp:25747-01", "rp:25747-02"]);
    const picked = await h.press(tu, choice[0]!.messageId, "rp:25747-02");
    expect(picked.find((s) => s.text)!.text).toContain("Ấp Cây Dầu");
    await h.say(tu, "12 buổi, 350 người");
    expect(h.answers("25747-02", PERIOD)).toMatchObject({ tt_so_buoi: 12 });
    expect((await h.say(tu, "/baocao Sóc Bế"))[0]!.text).toContain("không phụ trách khu “Sóc Bế”");
    // By number, as Zalo people answer a list; /xem follows the same choice.
    await h.say(tu, "/huy");
    await h.say(tu, "/xem");
    expect((await h.say(tu, "1"))[0]!.text).toContain("Chưa nhập số liệu nào");
  });
});

describe("the full name that signs the drafts", () => {
  it("tells full names from nicknames by a documented rule", () => {
    for (const name of ["Nguyễn Văn Tư", "Tran Thi Hanh", "Lê Hoàng", "Điểu Thị Hồng", "Chu Văn An"]) expect(looksLikeFullName(name), name).toBe(true);
    for (const name of ["Tư", "Chú Tư", "Anh Ba", "TUAN", "NGUYỄN VĂN TƯ", "tuan88", "Hạnh 🌸", "Tư Nguyễn", "nguyen van tu", "Minh Cán bộ xã"]) {
      expect(looksLikeFullName(name), name).toBe(false);
    }
    expect(tidyFullName("Dạ, nguyen van tu ạ")).toBe("Nguyen Van Tu");
    expect(tidyFullName("TRẦN THỊ HẠNH")).toBe("Trần Thị Hạnh");
    expect(tidyFullName("Điểu K'Lơi")).toBe("Điểu K'Lơi");
    for (const bad of ["Hạnh", "12 buổi", "🙂 🙂", "a".repeat(30) + " " + "b".repeat(31)]) expect(tidyFullName(bad), bad).toBeUndefined();
  });

  it("is asked once at /dangky for a nickname and signs the area's draft", async () => {
    await setup();
    const chu = { id: "106", name: "Chú Tư" };
    const done = await register(chu, "1");
    expect(done[0]!.text).toContain("Đã ghi nhận anh/chị Chú Tư là trưởng ban");
    expect(done[0]!.text).toContain("cho em xin họ và tên đầy đủ");
    expect(done[0]!.forceReply).toBe(true);
    expect((await h.say(chu, "Tư"))[0]!.text).toContain("nhập họ và tên đầy đủ bằng chữ");
    expect((await h.say(chu, "nguyễn văn tư"))[0]!.text).toContain("em đã ghi họ tên Nguyễn Văn Tư");
    await h.say(chu, "/baocao");
    let last: Awaited<ReturnType<Harness["say"]>> = [];
    for (const a of FULL_FORM_ANSWERS) last = await h.say(chu, a);
    const text = await docxText(last.find((s) => s.file)!.file!.bytes);
    expect(text).toContain("Nguyễn Văn Tư");
    expect(text).not.toContain("Chú Tư");
    // Asked once: registering for another area does not ask again.
    h.core.db.prepare("UPDATE people SET full_name = NULL WHERE user_id = ?").run(chu.id);
    expect((await register(chu, "3"))[0]!.text).not.toContain("họ và tên");
  });

  it("is not asked for a full name, and /bo keeps the chat name", async () => {
    await setup();
    expect((await register(tu, "1"))[0]!.text).not.toContain("họ và tên");
    const skip = await register(hanh, "2");
    expect(skip[0]!.text).toContain("họ và tên đầy đủ");
    expect((await h.say(hanh, "/bo"))[0]!.text).toContain("giữ tên “Hạnh”");
    const chi = { id: "107", name: "Chị Ba" };
    await register(chi, "3");
    expect((await h.say(chi, "không ạ"))[0]!.text).toContain("giữ tên “Chị Ba”");
    expect(rows("SELECT full_name, full_name_asked_at IS NOT NULL AS asked FROM people WHERE user_id = ?", hanh.id)).toEqual([{ full_name: null, asked: 1 }]);
  });
});

describe("a change to a submitted report", () => {
  it("keeps the leader of record as author and tells them and the staff when an accepted report changes", async () => {
    await setup();
    h.grant(tu, "reporter", "25747-01");
    h.grant(hanh, "reporter", "25747-01");
    await h.say(tu, "/baocao");
    for (const a of FULL_FORM_ANSWERS) await h.say(tu, a);
    h.clock.advance(60_000);
    await h.say(minh, "/duyet 1");
    h.clock.advance(60_000);
    // 99.999 attendees at 12 sessions: the form's warning asks first, then the change goes through.
    const warned = await h.say(hanh, "/sua 2 99999");
    const edited = await h.press(hanh, warned.find((s) => s.question?.kind === "confirm")!.messageId, "ok:1");
    const post = edited.find((s) => s.file)!;
    expect(post.text).toContain("Kính báo Nguyễn Văn Tư, Minh: anh/chị Hạnh vừa sửa số liệu báo cáo tháng 11/2026 của Ấp Bến Đò");
    expect(post.text).toContain("đã được duyệt trước đó nên cần duyệt lại");
    expect(post.mentions).toEqual([
      { userId: tu.id, name: "Nguyễn Văn Tư" },
      { userId: minh.id, name: "Minh" },
    ]);
    expect(rows("SELECT completed_by FROM submissions")).toEqual([{ completed_by: `telegram:${tu.id}` }]);
    expect((await h.say(minh, "/tiendo"))[0]!.text).toMatch(/Đã nộp \(1\): 1\. Ấp Bến Đò \(đã sửa lại\)/);
    expect(await docxText(post.file!.bytes)).toContain("Nguyễn Văn Tư");
  });

  it("tells a leader of record on the other platform in the commune's group there", async () => {
    await setup();
    h.grant(tu, "reporter", "25747-01");
    h.grant(hanh, "reporter", "25747-01");
    await h.say(tu, "/baocao");
    for (const a of FULL_FORM_ANSWERS) await h.say(tu, a);
    // The report was completed by Tư's Zalo account; the commune also has a Zalo group.
    const now = h.clock.now().toISOString();
    h.core.db.prepare("INSERT INTO people (platform, user_id, display_name, updated_at) VALUES ('zalo', 'z1', 'Tư', ?)").run(now);
    h.core.db.prepare("INSERT INTO chats (platform, chat_id, unit_code, linked_by, linked_at) VALUES ('zalo', 'zg', '25747', 'test', ?)").run(now);
    h.core.db.prepare("UPDATE submissions SET completed_by = 'zalo:z1'").run();
    const edited = await h.say(hanh, "/sua 1 13");
    expect(edited.find((x) => x.file)!.text).not.toContain("Kính báo");
    const zalo = rows<{ payload_json: string }>("SELECT payload_json FROM outbox WHERE platform = 'zalo' AND chat_id = 'zg'");
    expect(zalo.map((r) => JSON.parse(r.payload_json).text)).toEqual(["Kính báo Tư: anh/chị Hạnh vừa sửa số liệu báo cáo tháng 11/2026 của Ấp Bến Đò."]);
    expect(rows("SELECT completed_by FROM submissions")).toEqual([{ completed_by: "zalo:z1" }]);
  });
});
