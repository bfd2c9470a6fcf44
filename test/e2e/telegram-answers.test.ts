// End to end on Telegram: an answer belongs to the question it answers, /sua passes the form's rules, and
// periods are read the way staff type them — the real bot process against the local Bot API stand-in.
// Each case here went wrong before: a late "Không" on the voter-meeting question stored the poverty fund as
// 0 đồng, a reply to the old mediation question was stored as oversight figures, a question sent twice (the
// first send's answer lost) answered on both copies shifted the later figures, /sua accepted 3.850 → 40.000
// attendees without a word, and /moky accepted tháng 1/1900.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docxText } from "../support/docx-text.js";
import { startFakeTelegram, type FakeTelegram, type SentEntry, type UserInput } from "../support/fake-telegram.js";
import { startBotProcess, type BotProcess } from "../support/bot-process.js";
import { GroupDriver } from "../support/telegram-driver.js";
import { ANSWERS, freshDatabase, storedAnswers } from "../support/reporting-data.js";

const GROUP = { id: -1001234567890, type: "supergroup" as const, title: "MTTQ xã Tân Khai" };
const minh: UserInput = { id: 5001, first_name: "Minh" };
/** Tư's answers (reporting-data), typed by each case's own leader. */
const TU = ANSWERS[5002]!;

// One bot process for the file: each case has its own leader and area, so the cases stay apart.
let tg: FakeTelegram;
let bot: BotProcess;
let g: GroupDriver;
let path: string;
beforeAll(async () => {
  tg = await startFakeTelegram({ privacyMode: true, rateLimits: false });
  const db = freshDatabase();
  path = db.path;
  bot = startBotProcess({
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.apiRoot,
    DATABASE_PATH: path,
    BOT_CLOCK_START: "2026-11-10T09:00:00+07:00",
    OUTBOX_GROUP_PER_MINUTE: "10000",
    OUTBOX_GROUP_MIN_GAP_MS: "0",
  });
  g = new GroupDriver(tg, GROUP);
  await g.say(minh, `/dangky ${db.staffCode}`);
  await g.say(minh, "/lienket 25747");
}, 60_000);
afterAll(async () => {
  await bot?.kill("SIGKILL");
  await tg?.close();
});

interface Leader {
  user: UserInput;
  /** The area's code and name. */
  code: string;
  area: string;
}

/** A leader registers for the area by pressing its button. */
async function leader(id: number, name: string, code: string, area: string): Promise<Leader> {
  const user = { id, first_name: name };
  const menu = await g.say(user, "/dangky");
  await g.press(user, menu, g.buttons(menu).find((b) => b.text.includes(area))!.data!);
  return { user, code, area };
}

const textOf = (s: SentEntry): string => (s.method === "sendDocument" ? s.caption : s.text) ?? "";

/** The leader replies to a particular bot message (not the latest question) and waits for the bot's answer. */
async function replyTo(who: Leader, message: SentEntry, text: string): Promise<SentEntry> {
  const fromIndex = tg.sent.length;
  const update = tg.userSays({ chat: GROUP, from: who.user, text, replyTo: message.messageId });
  return tg.waitFor((s) => s.chatId === GROUP.id && (s.method === "sendMessage" || s.method === "sendDocument") && s.replyTo === update.message!.message_id, 15_000, { fromIndex });
}

describe("Telegram: an answer belongs to the question it answers", () => {
  it("a late “Không” on the voter-meeting question does not become the poverty fund's figures", async () => {
    const tu = await leader(5002, "Tư", "25747-01", "Ấp Bến Đò");
    await g.say(tu.user, "/baocao");
    for (const a of TU.slice(0, 2)) await g.say(tu.user, a);
    const voter = await g.say(tu.user, TU[2]!);
    expect(g.buttons(voter).map((b) => b.text)).toEqual(["Có", "Không"]);
    const fund = await g.press(tu.user, voter, "v:txct_co:0");
    expect(fund.text).toContain("vận động Quỹ “Vì người nghèo”");
    // The old "Không" button tapped again, then the old question answered in words, while the fund is asked.
    const late = await g.press(tu.user, voter, "v:txct_co:0");
    expect(textOf(late)).toContain("câu hỏi về “Có tổ chức tiếp xúc cử tri” em đã ghi nhận rồi (không), không có gì thay đổi");
    expect(textOf(late)).toContain("vận động Quỹ “Vì người nghèo”");
    const typed = await replyTo(tu, voter, "Không");
    expect(textOf(typed)).toContain("em đã ghi nhận rồi (không)");
    expect(storedAnswers(path, tu.code)).not.toHaveProperty("qvnn_van_dong");
    expect(storedAnswers(path, tu.code)).toMatchObject({ txct_co: false });
    const next = await g.say(tu.user, TU[5]!);
    expect(next.text).toContain("Ghi nhận: vận động 15.000.000 đồng, chi 10.000.000 đồng, giúp 12 hộ.");
  }, 60_000);

  it("a reply to the old mediation question corrects mediation, not the oversight figures being asked", async () => {
    const tu = await leader(5003, "Hạnh", "25747-02", "Ấp Cây Dầu");
    await g.say(tu.user, "/baocao");
    await g.say(tu.user, TU[0]!);
    const mediation = await g.say(tu.user, TU[1]!);
    expect(mediation.text).toContain("tiếp nhận bao nhiêu vụ việc");
    for (const a of TU.slice(2, 6)) await g.say(tu.user, a);
    const oversight = await g.say(tu.user, TU[6]!);
    expect(oversight.text).toContain("mấy cuộc giám sát");

    const corrected = await replyTo(tu, mediation, "tiếp nhận 15, thành 12, không thành 3");
    expect(textOf(corrected)).toContain("Dạ, em sửa theo câu trả lời cho câu hỏi về “Hòa giải ở cơ sở”: Số vụ hòa giải thành 10 vụ → 12 vụ; Số vụ hòa giải không thành 5 vụ → 3 vụ. ✔");
    expect(textOf(corrected)).toContain("mấy cuộc giám sát");
    expect(corrected.replyMarkup).toMatchObject({ force_reply: true, selective: true });
    const stored = storedAnswers(path, tu.code);
    expect(Object.keys(stored).filter((k) => k.startsWith("gs_"))).toEqual([]);
    expect(stored).toMatchObject({ hg_tiep_nhan: 15, hg_thanh: 12, hg_khong_thanh: 3 });

    for (const a of TU.slice(7)) await g.say(tu.user, a);
    const draft = await g.draftFor(tu.area);
    const text = await docxText(draft.document!.bytes);
    expect(text).toContain("hòa giải thành 12/15 vụ, đạt 80%");
    expect(text).toContain("thực hiện 1 cuộc giám sát");
  }, 60_000);

  it("a question that reached the group twice (the first send's answer lost), answered on both copies, shifts nothing", async () => {
    const tu = await leader(5004, "Ba", "25747-03", "Ấp Sóc Ruộng");
    await g.say(tu.user, "/baocao");
    let last: SentEntry | undefined;
    for (const a of TU.slice(0, 7)) last = await g.say(tu.user, a);
    expect(last!.text).toContain("mấy cuộc giám sát");

    // Telegram performs the next send but the bot never hears back, so it sends the question again.
    tg.setFaults({ seed: 1, rateDropAfter: 1, methods: ["sendMessage"] });
    const fromIndex = tg.sent.length;
    const update = tg.userSays({ chat: GROUP, from: tu.user, text: TU[7]!, replyTo: last!.messageId });
    const isAnswer = (s: SentEntry) => s.method === "sendMessage" && s.replyTo === update.message!.message_id;
    const first = await tg.waitFor(isAnswer, 15_000, { fromIndex });
    tg.setFaults(undefined);
    const second = await tg.waitFor((s) => isAnswer(s) && s.messageId !== first.messageId, 15_000, { fromIndex });
    expect(second.text).toBe(first.text);
    expect(first.text).toContain("khó khăn, hạn chế gì");

    // The later copy first, then the earlier one (whose id the bot never recorded), with the same answer.
    const a = await replyTo(tu, second, "Kinh phí hoạt động còn hạn chế");
    expect(a.text).toContain("Ghi nhận: “Kinh phí hoạt động còn hạn chế”");
    expect(a.text).toContain("đề xuất, kiến nghị");
    const b = await replyTo(tu, first, "Kinh phí hoạt động còn hạn chế");
    expect(textOf(b)).toContain("em đã ghi nhận rồi");
    expect(textOf(b)).toContain("đề xuất, kiến nghị");
    expect(storedAnswers(path, tu.code)).not.toHaveProperty("kk_de_xuat");
    expect(tg.sent.some((s) => s.method === "sendDocument" && (s.caption ?? "").includes(tu.area))).toBe(false);

    await replyTo(tu, b, "Đề nghị hỗ trợ thêm tài liệu tuyên truyền");
    const draft = await g.draftFor(tu.area);
    expect(await docxText(draft.document!.bytes)).toContain("Đề nghị hỗ trợ thêm tài liệu tuyên truyền");
    expect(storedAnswers(path, tu.code)).toMatchObject({ kk_kho_khan: "Kinh phí hoạt động còn hạn chế", kk_de_xuat: "Đề nghị hỗ trợ thêm tài liệu tuyên truyền" });
  }, 60_000);
});

describe("Telegram: /sua under the form's rules, periods as staff type them", () => {
  it("/sua 2 40000 warns like the form and waits for the button; a hard rule refuses with its words", async () => {
    const tu = await leader(5005, "Sáu", "25747-04", "Ấp Bàu Lòn");
    await g.say(tu.user, "/baocao");
    for (const a of TU) await g.say(tu.user, a);
    await g.draftFor(tu.area);
    const drafts = () => tg.sent.filter((s) => s.method === "sendDocument" && (s.caption ?? "").includes(tu.area)).length;

    const warn = await g.say(tu.user, "/sua 2 40000");
    expect(textOf(warn)).toContain("Trung bình mỗi buổi có 3.333 người dự (40.000 lượt / 12 buổi), con số này khá cao.");
    expect(g.buttons(warn).map((b) => b.data)).toEqual(["ok:1", "ok:0"]);
    expect(storedAnswers(path, tu.code)).toMatchObject({ tt_luot_nguoi: 3850 });
    const fromIndex = tg.sent.length;
    await g.press(tu.user, warn, "ok:1");
    const redraft = await g.draftFor(tu.area, fromIndex);
    expect(redraft.caption).toContain("Đã sửa “Số lượt người tham dự”: 3.850 lượt người → 40.000 lượt người.");
    expect(drafts()).toBe(2);
    expect(storedAnswers(path, tu.code)).toMatchObject({ tt_luot_nguoi: 40000 });

    const hard = await g.say(tu.user, "/sua 5 20");
    expect(hard.text).toContain("Số vụ hòa giải thành (20) không thể lớn hơn số vụ tiếp nhận (15).");
    expect(storedAnswers(path, tu.code)).toMatchObject({ hg_thanh: 10 });
  }, 60_000);

  it("/moky refuses tháng 1/1900 and tháng 12/9999; /moky and /tonghop read periods as staff type them", async () => {
    for (const old of ["tháng 1/1900", "tháng 12/9999"]) {
      expect((await g.say(minh, `/moky ${old}`)).text).toContain("/moky dùng được cho các kỳ từ tháng 11/2024 đến tháng 12/2026");
    }
    expect((await g.say(minh, "/moky thang sau")).text).toContain("là tháng 6/2026 hay tháng 12/2026 ạ?");
    expect((await g.say(minh, "/moky thg 10")).text).toContain("Đã mở kỳ báo cáo tháng 10/2026");
    expect((await g.say(minh, "/moky tự động")).text).toContain("tháng 11/2026");
    expect((await g.say(minh, "/tonghop T11/26")).caption).toContain("Tổng hợp tháng 11/2026 — Xã Tân Khai");
    expect((await g.say(minh, "/tonghop tháng trước")).caption).toContain("Tổng hợp tháng 10/2026");
    expect((await g.say(minh, "/tonghop quí 4")).caption).toContain("Tổng hợp quý IV/2026");
    expect((await g.say(minh, "/tonghop hôm qua")).text).toContain("Anh/chị gõ kỳ theo một trong các cách sau");
  }, 60_000);
});
