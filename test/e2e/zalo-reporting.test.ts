// End to end on Zalo only: the real bot process against the local stand-in of the Zalo Bot API. What differs
// from Telegram: in a group only @mentions reach the bot, commands come without a slash or diacritics, options
// are numbered, a long form moves to a private chat, drafts are links served by the bot, the webhook refuses
// forged requests; and Telegram and Zalo run side by side on one database.
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { docxText } from "../support/docx-text.js";
import { DOCX_TYPE } from "../../src/app/file-links.js";
import { startFakeTelegram, type FakeTelegram } from "../support/fake-telegram.js";
import { startFakeZalo, type FakeZalo } from "../support/fake-zalo.js";
import { GroupDriver } from "../support/telegram-driver.js";
import { freePort, startBotProcess, type BotProcess } from "../support/bot-process.js";
import { ANSWERS, CLOCK_START, freshDatabase, hanh, linkedChats, minh, storedAnswers, tu } from "../support/reporting-data.js";
import { ZaloReportingDriver, zaloId } from "../support/reporting-drivers.js";

let d: ZaloReportingDriver | undefined;
afterEach(async () => {
  await d?.stop();
  d = undefined;
});

async function linkGroup(z: ZaloReportingDriver): Promise<void> {
  expect(await z.say(minh, `dang ky ${z.staffCode}`)).toContain("cán bộ Mặt trận xã");
  expect(await z.say(minh, "liên kết 25747")).toContain("Đã liên kết nhóm này với Xã Tân Khai");
}

async function register(z: ZaloReportingDriver, who: typeof tu, area: string): Promise<void> {
  await z.say(who, "dang ky");
  expect(await z.choose(who, area)).toContain(`trưởng ban công tác Mặt trận ${area}`);
}

describe("Zalo group", () => {
  it("only mentions reach the bot; commands need no slash or diacritics; options are numbered", async () => {
    d = new ZaloReportingDriver();
    await d.start();
    // Without a mention Zalo does not deliver the message: nothing happens.
    expect(d.chatter(minh, `/dangky ${d.staffCode}`)).toBe(false);
    await linkGroup(d);

    const menu = await d.say(tu, "Đăng ký");
    expect(menu).toContain("Anh/chị Tư là trưởng ban công tác Mặt trận của khu dân cư nào?\n1. Ấp Bến Đò\n2. Ấp Cây Dầu");
    expect(menu).toContain("Trả lời 1, 2, 3, 4, 5, 6, 7 hoặc 8.");
    expect(menu).not.toMatch(/Bấm/);
    expect(await d.say(tu, "1")).toContain("trưởng ban công tác Mặt trận Ấp Bến Đò");

    const first = await d.say(tu, "báo cáo");
    expect(first).toContain("mời anh/chị Tư nhập báo cáo tháng 11/2026 của Ấp Bến Đò");
    // The offer to continue privately: a plain instruction and a link to the bot.
    expect(first).toContain(`https://zalo.me/${d.zalo.bot.id}`);
    expect(first).toContain("@Trợ lý MTTQ");

    const choice = await d.say(tu, "12 buoi 3.850 nguoi");
    expect(choice.split("\n")[0]).toBe("Gửi anh/chị Tư:");
    expect(choice).toContain("Ghi nhận: 12 buổi, 3.850 lượt người");
    expect(choice).toContain("1. Họp dân\n2. Loa truyền thanh");
    expect(choice).toContain("Trả lời 1, 2, 3, 4 hoặc 5.");
    expect(await d.say(tu, "2")).toContain("Loa truyền thanh");
    const yesno = await d.say(tu, "15 vụ, thành 10, không thành 5");
    expect(yesno).toContain("Trả lời “có” hoặc “không”.");
    // A mention that cannot be read gets a polite word (it is addressed to the bot), not silence.
    expect(await d.say(tu, "chắc là vậy")).toContain("“có” hoặc “không”");
    expect(await d.say(tu, "có")).toContain("Ghi nhận: có");
    // Someone without a form who mentions the bot is told how to start.
    expect(await d.say(hanh, "12 buổi")).toContain("Gõ /baocao để bắt đầu");
    expect(storedAnswers(d.dbPath, "25747-01")).toMatchObject({ tt_so_buoi: 12, tt_hinh_thuc: "loa", hg_thanh: 10, txct_co: true });
    expect(d.zalo.sent.every((s) => (s.text ?? "").length <= 2000)).toBe(true);
    expect(d.everyTurnAnsweredOnce()).toBe(true);
  });

  it("a leader continues privately (“baocao” or /start p_<token>); the group gets the summary and a working link", async () => {
    d = new ZaloReportingDriver();
    await d.start();
    await linkGroup(d);
    await register(d, tu, "Ấp Bến Đò");
    await register(d, hanh, "Ấp Cây Dầu");

    // Tư starts in the group, answers twice, then follows the private-chat offer with its token.
    await d.say(tu, "baocao");
    for (const a of ANSWERS[tu.id]!.slice(0, 2)) await d.say(tu, a);
    const db = new Database(d.dbPath, { readonly: true });
    const { token } = db.prepare("SELECT token FROM private_links WHERE platform = 'zalo' AND user_id = ?").get(zaloId(tu.id)) as { token: string };
    db.close();
    expect(await d.sayPrivately(tu, `/start p_${token}`)).toContain("mình tiếp tục báo cáo tháng 11/2026 của Ấp Bến Đò ở đây");
    // Hạnh simply writes "baocao" to the bot privately: the same form continues there.
    await d.say(hanh, "bao cao");
    await d.say(hanh, ANSWERS[hanh.id]![0]!);
    expect(await d.sayPrivately(hanh, "baocao")).toContain("mời anh/chị Hạnh tiếp tục báo cáo tháng 11/2026 của Ấp Cây Dầu");

    const since = d.mark();
    let last = "";
    for (const a of ANSWERS[tu.id]!.slice(2)) last = await d.sayPrivately(tu, a);
    expect(last).toContain("Báo cáo đã hoàn thành và được gửi vào nhóm");
    for (const a of ANSWERS[hanh.id]!.slice(1)) last = await d.sayPrivately(hanh, a);
    expect(last).toContain("Báo cáo đã hoàn thành");

    const draft = await d.lastDraft("Ấp Bến Đò", since);
    expect(draft.summary).toContain("Ấp Bến Đò đã hoàn thành báo cáo tháng 11/2026 ✅");
    expect(draft.summary).toContain("Hòa giải thành 10/15 vụ (66,7%)");
    expect(draft.summary).toContain("dùng được đến 13/11/2026 09:");
    expect(draft.filename).toBe("Bao-cao-thang-11-2026-Ap-Ben-Do.docx");
    expect(await docxText(draft.bytes)).toContain("BAN CÔNG TÁC MẶT TRẬN ẤP BẾN ĐÒ");
    expect(await docxText((await d.lastDraft("Ấp Cây Dầu", since)).bytes)).toContain("8 buổi tuyên truyền");
    // Nothing of the private exchange was posted in the group.
    expect(d.zalo.messagesTo(d.groupChatId).slice(-2).every((s) => /\/files\//.test(s.text ?? ""))).toBe(true);

    const url = ZaloReportingDriver.linkIn(draft.summary);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(DOCX_TYPE);
    expect(res.headers.get("content-disposition")).toBe(
      "attachment; filename=\"Bao-cao-thang-11-2026-Ap-Ben-Do.docx\"; filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20th%C3%A1ng%2011-2026%20-%20%E1%BA%A4p%20B%E1%BA%BFn%20%C4%90%C3%B2.docx",
    );
    const token2 = /\/files\/([^/]+)\//.exec(url)![1]!;
    expect((await fetch(url.replace(token2, token2.split("").reverse().join("")))).status).toBe(404);

    // The link survives a restart, and is refused once it has expired (the bot's clock 73 hours on).
    await d.killBot("SIGTERM");
    await d.startBot();
    expect((await fetch(url)).status).toBe(200);
    await d.killBot("SIGTERM");
    d.opts.env = { BOT_CLOCK_START: new Date(new Date(CLOCK_START).getTime() + 73 * 3_600_000).toISOString() };
    await d.startBot();
    expect((await fetch(url)).status).toBe(410);
  });
});

describe("Zalo webhook and polling", () => {
  it("refuses forged requests, ignores malformed ones and processes a redelivered event once", async () => {
    d = new ZaloReportingDriver();
    await d.start();
    const post = (body: string, headers: Record<string, string> = {}) =>
      fetch(d!.webhookUrl, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
    const forged = JSON.stringify({ event_name: "message.text.received", message: { from: { id: "x", display_name: "X" }, chat: { id: d.groupChatId, chat_type: "GROUP" }, text: "@Trợ lý MTTQ /lienket 25747", message_id: "f1", date: 1 } });
    expect((await post(forged)).status).toBe(401);
    expect((await post(forged, { "X-Bot-Api-Secret-Token": "wrong-secret" })).status).toBe(401);
    expect((await fetch(d.webhookUrl)).status).toBe(405);
    const secret = { "X-Bot-Api-Secret-Token": d.secret };
    expect((await post("not json", secret)).status).toBe(400);
    expect((await post(JSON.stringify({ hello: "world" }), secret)).status).toBe(200);
    expect((await post(JSON.stringify({ event_name: "user.follow", user: { id: "u" } }), secret)).status).toBe(200);
    expect((await post(JSON.stringify({ event_name: "message.text.received", message: { chat: 5 } }), secret)).status).toBe(200);
    expect(d.zalo.sent).toHaveLength(0);

    await linkGroup(d);
    const update = d.zalo.updates.at(-1)!;
    const before = d.zalo.sent.length;
    d.zalo.redeliver(update);
    d.zalo.redeliver(update);
    await new Promise((r) => setTimeout(r, 500));
    expect(d.zalo.sent.length).toBe(before);
    expect(d.zalo.webhookDeliveries.filter((w) => w.key.endsWith(update.message.message_id) && w.status === 200)).toHaveLength(3);
    // Still alive and answering.
    expect(await d.say(minh, "tro giup")).toContain("Các lệnh");
    expect(d.zalo.webhookDeliveries.every((w) => w.secretToken === d!.secret)).toBe(true);
    expect(d.output()).not.toContain(d.zalo.token);
    expect(d.output()).not.toContain(d.zalo.token.split(":")[1]!);
    expect(await d.killBot("SIGTERM")).toBe(0);
  });

  it("polls with getUpdates in development: an empty poll (408) is not an error", async () => {
    d = new ZaloReportingDriver({ mode: "polling", fake: { maxPollSeconds: 0.3 }, env: { LOG_LEVEL: "info" } });
    await d.start();
    await new Promise((r) => setTimeout(r, 1200));
    expect(d.zalo.calls.filter((c) => c.method === "getUpdates" && c.status === 408).length).toBeGreaterThanOrEqual(2);
    expect(d.zalo.webhook).toBeUndefined();
    await linkGroup(d);
    expect(d.output()).not.toContain("getUpdates failed");
    expect(d.output()).not.toContain(d.zalo.token);
    expect(await d.killBot("SIGTERM")).toBe(0);
  });
});

describe("Telegram and Zalo in one process", () => {
  let tg: FakeTelegram | undefined;
  let zalo: FakeZalo | undefined;
  let bot: BotProcess | undefined;
  afterEach(async () => {
    await bot?.kill("SIGKILL");
    await tg?.close();
    await zalo?.close();
  });

  it("serve one database; people are told apart per platform; the commune links a group on each", async () => {
    tg = await startFakeTelegram({ privacyMode: true, rateLimits: false });
    zalo = await startFakeZalo({ maxPollSeconds: 1 });
    const db = freshDatabase(2);
    const port = await freePort();
    bot = startBotProcess({
      DATABASE_PATH: db.path,
      BOT_CLOCK_START: CLOCK_START,
      OUTBOX_GROUP_PER_MINUTE: "10000",
      OUTBOX_GROUP_MIN_GAP_MS: "0",
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.apiRoot,
      ZALO_BOT_TOKEN: zalo.token,
      ZALO_API_ROOT: zalo.apiRoot,
      PORT: String(port),
      HOST: "127.0.0.1",
    });
    const tgGroup = { id: -1001234567890, type: "supergroup" as const, title: "MTTQ xã Tân Khai" };
    const g = new GroupDriver(tg, tgGroup);
    const z = Object.assign(new ZaloReportingDriver(), { zalo, bot, dbPath: db.path, staffCode: db.staffCodes[1]! });

    // Telegram: staff link the group; Tư registers and starts.
    expect((await g.say({ id: minh.id, first_name: "Minh" }, `/dangky ${db.staffCodes[0]}`)).text).toContain("cán bộ Mặt trận xã");
    expect((await g.say({ id: minh.id, first_name: "Minh" }, "/lienket 25747")).text).toContain("Đã liên kết");
    const menu = await g.say({ id: tu.id, first_name: "Tư" }, "/dangky");
    await g.press({ id: tu.id, first_name: "Tư" }, menu, g.buttons(menu).find((b) => b.text.includes("Ấp Bến Đò"))!.data!);
    await g.say({ id: tu.id, first_name: "Tư" }, "/baocao");
    expect((await g.say({ id: tu.id, first_name: "Tư" }, "12 buoi 3.850 nguoi")).text).toContain("Ghi nhận: 12 buổi, 3.850 lượt người");

    // Zalo: the same commune links its Zalo group; Hạnh reports for her area there.
    await linkGroup(z);
    await register(z, hanh, "Ấp Cây Dầu");
    await z.say(hanh, "baocao");
    expect(await z.say(hanh, "8 buổi, 420 người")).toContain("Ghi nhận: 8 buổi, 420 lượt người");
    // Tư on Zalo is another person until he registers there.
    expect(await z.say(tu, "baocao")).toContain("chỉ dành cho trưởng ban");

    expect(linkedChats(db.path)).toEqual([
      { platform: "telegram", chat_id: String(tgGroup.id), unit_code: "25747" },
      { platform: "zalo", chat_id: z.groupChatId, unit_code: "25747" },
    ]);
    expect(storedAnswers(db.path, "25747-01")).toMatchObject({ tt_so_buoi: 12, tt_luot_nguoi: 3850 });
    expect(storedAnswers(db.path, "25747-02")).toMatchObject({ tt_so_buoi: 8, tt_luot_nguoi: 420 });
    expect(await bot.kill("SIGTERM")).toBe(0);
  });
});
