import http from "node:http";
import type { AddressInfo } from "node:net";
import { Api, Bot, GrammyError, HttpError, InputFile, webhookCallback } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import {
  type ChatInput,
  type FakeTelegram,
  type FakeTelegramOptions,
  type UserInput,
  parseHtml,
  parseMarkdownV2,
  startFakeTelegram,
} from "../support/fake-telegram.js";
import { encodePng } from "../../src/app/charts/png.js";

const GROUP: ChatInput = { id: -1001234567890, type: "supergroup", title: "MTTQ xã An Phú" };
const AN: UserInput = { id: 501, first_name: "An", last_name: "Nguyễn", username: "an_nguyen" };
const BINH: UserInput = { id: 502, first_name: "Bình" };

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function fake(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const tg = await startFakeTelegram(options);
  cleanups.push(() => tg.close());
  return tg;
}

function apiFor(tg: FakeTelegram): Api {
  return new Api(tg.token, { apiRoot: tg.apiRoot });
}

async function failure(p: Promise<unknown>): Promise<GrammyError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof GrammyError)) throw new Error(`expected a GrammyError, got ${String(e)}`);
  return e;
}

async function listen(handler: http.RequestListener): Promise<{ url: string; server: http.Server }> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  cleanups.push(() => new Promise((r) => server.close(r)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe("fake Telegram: long polling with grammY", () => {
  it("delivers a user's command and records the bot's reply and callback answer", async () => {
    const tg = await fake();
    const bot = new Bot(tg.token, { client: { apiRoot: tg.apiRoot } });
    bot.command("start", (ctx) =>
      ctx.reply(`Xin chào ${ctx.from?.first_name ?? ""}`, {
        reply_parameters: { message_id: ctx.msg.message_id },
        reply_markup: { inline_keyboard: [[{ text: "Bắt đầu", callback_data: "go" }]] },
      }),
    );
    bot.callbackQuery("go", (ctx) => ctx.answerCallbackQuery({ text: "Đã nhận" }));
    const started = new Promise<void>((resolve) => {
      void bot.start({ onStart: () => resolve() });
    });
    cleanups.push(() => (bot.isRunning() ? bot.stop() : undefined));
    await started;

    const update = tg.userSays({ chat: GROUP, from: AN, text: "/start@baocao_test_bot" });
    expect(update.message?.entities).toEqual([{ type: "bot_command", offset: 0, length: 22 }]);
    const reply = await tg.waitFor((e) => e.method === "sendMessage" && e.chatId === GROUP.id);
    expect(reply.text).toBe("Xin chào An");
    expect(reply.replyTo).toBe(update.message?.message_id);
    expect(reply.messageId).toBe((update.message?.message_id ?? 0) + 1); // shared per-chat counter

    tg.userPresses({ chat: GROUP, from: BINH, messageId: reply.messageId, data: "go" });
    const answer = await tg.waitFor((e) => e.method === "answerCallbackQuery");
    expect(answer).toMatchObject({ text: "Đã nhận", chatId: GROUP.id, messageId: reply.messageId });

    await bot.stop();
    await tg.waitUntilConsumed(2000);
    expect(tg.pendingUpdates).toHaveLength(0);
    expect(tg.callsOf("getMe")).toHaveLength(1);
  });

  it("rejects a wrong token with 401 and a second concurrent poller with 409", async () => {
    const tg = await fake();
    const wrong = new Api("42:nope", { apiRoot: tg.apiRoot });
    expect((await failure(wrong.getMe())).error_code).toBe(401);

    const api = apiFor(tg);
    const first = api.getUpdates({ timeout: 5 });
    await new Promise((r) => setTimeout(r, 50));
    const second = api.getUpdates({ timeout: 0 });
    const e = await failure(first);
    expect(e.error_code).toBe(409);
    expect(await second).toEqual([]);
  });
});

describe("fake Telegram: webhooks", () => {
  it("POSTs updates to grammY's webhookCallback with the secret header; getUpdates then conflicts", async () => {
    const tg = await fake();
    const bot = new Bot(tg.token, { client: { apiRoot: tg.apiRoot } });
    bot.on("message:text", (ctx) => ctx.reply(`Đã nhận: ${ctx.msg.text}`));
    const { url } = await listen(webhookCallback(bot, "http", { secretToken: "s3cret_TOKEN-1" }));

    await bot.api.setWebhook(`${url}/tg`, { secret_token: "s3cret_TOKEN-1" });
    tg.userSays({ chat: { id: AN.id, type: "private" }, from: AN, text: "xin chào" });
    const reply = await tg.waitFor((e) => e.chatId === AN.id);
    expect(reply.text).toBe("Đã nhận: xin chào");
    await tg.waitUntilConsumed(2000);
    expect(tg.webhookDeliveries[0]).toMatchObject({ status: 200, secretToken: "s3cret_TOKEN-1", attempt: 1 });

    expect((await failure(bot.api.getUpdates())).error_code).toBe(409);
    expect((await bot.api.getWebhookInfo()).url).toBe(`${url}/tg`);
    await bot.api.deleteWebhook();
    expect(await bot.api.getUpdates({ timeout: 0 })).toEqual([]);
  });

  it("retries a delivery answered with a non-2xx status", async () => {
    const tg = await fake({ webhookRetryDelayMs: 10 });
    const seen: Array<{ secret: string | undefined; body: string }> = [];
    const { url } = await listen((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        seen.push({ secret: req.headers["x-telegram-bot-api-secret-token"] as string | undefined, body: Buffer.concat(chunks).toString() });
        res.statusCode = seen.length === 1 ? 500 : 200;
        res.end();
      });
    });
    await apiFor(tg).setWebhook(url, { secret_token: "abc" });
    const update = tg.userSays({ chat: GROUP, from: AN, text: "/baocao" });
    await tg.waitUntilConsumed(2000);
    expect(seen.map((s) => s.secret)).toEqual(["abc", "abc"]);
    expect(JSON.parse(seen[1]?.body ?? "{}")).toEqual(JSON.parse(JSON.stringify(update)));
    expect(tg.webhookDeliveries.map((d) => [d.attempt, d.status])).toEqual([
      [1, 500],
      [2, 200],
    ]);
    const info = await apiFor(tg).getWebhookInfo();
    expect(info.last_error_message).toContain("500");
  });
});

describe("fake Telegram: rate limits on an injected clock", () => {
  it("answers 429 after 20 messages per minute to one group, with retry_after from the clock", async () => {
    let t = Date.parse("2026-05-04T08:00:00+07:00");
    const tg = await fake({ clock: { now: () => t } });
    const api = apiFor(tg);
    tg.addChat(GROUP);
    const other: ChatInput = { id: -1009999, type: "supergroup", title: "Ấp 2" };
    tg.addChat(other);

    const first = await api.sendMessage(GROUP.id, "tin 1");
    t += 1000;
    for (let i = 2; i <= 19; i++) {
      await api.sendMessage(GROUP.id, `tin ${i}`);
      t += 1000;
    }
    await api.editMessageText(GROUP.id, first.message_id, "tin 1 (sửa)"); // edits count too: 20th
    expect(first.date).toBe(Math.floor(Date.parse("2026-05-04T08:00:00+07:00") / 1000));

    const e = await failure(api.sendMessage(GROUP.id, "tin 21"));
    expect(e.error_code).toBe(429);
    expect(e.parameters.retry_after).toBe(41); // first hit at +0 s, now +19 s: free again at +60 s
    expect(e.description).toBe("Too Many Requests: retry after 41");
    await api.sendMessage(other.id, "another group is not limited");

    t += 41_000;
    await api.sendMessage(GROUP.id, "tin 21");
    expect(tg.messagesTo(GROUP.id)).toHaveLength(20);

    tg.rateLimits = false;
    for (let i = 0; i < 30; i++) await api.sendMessage(GROUP.id, `không giới hạn ${i}`);
  });
});

describe("fake Telegram: privacy mode", () => {
  it("drops plain group text but delivers commands, replies to the bot and private messages", async () => {
    const tg = await fake();
    const api = apiFor(tg);
    expect((await api.getMe()).can_read_all_group_messages).toBe(false);

    const plain = tg.userSays({ chat: GROUP, from: AN, text: "báo cáo tuần này thế nào?" });
    const command = tg.userSays({ chat: GROUP, from: AN, text: "/baocao tuần" });
    const otherBot = tg.userSays({ chat: GROUP, from: AN, text: "/start@some_other_bot" });
    const question = await api.sendMessage(GROUP.id, "Số hộ nghèo?", { reply_markup: { force_reply: true, selective: true } });
    const answer = tg.userSays({ chat: GROUP, from: AN, text: "12", replyTo: question.message_id });
    const replyToUser = tg.userSays({ chat: GROUP, from: BINH, text: "đồng ý", replyTo: plain.message?.message_id ?? 0 });
    const dm = tg.userSays({ chat: { id: BINH.id, type: "private" }, from: BINH, text: "chào bot" });

    expect(tg.droppedByPrivacy).toEqual([plain, otherBot, replyToUser]);
    expect(tg.pendingUpdates).toEqual([command, answer, dm]);
    expect(answer.message?.reply_to_message?.text).toBe("Số hộ nghèo?");
    expect(answer.message?.reply_to_message?.from?.id).toBe(tg.bot.id);

    tg.privacyMode = false;
    expect((await api.getMe()).can_read_all_group_messages).toBe(true);
    const later = tg.userSays({ chat: GROUP, from: AN, text: "giờ bot thấy hết" });
    expect(tg.pendingUpdates.at(-1)).toBe(later);

    const updates = await api.getUpdates({ offset: 0, timeout: 0 });
    expect(updates.map((u) => u.update_id)).toEqual([command, answer, dm, later].map((u) => u.update_id));
    await api.getUpdates({ offset: later.update_id + 1, timeout: 0 });
    expect(tg.pendingUpdates).toHaveLength(0);
  });
});

/** A tiny real PNG of the given size (one grey row repeated), from the chart's own encoder. */
function png(width: number, height: number): Buffer {
  return encodePng(new Uint8Array(width * height * 4).fill(200), width, height);
}

describe("fake Telegram: photos and albums", () => {
  it("records an uploaded photo with its size, caption and reply, and refuses what Telegram refuses", async () => {
    const tg = await fake();
    const api = apiFor(tg);
    tg.addChat(GROUP);
    const bytes = png(1200, 640);
    const msg = await api.sendPhoto(GROUP.id, new InputFile(bytes, "Bieu-do.png"), { caption: "Tổng hợp tháng 11/2026" });
    const entry = tg.lastTo(GROUP.id);
    expect(entry?.method).toBe("sendPhoto");
    expect(entry?.photo).toMatchObject({ filename: "Bieu-do.png", width: 1200, height: 640 });
    expect(entry?.photo?.bytes.equals(bytes)).toBe(true);
    expect(entry?.caption).toBe("Tổng hợp tháng 11/2026");
    expect(msg.photo.at(-1)).toMatchObject({ width: 1200, height: 640 });

    expect((await failure(api.sendPhoto(GROUP.id, new InputFile(Buffer.from("not an image"), "x.png")))).description).toContain("IMAGE_PROCESS_FAILED");
    expect((await failure(api.sendPhoto(GROUP.id, new InputFile(png(2100, 100), "wide.png")))).description).toContain("PHOTO_INVALID_DIMENSIONS");
    expect((await failure(api.sendPhoto(GROUP.id, new InputFile(bytes, "b.png"), { caption: "x".repeat(1025) }))).description).toContain(
      "caption is too long",
    );
  });

  it("records an album as one message per photo with one media group id, the caption on the first", async () => {
    const tg = await fake();
    const api = apiFor(tg);
    tg.addChat(GROUP);
    const question = await api.sendMessage(GROUP.id, "Tổng hợp?");
    const pages = [png(1200, 900), png(1200, 700), png(1200, 300)];
    const sent = await api.sendMediaGroup(
      GROUP.id,
      pages.map((bytes, i) => ({ type: "photo" as const, media: new InputFile(bytes, `Bieu-do-${i + 1}.png`), ...(i === 0 ? { caption: "Trang 1" } : {}) })),
      { reply_parameters: { message_id: question.message_id } },
    );
    expect(sent).toHaveLength(3);
    const album = tg.photosTo(GROUP.id);
    expect(album.map((e) => e.method)).toEqual(["sendMediaGroup", "sendMediaGroup", "sendMediaGroup"]);
    expect(new Set(album.map((e) => e.mediaGroupId)).size).toBe(1);
    expect(album.map((e) => e.photo?.height)).toEqual([900, 700, 300]);
    expect(album.map((e) => e.photo?.bytes.equals(pages[album.indexOf(e)]!))).toEqual([true, true, true]);
    expect(album.map((e) => e.caption)).toEqual(["Trang 1", undefined, undefined]);
    expect(album[0]?.replyTo).toBe(question.message_id);
    expect(tg.messagesTo(GROUP.id)).toHaveLength(4);

    const one = [{ type: "photo" as const, media: new InputFile(pages[0]!, "a.png") }];
    expect((await failure(api.sendMediaGroup(GROUP.id, one))).description).toContain("must be 2-10");
  });
});

describe("fake Telegram: documents", () => {
  it("captures a multipart upload with its filename, and serves it back through getFile", async () => {
    const tg = await fake();
    const api = apiFor(tg);
    tg.addChat(GROUP);
    const bytes = Buffer.concat([Buffer.from("PK\x03\x04"), Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 256))]);
    const filename = "Báo cáo tháng 5; xã An Phú.docx";
    const msg = await api.sendDocument(GROUP.id, new InputFile(bytes, filename), {
      caption: "<b>Báo cáo</b> tháng 5 &amp; kế hoạch",
      parse_mode: "HTML",
      reply_markup: { inline_keyboard: [[{ text: "Duyệt", callback_data: "approve:2026-05" }]] },
    });

    const entry = tg.lastTo(GROUP.id);
    expect(entry?.method).toBe("sendDocument");
    expect(entry?.document?.filename).toBe(filename);
    expect(entry?.document?.bytes.equals(bytes)).toBe(true);
    expect(entry?.caption).toBe("Báo cáo tháng 5 & kế hoạch");
    expect(entry?.entities).toEqual([{ type: "bold", offset: 0, length: 7 }]);
    expect(entry?.replyMarkup).toEqual({ inline_keyboard: [[{ text: "Duyệt", callback_data: "approve:2026-05" }]] });
    expect(msg.document?.file_name).toBe(filename);
    expect(msg.document?.mime_type).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");

    const file = await api.getFile(msg.document?.file_id ?? "");
    const res = await fetch(`${tg.apiRoot}/file/bot${tg.token}/${file.file_path ?? ""}`);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
  });
});

describe("fake Telegram: validation like Telegram", () => {
  it("editMessageText: not modified, missing message, removed keyboard", async () => {
    const tg = await fake();
    const api = apiFor(tg);
    tg.addChat(GROUP);
    const m = await api.sendMessage(GROUP.id, "Đã nhận 3/10 báo cáo");
    const same = await failure(api.editMessageText(GROUP.id, m.message_id, "Đã nhận 3/10 báo cáo"));
    expect(same.error_code).toBe(400);
    expect(same.description).toContain("Bad Request: message is not modified");
    expect((await failure(api.editMessageText(GROUP.id, 999, "x"))).description).toBe("Bad Request: message to edit not found");

    await api.editMessageText(GROUP.id, m.message_id, "Đã nhận <b>4/10</b> báo cáo", { parse_mode: "HTML" });
    expect(tg.getMessage(GROUP.id, m.message_id)?.text).toBe("Đã nhận 4/10 báo cáo");
    expect(tg.getMessage(GROUP.id, m.message_id)?.edit_date).toBeTypeOf("number");
    expect(tg.editsOf(m.message_id)).toHaveLength(1);

    const withKb = await api.sendMessage(GROUP.id, "Chọn", { reply_markup: { inline_keyboard: [[{ text: "A", callback_data: "a" }]] } });
    await api.editMessageText(GROUP.id, withKb.message_id, "Đã chọn");
    expect(tg.getMessage(GROUP.id, withKb.message_id)?.reply_markup).toBeUndefined();
  });

  it("rejects bad text, markup, replies and sends to a migrated group", async () => {
    const tg = await fake();
    const api = apiFor(tg);
    const group: ChatInput = { id: -4001, type: "group", title: "Tổ 1" };
    tg.userSays({ chat: group, from: AN, text: "/start" });

    const html = await failure(api.sendMessage(group.id, "<b>đậm <i>nghiêng</b></i>", { parse_mode: "HTML" }));
    expect(html.description).toMatch(/^Bad Request: can't parse entities: Unmatched end tag/);
    expect((await failure(api.sendMessage(group.id, "<div>x</div>", { parse_mode: "HTML" }))).description).toBe(
      `Bad Request: can't parse entities: Unsupported start tag "div" at byte offset 0`,
    );
    expect((await failure(api.sendMessage(group.id, "x", { parse_mode: "Markdown3" as "HTML" }))).description).toBe(
      "Bad Request: unsupported parse_mode",
    );
    expect((await failure(api.sendMessage(group.id, "a".repeat(4097)))).description).toBe("Bad Request: message is too long");
    await api.sendMessage(group.id, `<b>${"a".repeat(4096)}</b>`, { parse_mode: "HTML" }); // 4096 after parsing is fine
    expect((await failure(api.sendMessage(group.id, "  "))).description).toBe("Bad Request: message text is empty");

    const longData = await failure(
      api.sendMessage(group.id, "x", { reply_markup: { inline_keyboard: [[{ text: "x", callback_data: "đ".repeat(33) }]] } }),
    );
    expect(longData.description).toBe("Bad Request: BUTTON_DATA_INVALID");

    expect((await failure(api.sendMessage(group.id, "x", { reply_parameters: { message_id: 777 } }))).description).toBe(
      "Bad Request: message to be replied not found",
    );
    const loose = await api.sendMessage(group.id, "x", { reply_parameters: { message_id: 777, allow_sending_without_reply: true } });
    expect(loose.reply_to_message).toBeUndefined();

    const { migrateTo, migrateFrom } = tg.migrateGroup(group.id, -1004001);
    expect(migrateTo.message?.migrate_to_chat_id).toBe(-1004001);
    expect(migrateFrom.message?.chat.type).toBe("supergroup");
    const migrated = await failure(api.sendMessage(group.id, "x"));
    expect(migrated.error_code).toBe(400);
    expect(migrated.parameters.migrate_to_chat_id).toBe(-1004001);
    await api.sendMessage(-1004001, "đã chuyển");

    expect((await failure(api.sendMessage(-777, "x"))).description).toBe("Bad Request: chat not found");
    expect((await failure(api.sendMessage(888, "x"))).error_code).toBe(403);
  });

  it("parses MarkdownV2 strictly and HTML entities", () => {
    expect(() => parseMarkdownV2("Hạn nộp: 05.06")).toThrow(/Character '\.' is reserved/);
    expect(parseMarkdownV2("*Hạn* nộp: 05\\.06").entities).toEqual([{ type: "bold", offset: 0, length: 3 }]);
    const h = parseHtml('<a href="tg://user?id=5">Bình</a> &lt;3 &amp; A&B');
    expect(h.text).toBe("Bình <3 & A&B");
    expect(h.entities).toEqual([{ type: "text_link", offset: 0, length: 4, url: "tg://user?id=5" }]);
  });
});

describe("fake Telegram: fault injection", () => {
  it("injects the same faults for the same seed and counts them", async () => {
    async function run(): Promise<string[]> {
      const tg = await fake({ faults: { seed: 7, rate429: 0.2, rate500: 0.2, rateDrop: 0.1 }, rateLimits: false });
      const api = apiFor(tg);
      tg.addChat(GROUP);
      const outcomes: string[] = [];
      for (let i = 0; i < 30; i++) {
        try {
          await api.sendMessage(GROUP.id, `m${i}`);
          outcomes.push("ok");
        } catch (e) {
          outcomes.push(e instanceof GrammyError ? String(e.error_code) : e instanceof HttpError ? "drop" : "other");
        }
      }
      expect(tg.faultCounts["429"]).toBe(outcomes.filter((o) => o === "429").length);
      expect(tg.faultCounts.drop).toBe(outcomes.filter((o) => o === "drop").length);
      expect(tg.messagesTo(GROUP.id)).toHaveLength(outcomes.filter((o) => o === "ok").length);
      await api.getMe(); // not a faultable method
      return outcomes;
    }
    const a = await run();
    const b = await run();
    expect(a).toEqual(b);
    expect(new Set(a)).toEqual(new Set(["ok", "429", "500", "drop"]));
  });

  it("waitFor rejects with the last sent texts", async () => {
    const tg = await fake();
    tg.addChat(GROUP);
    await apiFor(tg).sendMessage(GROUP.id, "Nhắc: hạn nộp báo cáo");
    await expect(tg.waitFor((e) => e.text === "không có", 50)).rejects.toThrow(/Nhắc: hạn nộp báo cáo/);
  });
});
