// Attack scenarios, through the real bot and the Telegram stand-in: taking over another commune's group, and
// taking over an area that already has a leader (then changing its accepted report).
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { createInvite } from "../../src/store/invites.js";
import { docxText } from "../support/docx-text.js";
import { linkedChats, storedAnswers } from "../support/reporting-data.js";
import { hanh, lan, minh, mot, registerFor, startStand, TAN_KHAI, textsTo, TU_ANSWERS, tu, type Stand } from "./stand.js";

const quan = { id: 6031, first_name: "Quân" };

let s: Stand | undefined;
afterEach(async () => {
  await s?.stop();
  s = undefined;
});

describe("group takeover", () => {
  it("staff of one commune cannot relink another commune's group; a move by someone over both is announced and logged", async () => {
    s = await startStand();
    const { tg, tk, tq } = s;
    // Lan, staff of Tân Quan, sits in Tân Khai's group and tries to make it hers.
    const attempt = await tk.say(lan, "/lienket 25750");
    expect(attempt.text).toContain("nhóm này đang được liên kết với Xã Tân Khai");
    expect(attempt.text).not.toContain("Đã liên kết");
    expect(linkedChats(s.path).find((c) => c.chat_id === String(TAN_KHAI.id))?.unit_code).toBe("25747");

    // Tân Khai's group still works for Tân Khai: staff, leaders and newcomers.
    expect((await tk.say(minh, "/tiendo")).text).toContain("Tiến độ báo cáo tháng 11/2026 — Xã Tân Khai");
    const menu = await tk.say(tu, "/dangky");
    expect(tk.buttons(menu).map((b) => b.text)).toContain("1. Ấp Bến Đò");
    await tk.press(tu, menu, tk.buttons(menu)[0]!.data!);
    expect((await tk.say(tu, "/baocao")).text).toContain("báo cáo tháng 11/2026 của Ấp Bến Đò");

    // Tân Quan's report goes to Tân Quan's group only.
    const from = tg.sent.length;
    await registerFor(tq, mot, "Ấp 1");
    await tq.say(mot, "/baocao");
    for (const a of TU_ANSWERS) await tq.say(mot, a);
    await tq.draftFor("Ấp 1", from);
    expect(textsTo(tg, TAN_KHAI.id, from).join("\n")).not.toContain("Ấp 1");

    expect((await tq.say(lan, "/lienket 25750")).text).toContain("đã được liên kết với Xã Tân Quan rồi");

    // A province officer (authority over both communes) may move the group: it is said in the group and logged,
    // and Tư's form, open there for Tân Khai, stops.
    const db = new Database(s.path);
    const code = createInvite(db, "officer", "75", new Date("2026-11-10T02:00:00Z"));
    db.close();
    await tk.say(quan, `/dangky ${code}`);
    const moved = await tk.say(quan, "/lienket 25750");
    expect(moved.text).toContain("anh/chị Quân đã chuyển liên kết của nhóm này từ Xã Tân Khai sang Xã Tân Quan");
    expect(moved.text).toContain("Các báo cáo của Xã Tân Khai đang nhập dở trong nhóm đã dừng lại");
    expect((await tk.say(tu, TU_ANSWERS[0]!)).text).toContain("chưa có báo cáo đang nhập");
    expect(storedAnswers(s.path, "25747-01")).toEqual({});
    expect(s.rows("SELECT old_unit, new_unit, by_name FROM chat_link_log ORDER BY id")).toEqual([
      { old_unit: null, new_unit: "25747", by_name: "Minh" },
      { old_unit: null, new_unit: "25750", by_name: "Lan" },
      { old_unit: "25747", new_unit: "25750", by_name: "Quân" },
    ]);
  }, 90_000);
});

describe("area takeover", () => {
  it("a second /dangky for an area with a leader waits for staff; a change to the accepted report keeps its author and tells the leader and staff", async () => {
    s = await startStand();
    const { tg, tk, path } = s;
    await registerFor(tk, tu, "Ấp Bến Đò");
    await tk.say(tu, "/baocao");
    for (const a of TU_ANSWERS) await tk.say(tu, a);
    await tk.draftFor("Ấp Bến Đò");
    expect((await tk.say(minh, "/duyet 1")).text).toContain("Đã duyệt");

    // Hạnh, any member of the group, claims Ấp Bến Đò: a request, not a registration.
    const request = await registerFor(tk, hanh, "Ấp Bến Đò");
    expect(request.text).toContain("Ấp Bến Đò đã có trưởng ban công tác Mặt trận là Tư");
    expect(request.text).toContain("đề nghị số 1 của anh/chị Hạnh tới Minh");
    expect(request.entities).toEqual([expect.objectContaining({ type: "text_mention", user: expect.objectContaining({ id: minh.id }) })]);
    expect((await tk.say(hanh, "/sua 2 99999")).text).toContain("chỉ dành cho trưởng ban");
    expect(storedAnswers(path, "25747-01")).toMatchObject({ tt_luot_nguoi: 3850 });
    // Pressing the staff's button as a non-staff member does nothing.
    const buttons = tk.buttons(request);
    expect(buttons.map((b) => b.text)).toEqual(["✅ Đồng ý", "❌ Từ chối"]);
    const notYours = tg.userPresses({ chat: TAN_KHAI, from: hanh, messageId: request.messageId, data: buttons[0]!.data! });
    const ack = await tg.waitFor((x) => x.method === "answerCallbackQuery" && x.callbackQueryId === notYours.callback_query!.id, 10_000);
    expect(ack.text).toContain("chỉ cán bộ Mặt trận phụ trách Ấp Bến Đò");
    expect(s.rows("SELECT role FROM roles WHERE user_id = ? AND revoked_at IS NULL", String(hanh.id))).toEqual([]);

    // The staff approve: Hạnh becomes a second leader; the notice loses its buttons.
    const from = tg.sent.length;
    tg.userPresses({ chat: TAN_KHAI, from: minh, messageId: request.messageId, data: buttons[0]!.data! });
    const approved = await tg.waitFor((x) => x.chatId === TAN_KHAI.id && (x.text ?? "").startsWith("Hạnh: anh/chị Minh đã đồng ý"), 10_000, { fromIndex: from });
    expect(approved.text).toContain("(cùng Tư)");
    const closed = await tg.waitFor((x) => x.method === "editMessageText" && x.messageId === request.messageId, 10_000);
    expect(closed.text).toContain("Minh đã đồng ý");
    expect(closed.replyMarkup).toBeUndefined();

    // Hạnh changes the accepted report: Tư (the leader of record) and Minh are named; Tư still signs the draft.
    tk.remember(hanh, approved.messageId);
    const edited = await tk.say(hanh, "/sua 1 13");
    expect(edited.method).toBe("sendDocument");
    expect(edited.caption).toContain("Kính báo Tư, Minh: anh/chị Hạnh vừa sửa số liệu báo cáo tháng 11/2026 của Ấp Bến Đò");
    expect(edited.caption).toContain("đã được duyệt trước đó nên cần duyệt lại");
    expect(edited.entities?.map((e) => ("user" in e ? e.user.id : undefined))).toEqual([tu.id, minh.id]);
    expect(s.rows("SELECT completed_by FROM submissions WHERE unit_code = '25747-01'")).toEqual([{ completed_by: `telegram:${tu.id}` }]);
    const draft = await docxText(edited.document!.bytes);
    expect(draft).toContain("13 buổi tuyên truyền");
    expect(draft).toMatch(/TRƯỞNG BAN\s+Tư(\s|$)/);
    expect((await tk.say(minh, "/tiendo")).text).toContain("📨 Đã nộp (1): 1. Ấp Bến Đò (đã sửa lại)");
    expect((await tk.say(minh, "/lichsu 1")).text).toContain("Hạnh: Số buổi tuyên truyền, phổ biến pháp luật 12 buổi → 13 buổi");
  }, 90_000);
});
