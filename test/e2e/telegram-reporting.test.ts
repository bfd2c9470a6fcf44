// End to end on Telegram only: the real bot process against a local stand-in of the Telegram Bot API.
// Questions use a selective ForceReply and replies to another person's question are refused; a 429 delays
// but never drops; privacy mode off; the webhook mode works and refuses forged requests. The reporting
// scenarios shared with Zalo (three leaders at once, SIGKILL mid-form) are in reporting.scenarios.test.ts.
import { afterEach, describe, expect, it } from "vitest";
import { startFakeTelegram, type FakeTelegram, type UserInput } from "../support/fake-telegram.js";
import { freePort, startBotProcess, until, type BotProcess } from "../support/bot-process.js";
import { GroupDriver } from "../support/telegram-driver.js";
import { ANSWERS, freshDatabase, storedAnswers } from "../support/reporting-data.js";

const GROUP = { id: -1001234567890, type: "supergroup" as const, title: "MTTQ xã Tân Khai" };
const minh: UserInput = { id: 5001, first_name: "Minh", last_name: "Cán bộ xã" };
const tu: UserInput = { id: 5002, first_name: "Tư" };
const hanh: UserInput = { id: 5003, first_name: "Hạnh", username: "hanh_ap2" };

let tg: FakeTelegram | undefined;
let bot: BotProcess | undefined;
afterEach(async () => {
  await bot?.kill("SIGKILL");
  await tg?.close();
  bot = undefined;
  tg = undefined;
});

function botEnv(tg: FakeTelegram, dbPath: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.apiRoot,
    DATABASE_PATH: dbPath,
    BOT_CLOCK_START: "2026-11-10T09:00:00+07:00",
    OUTBOX_GROUP_PER_MINUTE: "10000",
    OUTBOX_GROUP_MIN_GAP_MS: "0",
    ...extra,
  };
}

/** Staff redeem their code and link the group; each leader registers by pressing their area's button. */
async function setUpGroup(g: GroupDriver, staffCode: string, leaders: Array<[UserInput, string]>): Promise<void> {
  expect((await g.say(minh, `/dangky ${staffCode}`)).text).toContain("cán bộ Mặt trận xã");
  expect((await g.say(minh, "/lienket 25747")).text).toContain("Đã liên kết nhóm này với Xã Tân Khai");
  for (const [user, area] of leaders) {
    const menu = await g.say(user, "/dangky");
    const button = g.buttons(menu).find((b) => b.text.includes(area))!;
    const done = await g.press(user, menu, button.data!);
    expect(done.text).toContain(`trưởng ban công tác Mặt trận ${area}`);
  }
}

describe("Telegram, long polling, privacy mode on", () => {
  it("someone replying to another person's question is told politely and nothing changes", async () => {
    tg = await startFakeTelegram({ privacyMode: true, rateLimits: false });
    const { path, staffCode } = freshDatabase();
    bot = startBotProcess(botEnv(tg, path));
    const g = new GroupDriver(tg, GROUP);
    await setUpGroup(g, staffCode, [[tu, "Ấp Bến Đò"], [hanh, "Ấp Cây Dầu"]]);
    const question = await g.say(tu, "/baocao");
    // The question opens the reply box for Tư only (selective ForceReply), which works with privacy mode on.
    expect(question.replyMarkup).toMatchObject({ force_reply: true, selective: true });
    g.remember(hanh, question.messageId);
    const refusal = await g.say(hanh, "7 buổi, 100 người");
    expect(refusal.text).toContain("câu hỏi này dành cho Tư");
    expect(storedAnswers(path, "25747-01")).toEqual({});
    expect(storedAnswers(path, "25747-02")).toEqual({});
    // Stickers and edits: a polite word or silence, never a stored value.
    const sticker = tg.userSendsSticker({ chat: GROUP, from: tu, replyTo: question.messageId });
    const stickerReply = await tg.waitFor((s) => s.replyTo === sticker.message!.message_id, 10_000);
    expect(stickerReply.text).toContain("chỉ đọc được tin nhắn chữ");
    expect(storedAnswers(path, "25747-01")).toEqual({});
  });

  it("waits out 429 Too Many Requests and still delivers every reply once", async () => {
    tg = await startFakeTelegram({ privacyMode: true, rateLimits: false, faults: { seed: 7, rate429: 0.35, retryAfter: 1, methods: ["sendMessage", "sendDocument"] } });
    const { path, staffCode } = freshDatabase();
    bot = startBotProcess(botEnv(tg, path));
    const g = new GroupDriver(tg, GROUP, 30_000);
    await setUpGroup(g, staffCode, [[tu, "Ấp Bến Đò"]]);
    await g.say(tu, "/baocao");
    for (const a of ANSWERS[tu.id]!.slice(0, 3)) await g.say(tu, a);
    expect(tg.faultCounts["429"]).toBeGreaterThan(0);
    const replyTargets = tg.sent.filter((s) => s.method === "sendMessage" && s.replyTo).map((s) => s.replyTo);
    expect(new Set(replyTargets).size).toBe(replyTargets.length);
  }, 60_000);
});

describe("Telegram, privacy mode off", () => {
  it("accepts an answer typed without replying, and ignores chatter", async () => {
    tg = await startFakeTelegram({ privacyMode: false, rateLimits: false });
    const { path, staffCode } = freshDatabase();
    bot = startBotProcess(botEnv(tg, path));
    const g = new GroupDriver(tg, GROUP);
    await setUpGroup(g, staffCode, [[tu, "Ấp Bến Đò"]]);
    await g.say(tu, "/baocao");
    const chatter = tg.userSays({ chat: GROUP, from: tu, text: "chào cả nhà nhé" });
    const answer = tg.userSays({ chat: GROUP, from: tu, text: "12 buổi, 350 người" });
    const reply = await tg.waitFor((s) => s.replyTo === answer.message!.message_id, 10_000);
    expect(reply.text).toContain("Ghi nhận: 12 buổi, 350 lượt người");
    expect(tg.sent.some((s) => s.replyTo === chatter.message!.message_id)).toBe(false);
  });
});

describe("Telegram, webhook", () => {
  it("serves updates through the webhook and refuses requests without the secret", async () => {
    tg = await startFakeTelegram({ privacyMode: true, rateLimits: false });
    const { path, staffCode } = freshDatabase();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/telegram/webhook`;
    bot = startBotProcess(botEnv(tg, path, { TELEGRAM_WEBHOOK_URL: url, TELEGRAM_WEBHOOK_SECRET: "s3cret-Token_1", PORT: String(port), HOST: "127.0.0.1" }));
    await until(() => tg!.webhookUrl === url && bot!.output().includes("HTTP_PORT="), 15_000, "webhook registration");
    const forged = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ update_id: 1, message: { message_id: 1, date: 0, chat: { id: GROUP.id, type: "supergroup" }, from: { id: 666, is_bot: false, first_name: "X" }, text: "/lienket 25747" } }) });
    expect(forged.status).toBe(401);
    const wrong = await fetch(url, { method: "POST", headers: { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "nope" }, body: "{}" });
    expect(wrong.status).toBe(401);

    const g = new GroupDriver(tg, GROUP);
    await setUpGroup(g, staffCode, [[tu, "Ấp Bến Đò"]]);
    await g.say(tu, "/baocao");
    const r = await g.say(tu, "12 buoi 3.850 nguoi");
    expect(r.text).toContain("Ghi nhận: 12 buổi, 3.850 lượt người");
    expect(tg.webhookDeliveries.every((d) => d.secretToken === "s3cret-Token_1")).toBe(true);
    expect(bot.output()).not.toContain(tg.token);
    expect(await bot.kill("SIGTERM")).toBe(0);
  });
});
