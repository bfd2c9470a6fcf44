// Attack scenarios, through the real bot and the Telegram stand-in: a revoked leader who keeps answering, and a
// leader who left the group and tries to finish privately.
import { afterEach, describe, expect, it } from "vitest";
import { storedAnswers } from "../support/reporting-data.js";
import { hanh, leaves, minh, registerFor, startStand, TAN_KHAI, textsTo, TU_ANSWERS, tu, type Stand } from "./stand.js";

let s: Stand | undefined;
afterEach(async () => {
  await s?.stop();
  s = undefined;
});

const noDraft = (st: Stand, from: number) =>
  st.tg.sent.slice(from).filter((x) => x.method === "sendDocument" && x.chatId === TAN_KHAI.id && (x.document?.filename ?? "").includes("Ap-Ben-Do"));

describe("revocation and leaving take effect at once", () => {
  it("a leader revoked with /thuhoi stops at once: nothing more is stored and no draft is posted", async () => {
    s = await startStand();
    const { tg, tk, path } = s;
    await registerFor(tk, tu, "Ấp Bến Đò");
    await tk.say(tu, "/baocao");
    await tk.say(tu, TU_ANSWERS[0]!);
    expect(Object.keys(storedAnswers(path, "25747-01"))).toHaveLength(2);

    const from = tg.sent.length;
    const revoked = await tk.say(minh, "/thuhoi 1");
    expect(revoked.text).toContain("Đã thu hồi đăng ký của Tư (Ấp Bến Đò)");
    expect(revoked.text).toContain("Báo cáo Tư đang nhập dở đã dừng lại; số liệu đã nhập vẫn được giữ");
    expect(revoked.entities).toEqual([expect.objectContaining({ type: "text_mention", user: expect.objectContaining({ id: tu.id }) })]);
    // Tư goes on answering the question he was asked: every answer is turned away.
    for (const a of TU_ANSWERS.slice(1)) expect((await tk.say(tu, a)).text, a).not.toContain("Ghi nhận");
    expect(Object.keys(storedAnswers(path, "25747-01"))).toHaveLength(2);
    expect((await tk.say(tu, "/baocao")).text).toContain("chỉ dành cho trưởng ban");
    expect(noDraft(s, from)).toEqual([]);
  }, 90_000);

  it("a leader who leaves the group loses the registration: the private form stops, staff are told, the draft never lands", async () => {
    s = await startStand();
    const { tg, tk, path } = s;
    await registerFor(tk, hanh, "Ấp Bến Đò");
    await tk.say(hanh, "/baocao");
    await tk.say(hanh, TU_ANSWERS[0]!);
    // Hạnh moves to the private chat and goes on there.
    const dm = s.privately(hanh);
    expect((await dm.say(hanh, "/baocao")).text).toContain("Ấp Bến Đò");
    await dm.say(hanh, TU_ANSWERS[1]!);

    const from = tg.sent.length;
    leaves(tg, TAN_KHAI, hanh, 900_001);
    const notice = await tg.waitFor((x) => x.chatId === TAN_KHAI.id && (x.text ?? "").includes("đã rời nhóm"), 15_000, { fromIndex: from });
    expect(notice.text).toContain("Kính báo Minh: Hạnh đã rời nhóm. Em đã thu hồi quyền trưởng ban công tác Mặt trận Ấp Bến Đò của Hạnh");
    expect(notice.entities).toEqual([expect.objectContaining({ type: "text_mention", user: expect.objectContaining({ id: minh.id }) })]);
    const told = await tg.waitFor((x) => x.chatId === hanh.id && (x.text ?? "").includes("không còn quyền nhập báo cáo của Ấp Bến Đò"), 15_000, { fromIndex: from });
    expect(told.text).toContain("Số liệu đã nhập vẫn được giữ");
    const kept = Object.keys(storedAnswers(path, "25747-01")).length;

    for (const a of TU_ANSWERS.slice(2)) expect((await dm.say(hanh, a)).text, a).not.toContain("Ghi nhận");
    expect(Object.keys(storedAnswers(path, "25747-01"))).toHaveLength(kept);
    expect(s.rows("SELECT revoked_by FROM roles WHERE user_id = ?", String(hanh.id))).toEqual([{ revoked_by: `left:telegram:${TAN_KHAI.id}` }]);
    expect(noDraft(s, from)).toEqual([]);
    expect(textsTo(tg, TAN_KHAI.id, from).filter((t) => t.includes("hoàn thành"))).toEqual([]);
  }, 90_000);
});
