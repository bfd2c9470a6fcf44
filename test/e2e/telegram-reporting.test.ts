// End to end: the real bot process against a local stand-in of the Telegram Bot API on 127.0.0.1.
// Three area leaders answer the default form at the same time in one group (privacy mode on), each gets
// their own draft; the bot survives SIGKILL mid-form; a 429 delays but never drops; the webhook mode works
// and refuses forged requests.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeTelegram, type FakeTelegram, type UserInput } from "../support/fake-telegram.js";
import { freePort, startBotProcess, until, type BotProcess } from "../support/bot-process.js";
import { GroupDriver } from "../support/telegram-driver.js";
import { openDatabase } from "../../src/store/db.js";
import { importUnits, readUnitsCsv } from "../../src/store/units.js";
import { createInvite } from "../../src/store/invites.js";
import { docxText } from "../../src/core/report/docx-text.js";
import { SAMPLE_UNITS } from "../../src/paths.js";

const GROUP = { id: -1001234567890, type: "supergroup" as const, title: "MTTQ xã Tân Khai" };
const minh: UserInput = { id: 5001, first_name: "Minh", last_name: "Cán bộ xã" };
const tu: UserInput = { id: 5002, first_name: "Tư" };
const hanh: UserInput = { id: 5003, first_name: "Hạnh", username: "hanh_ap2" };
const ba: UserInput = { id: 5004, first_name: "Ba" };

/** The default form, answered in the styles people type (no diacritics, dots for thousands, "15tr"). */
const ANSWERS: Record<number, string[]> = {
  [tu.id]: ["12 buoi 3.850 nguoi", "1", "15 vụ, thành 10, không thành 5", "có", "2 điểm, 5 đại biểu, 454 cử tri, 34 lượt phát biểu, 72 kiến nghị", "vận động 15 triệu, chi 10tr, giúp 12 hộ", "92,5%", "1 cuộc giám sát, 5 lượt tiếp dân, 3 đơn, đã xử lý 2", "Kinh phí hoạt động còn hạn chế", "không"],
  [hanh.id]: ["8 buổi, 420 người", "/bo", "không", "ko", "vận động 2.500.000, chi 1tr5, giúp 3 hộ", "/bo", "0", "không", "Đề nghị hỗ trợ thêm tài liệu tuyên truyền"],
  [ba.id]: ["05 buổi 210 lượt", "loa", "tiếp nhận 3 thành 3 không thành 0", "khong", "500k, chi 0, 0 hộ", "88%", "khong", "ko", "ko"],
};

let tg: FakeTelegram | undefined;
let bot: BotProcess | undefined;
afterEach(async () => {
  await bot?.kill("SIGKILL");
  await tg?.close();
  bot = undefined;
  tg = undefined;
});

function freshDatabase(): { path: string; staffCode: string } {
  const dir = mkdtempSync(join(tmpdir(), "baocao-e2e-"));
  const path = join(dir, "bot.sqlite");
  const db = openDatabase(path);
  importUnits(db, readUnitsCsv(readFileSync(SAMPLE_UNITS, "utf8")));
  const staffCode = createInvite(db, "commune_staff", "25747", new Date("2026-11-10T02:00:00Z"));
  db.close();
  return { path, staffCode };
}

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

function storedAnswers(dbPath: string, unit: string): Record<string, unknown> {
  const db = new Database(dbPath, { readonly: true });
  const rows = db.prepare("SELECT field_id, value_json FROM answers WHERE unit_code = ?").all(unit) as Array<{ field_id: string; value_json: string | null }>;
  db.close();
  return Object.fromEntries(rows.map((r) => [r.field_id, r.value_json === null ? null : JSON.parse(r.value_json)]));
}

describe("Telegram, long polling, privacy mode on", () => {
  it("three leaders fill the form at once and each gets their own correct draft", async () => {
    tg = await startFakeTelegram({ privacyMode: true, rateLimits: false });
    const { path, staffCode } = freshDatabase();
    bot = startBotProcess(botEnv(tg, path));
    const g = new GroupDriver(tg, GROUP);
    await setUpGroup(g, staffCode, [[tu, "Ấp Bến Đò"], [hanh, "Ấp Cây Dầu"], [ba, "Ấp Sóc Ruộng"]]);

    const leaders = [tu, hanh, ba];
    for (const user of leaders) {
      const first = await g.say(user, "/baocao");
      expect(first.text).toContain(`mời anh/chị ${user.first_name} nhập báo cáo tháng 11/2026`);
      expect(first.replyMarkup).toMatchObject({ force_reply: true, selective: true });
    }
    // Interleave: one answer from each in turn, as in a busy group.
    const draftsFrom = tg.sent.length;
    for (let i = 0; i < 10; i++) {
      for (const user of leaders) {
        const text = ANSWERS[user.id]![i];
        if (text === undefined) continue;
        const reply = await g.say(user, text);
        expect(reply.text ?? reply.caption, `${user.first_name}: ${text}`).not.toMatch(/chưa đọc được|không thể/);
      }
    }
    // A plain message that is not a reply is never delivered in privacy mode, and changes nothing.
    tg.userSays({ chat: GROUP, from: tu, text: "99 buổi" });
    expect(tg.droppedByPrivacy.length).toBeGreaterThan(0);

    const drafts = await Promise.all(["Ấp Bến Đò", "Ấp Cây Dầu", "Ấp Sóc Ruộng"].map((a) => g.draftFor(a, draftsFrom)));
    const [d1, d2, d3] = await Promise.all(drafts.map((d) => docxText(d.document!.bytes)));
    expect(drafts[0]!.document!.filename).toBe("Bao-cao-thang-11-2026-Ap-Ben-Do.docx");
    expect(drafts[0]!.caption).toContain("Hòa giải thành 10/15 vụ (66,7%)");
    expect(d1).toContain("BAN CÔNG TÁC MẶT TRẬN ẤP BẾN ĐÒ");
    expect(d1).toContain("12 buổi tuyên truyền, phổ biến, giáo dục pháp luật, thu hút 3.850 lượt người tham dự");
    expect(d1).toContain("hòa giải thành 10/15 vụ, đạt 66,7%");
    expect(d1).toContain("Vận động Quỹ “Vì người nghèo” được 15.000.000 đồng");
    expect(d1).toContain("Tân Khai, ngày 10 tháng 11 năm 2026");
    expect(d2).toContain("BAN CÔNG TÁC MẶT TRẬN ẤP CÂY DẦU");
    expect(d2).toContain("8 buổi tuyên truyền");
    expect(d2).toContain("Trong kỳ không phát sinh vụ việc cần hòa giải.");
    expect(d2).toContain("Chi hỗ trợ, chăm lo 1.500.000 đồng, giúp đỡ 3 hộ");
    expect(d2).toContain("Đề nghị hỗ trợ thêm tài liệu tuyên truyền");
    expect(d3).toContain("hòa giải thành 3/3 vụ, đạt 100%");
    expect(d3).toContain("Vận động Quỹ “Vì người nghèo” được 500.000 đồng");
    expect(d3).not.toContain("Ấp Bến Đò");
    expect(storedAnswers(path, "25747-01")).toMatchObject({ tt_so_buoi: 12, tt_luot_nguoi: 3850, hg_thanh: 10 });
    expect(storedAnswers(path, "25747-03")).toMatchObject({ tt_so_buoi: 5, tt_hinh_thuc: "loa", qvnn_van_dong: 500_000 });
    // One bot message per turn: no user message got two replies.
    const replyTargets = tg.sent.filter((s) => s.method === "sendMessage" && s.replyTo).map((s) => s.replyTo);
    expect(new Set(replyTargets).size).toBe(replyTargets.length);
  });

  it("someone replying to another person's question is told politely and nothing changes", async () => {
    tg = await startFakeTelegram({ privacyMode: true, rateLimits: false });
    const { path, staffCode } = freshDatabase();
    bot = startBotProcess(botEnv(tg, path));
    const g = new GroupDriver(tg, GROUP);
    await setUpGroup(g, staffCode, [[tu, "Ấp Bến Đò"], [hanh, "Ấp Cây Dầu"]]);
    const question = await g.say(tu, "/baocao");
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

  it("loses nothing and repeats nothing when killed mid-form and restarted", async () => {
    tg = await startFakeTelegram({ privacyMode: true, rateLimits: false });
    const { path, staffCode } = freshDatabase();
    bot = startBotProcess(botEnv(tg, path));
    const g = new GroupDriver(tg, GROUP);
    await setUpGroup(g, staffCode, [[tu, "Ấp Bến Đò"]]);
    await g.say(tu, "/baocao");
    for (const a of ANSWERS[tu.id]!.slice(0, 4)) await g.say(tu, a);
    const acknowledged = storedAnswers(path, "25747-01");
    expect(acknowledged).toMatchObject({ tt_so_buoi: 12, hg_tiep_nhan: 15, txct_co: true });

    await bot.kill("SIGKILL");
    // An answer sent while the bot is down is delivered after the restart.
    const pending = tg.userSays({ chat: GROUP, from: tu, text: ANSWERS[tu.id]![4]!, replyTo: tg.lastTo(GROUP.id)!.messageId });
    bot = startBotProcess(botEnv(tg, path));
    const afterRestart = await tg.waitFor((s) => s.replyTo === pending.message!.message_id, 15_000);
    expect(afterRestart.text).toContain("454 cử tri");
    g.remember(tu, afterRestart.messageId);
    for (const a of ANSWERS[tu.id]!.slice(5)) await g.say(tu, a);
    const draft = await g.draftFor("Ấp Bến Đò");
    expect(await docxText(draft.document!.bytes)).toContain("3.850 lượt người");
    await new Promise((r) => setTimeout(r, 300));
    const drafts = tg.sent.filter((s) => s.method === "sendDocument");
    expect(drafts).toHaveLength(1);
    const replyTargets = tg.sent.filter((s) => s.method === "sendMessage" && s.replyTo).map((s) => s.replyTo);
    expect(new Set(replyTargets).size).toBe(replyTargets.length);
    expect(storedAnswers(path, "25747-01")).toMatchObject({ ...acknowledged, txct_cu_tri: 454, kk_kho_khan: "Kinh phí hoạt động còn hạn chế" });
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
