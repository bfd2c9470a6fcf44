// A person registered for two areas reaches each of them; a leader whose chat name is a nickname signs the
// area's draft with the full name given once at /dangky. Through the real bot and the Telegram stand-in.
import { afterEach, describe, expect, it } from "vitest";
import { docxText } from "../support/docx-text.js";
import { storedAnswers } from "../support/reporting-data.js";
import { registerFor, startStand, TU_ANSWERS, tu, type Stand } from "./stand.js";

let s: Stand | undefined;
afterEach(async () => {
  await s?.stop();
  s = undefined;
});

describe("a person registered for two areas", () => {
  it("opens the one named with /baocao <tên khu>, and offers a short choice without a name", async () => {
    s = await startStand();
    const { tk, path } = s;
    await registerFor(tk, tu, "Ấp Bến Đò");
    await tk.say(tu, "/bo"); // keeps the chat name as the signer
    await registerFor(tk, tu, "Ấp Cây Dầu");
    // The second area by name, typed without diacritics.
    expect((await tk.say(tu, "/baocao cay dau")).text).toContain("báo cáo tháng 11/2026 của Ấp Cây Dầu");
    await tk.say(tu, TU_ANSWERS[0]!);
    expect(storedAnswers(path, "25747-02")).toMatchObject({ tt_so_buoi: 12, tt_luot_nguoi: 3850 });
    expect(storedAnswers(path, "25747-01")).toEqual({});
    await tk.say(tu, "/huy");

    const choice = await tk.say(tu, "/baocao");
    expect(choice.text).toContain("phụ trách 2 khu dân cư");
    expect(tk.buttons(choice).map((b) => b.text)).toEqual(["1. Ấp Bến Đò", "2. Ấp Cây Dầu"]);
    const opened = await tk.press(tu, choice, tk.buttons(choice)[0]!.data!);
    expect(opened.text).toContain("báo cáo tháng 11/2026 của Ấp Bến Đò");
    await tk.say(tu, "8 buổi, 420 người");
    expect(storedAnswers(path, "25747-01")).toMatchObject({ tt_so_buoi: 8, tt_luot_nguoi: 420 });
    expect(storedAnswers(path, "25747-02")).toMatchObject({ tt_so_buoi: 12 });
    expect((await tk.say(tu, "/baocao Sóc Bế")).text).toContain("anh/chị không phụ trách khu “Sóc Bế”");
  }, 90_000);
});

describe("the signer of the area draft", () => {
  it("is the full name asked once at /dangky when the chat name is a nickname", async () => {
    s = await startStand();
    const { tk } = s;
    const chu = { id: 6041, first_name: "Chú", last_name: "Tư" };
    const done = await registerFor(tk, chu, "Ấp Bến Đò");
    expect(done.text).toContain("Đã ghi nhận anh/chị Chú Tư là trưởng ban công tác Mặt trận Ấp Bến Đò");
    expect(done.text).toContain("cho em xin họ và tên đầy đủ ạ (ví dụ Nguyễn Văn Tư)");
    // Asked after a button press: the question names the person, so the reply box opens for them.
    expect(done.entities).toEqual([expect.objectContaining({ type: "text_mention", user: expect.objectContaining({ id: chu.id }) })]);
    expect(done.replyMarkup).toMatchObject({ force_reply: true, selective: true });
    expect((await tk.say(chu, "Dạ, Lê Văn Tư ạ")).text).toContain("em đã ghi họ tên Lê Văn Tư");
    await tk.say(chu, "/baocao");
    for (const a of TU_ANSWERS) await tk.say(chu, a);
    const draft = await tk.draftFor("Ấp Bến Đò");
    expect(await docxText(draft.document!.bytes)).toMatch(/TRƯỞNG BAN\s+Lê Văn Tư(\s|$)/);
  }, 90_000);
});
