// The Zalo adapter's pure parts: reading updates (mentions, commands without a slash, malformed payloads),
// rendering plain text (numbered choices, yes/no, links) and splitting at the 2,000-character limit; then the
// client and the transport against the local stand-in of the Zalo Bot API.
import { afterEach, describe, expect, it } from "vitest";
import { loadPrompts } from "../../src/config/load-prompts.js";
import { DEFAULT_PROMPTS } from "../../src/paths.js";
import { COMMAND_NAMES } from "../../src/core/conversation/decide.js";
import { normalizeCommand, stripMention } from "../../src/adapters/zalo/commands.js";
import { parseUpdate, toEvent } from "../../src/adapters/zalo/to-event.js";
import { formatExpiry, renderPlain, splitText } from "../../src/adapters/zalo/render.js";
import { ZaloApi, ZaloApiError, ZaloNetworkError } from "../../src/adapters/zalo/api.js";
import { ZaloTransport, toSendError } from "../../src/adapters/zalo/transport.js";
import { SendError } from "../../src/app/outbox.js";
import { startFakeZalo, type FakeZalo } from "../support/fake-zalo.js";
import { Harness } from "../support/harness.js";
import { readEnv } from "../../src/config/env.js";

const m = loadPrompts(DEFAULT_PROMPTS).messages;
const BOT = ["Trợ lý MTTQ", "bot.TroLyMTTQ"];

describe("commands typed without a slash", () => {
  it.each([
    ["baocao", "/baocao"],
    ["bao cao", "/baocao"],
    ["Báo cáo", "/baocao"],
    ["BÁO CÁO", "/baocao"],
    ["/baocao", "/baocao"],
    ["tro giup", "/trogiup"],
    ["Đăng ký", "/dangky"],
    ["dang ky K7M2PQRS", "/dangky K7M2PQRS"],
    ["liên kết 25747", "/lienket 25747"],
    ["thu hoi 2", "/thuhoi 2"],
    ["sua 3 15", "/sua 3 15"],
    ["mở kỳ tháng 10/2026", "/moky tháng 10/2026"],
    ["start p_tok123", "/start p_tok123"],
    ["lai", "/lai"],
    ["Hủy", "/huy"],
    ["chấp nhận 3", "/chapnhan 3"],
    ["tu choi 3 da co nguoi", "/tuchoi 3 da co nguoi"],
  ])("%s → %s", (typed, command) => {
    expect(normalizeCommand(typed)).toBe(command);
  });

  it.each(["Sửa chữa nhà văn hóa ấp", "Xem xét lại kinh phí", "bổ sung sau", "12 buổi, 350 người", "có", "không", "báo cáo đầy đủ rồi"])(
    "leaves an answer alone: %s",
    (answer) => {
      expect(normalizeCommand(answer)).toBe(answer);
    },
  );

  it("knows every command the core answers", async () => {
    const h = new Harness();
    try {
      for (const name of COMMAND_NAMES) {
        const sent = await h.say({ id: "9", name: "Ba" }, `/${name}`, { chatId: "9" });
        expect(Harness.texts(sent).join("\n"), name).not.toContain("chưa hiểu lệnh");
      }
    } finally {
      h.close();
    }
  });
});

describe("mentions in a group", () => {
  it("removes the bot's name wherever it is and says the message was for the bot", () => {
    expect(stripMention("@Trợ lý MTTQ baocao", BOT)).toEqual({ text: "baocao", mentioned: true, guessed: false });
    expect(stripMention("@Trợ lý MTTQ: 12 buổi, 350 người", BOT).text).toBe("12 buổi, 350 người");
    expect(stripMention("12 buổi @Trợ lý MTTQ", BOT).text).toBe("12 buổi");
    expect(stripMention("@trợ lý mttq /baocao", BOT).text).toBe("/baocao");
    expect(stripMention("@bot.TroLyMTTQ có", BOT).text).toBe("có");
  });

  it("keeps line breaks inside an answer", () => {
    expect(stripMention("@Trợ lý MTTQ Kinh phí còn thiếu\nCần thêm loa", BOT).text).toBe("Kinh phí còn thiếu\nCần thêm loa");
  });

  it("guesses where an unknown @name ends: at a command, a slash or a figure", () => {
    expect(stripMention("@Bot Báo Cáo Xã bao cao", BOT)).toEqual({ text: "bao cao", mentioned: true, guessed: true });
    expect(stripMention("@Bot Báo Cáo Xã 12 buổi 350 người", BOT).text).toBe("12 buổi 350 người");
    expect(stripMention("@Bot MTTQ xem", BOT).text).toBe("xem");
    expect(stripMention("@Bot /lai", BOT).text).toBe("/lai");
  });

  it("does not mistake a message without @ for a mention", () => {
    expect(stripMention("chào cả nhà", BOT)).toEqual({ text: "chào cả nhà", mentioned: false, guessed: false });
  });
});

describe("Zalo updates → events", () => {
  const group = (text: string, extra: Record<string, unknown> = {}) => ({
    event_name: "message.text.received",
    message: { from: { id: "u1", display_name: "Tư" }, chat: { id: "g1", chat_type: "GROUP" }, text, message_id: "m1", date: 1, ...extra },
  });
  const ctx = { botNames: BOT, lastQuestion: () => "q9" };
  const convert = (raw: unknown) => {
    const p = parseUpdate(raw);
    if (!p.ok) throw new Error(p.error);
    return toEvent(p.update, ctx);
  };

  it("a mention in a group is a command or an answer addressed to the bot's last question", () => {
    const c = convert(group("@Trợ lý MTTQ bao cao"));
    expect(c).toMatchObject({
      kind: "event",
      event: {
        platform: "zalo",
        updateKey: "message.text.received:m1",
        chat: { id: "g1", type: "group" },
        from: { id: "u1", name: "Tư" },
        body: { kind: "text", text: "/baocao" },
      },
    });
    const a = convert(group("@Trợ lý MTTQ 12 buoi 350 nguoi"));
    expect(a.kind === "event" && a.event.replyTo).toEqual({ messageId: "q9", fromBot: true });
    expect(a.kind === "event" && a.event.body).toEqual({ kind: "text", text: "12 buoi 350 nguoi" });
  });

  it("a bare mention asks for help", () => {
    const c = convert(group("@Trợ lý MTTQ"));
    expect(c.kind === "event" && c.event.body).toEqual({ kind: "text", text: "/trogiup" });
  });

  it("group text without a mention is not addressed and its command words stay words", () => {
    const c = convert(group("bao cao"));
    expect(c.kind === "event" && c.event.replyTo).toBeUndefined();
    expect(c.kind === "event" && c.event.body).toEqual({ kind: "text", text: "bao cao" });
  });

  it("a private chat needs no mention; the chat type falls back to comparing ids", () => {
    const c = convert({ event_name: "message.text.received", message: { from: { id: "u1", name: "Tư" }, chat: { id: "u1" }, text: "báo cáo", message_id: 7, date: 1 } });
    expect(c).toMatchObject({ kind: "event", event: { chat: { id: "u1", type: "private" }, body: { kind: "text", text: "/baocao" }, updateKey: "message.text.received:7" } });
    expect(c.kind === "event" && c.event.replyTo).toBeUndefined();
  });

  it("accepts the webhook body bare or wrapped like a getUpdates answer", () => {
    const wrapped = parseUpdate({ ok: true, result: group("@Trợ lý MTTQ xem") });
    expect(wrapped.ok && wrapped.update.message?.text).toBe("@Trợ lý MTTQ xem");
  });

  it("stickers and unsupported messages are media (answered politely); unknown events are ignored, never thrown", () => {
    const sticker = convert({ ...group(""), event_name: "message.sticker.received" });
    expect(sticker.kind === "event" && sticker.event.body).toEqual({ kind: "media" });
    const unsupported = convert({ ...group("x"), event_name: "message.unsupported.received" });
    expect(unsupported.kind === "event" && unsupported.event).toMatchObject({ body: { kind: "media" }, replyTo: { fromBot: true } });
    expect(convert({ ...group("x"), event_name: "user.follow" })).toMatchObject({ kind: "ignored" });
    expect(convert({ event_name: "message.text.received" })).toMatchObject({ kind: "ignored" });
    expect(convert({ ...group("x"), message: { ...group("x").message, from: { id: "b", is_bot: true } } })).toMatchObject({ kind: "ignored" });
  });

  it.each([null, 42, "text", [], {}, { event_name: "" }, { event_name: "message.text.received", message: { chat: {} } }])(
    "a malformed payload is reported, not thrown: %j",
    (raw) => {
      expect(parseUpdate(raw).ok).toBe(false);
    },
  );
});

describe("plain rendering", () => {
  const ctx = { messages: m, botName: "Trợ lý MTTQ", botLink: "https://zalo.me/123" };

  const report = { unit: "25747-01", form: "mttq_dinh_ky", period: "2026-M11" };

  it("a choice question becomes a numbered list answered with the number, before the question's footer", () => {
    const out = renderPlain(
      {
        text: "Hình thức tuyên truyền chủ yếu là gì?",
        choices: [
          [{ label: "1. Họp dân", data: "v:f:hop_dan" }],
          [{ label: "2. Loa truyền thanh", data: "v:f:loa" }],
          [{ label: "3. Tủ sách", data: "v:f:tu_sach" }],
        ],
        question: { kind: "choice", topic: "form", report, fields: ["f"], footer: m.controls_optional },
      },
      ctx,
    );
    expect(out).toBe(["Hình thức tuyên truyền chủ yếu là gì?", "1. Họp dân", "2. Loa truyền thanh", "3. Tủ sách", "Trả lời 1, 2 hoặc 3.", m.controls_optional].join("\n"));
    expect(out).not.toContain("Bấm");
  });

  it("numbers bare labels, and says so for two options", () => {
    const out = renderPlain({ text: "Chọn:", choices: [[{ label: "A", data: "x:a" }, { label: "B", data: "x:b" }]], question: { kind: "choice", topic: "register" } }, ctx);
    expect(out).toBe("Chọn:\n1. A\n2. B\nTrả lời 1 hoặc 2.");
  });

  it("says how to answer from the question's kind, whatever the buttons' data or labels", () => {
    const buttons = [[{ label: "Được", data: "a" }, { label: "Thôi", data: "b" }]];
    const yesno = renderPlain({ text: "Có tổ chức không?", choices: buttons, question: { kind: "yesno", topic: "form", report, fields: ["txct_co"], footer: m.controls_line } }, ctx);
    expect(yesno).toBe(`Có tổ chức không?\nTrả lời “có” hoặc “không”.\n${m.controls_line}`);
    const confirm = renderPlain({ text: "Xác nhận?", choices: buttons, question: { kind: "confirm", topic: "form", report, fields: ["tt_luot_nguoi"] } }, ctx);
    expect(confirm).toBe(`Xác nhận?\n${m.plain_confirm_hint}`);
    // A typed question gets nothing added but its footer.
    expect(renderPlain({ text: "Bao nhiêu vụ?", question: { kind: "free", topic: "form", report, fields: ["hg_thanh"], footer: m.controls_line } }, ctx)).toBe(`Bao nhiêu vụ?\n${m.controls_line}`);
  });

  it("buttons that only repeat a command written in the text are left out", () => {
    const out = renderPlain({ text: "Cán bộ xã gõ /chapnhan 3 để đồng ý.", choices: [[{ label: "✅ Đồng ý", data: "rq:1:3" }]], buttonsOnly: true }, ctx);
    expect(out).toBe("Cán bộ xã gõ /chapnhan 3 để đồng ý.");
  });

  it("the area menu speaks of numbers, not buttons", () => {
    const out = renderPlain(
      { text: m.register_choose.replace("{name}", "Tư"), choices: [[{ label: "1. Ấp Bến Đò", data: "reg:1" }], [{ label: "2. Ấp Cây Dầu", data: "reg:2" }]], question: { kind: "choice", topic: "register" } },
      ctx,
    );
    expect(out).toBe("Anh/chị Tư là trưởng ban công tác Mặt trận của khu dân cư nào?\n1. Ấp Bến Đò\n2. Ấp Cây Dầu\nTrả lời 1 hoặc 2.");
  });

  it("names the person in a group, offers the private chat and links the draft", () => {
    const out = renderPlain(
      { text: "Ghi nhận: 12 buổi. ✔", privateLink: { label: m.private_offer, token: "t" } },
      { ...ctx, addressee: "Tư", file: { url: "http://h/files/abc/x.docx", expiresAt: new Date("2026-11-13T02:00:00Z"), name: "Báo cáo tháng 11-2026 - Ấp Bến Đò.docx" } },
    );
    expect(out.split("\n")[0]).toBe("Gửi anh/chị Tư:");
    expect(out).toContain("https://zalo.me/123");
    expect(out).toContain("@Trợ lý MTTQ");
    expect(out).toContain("“Báo cáo tháng 11-2026 - Ấp Bến Đò.docx”: http://h/files/abc/x.docx");
    expect(out).toContain("13/11/2026 09:00");
    // Not named twice when the text already names the person.
    expect(renderPlain({ text: "Dạ, mời anh/chị Tư nhập" }, { ...ctx, addressee: "Tư" })).toBe("Dạ, mời anh/chị Tư nhập");
  });

  it("formats the expiry in Vietnam time", () => {
    expect(formatExpiry(new Date("2026-11-12T23:30:00Z"))).toBe("13/11/2026 06:30");
  });
});

describe("splitting at the 2,000-character limit", () => {
  const line = (i: number, len = 90) => `${String(i).padStart(3, "0")} ${"x".repeat(len - 4)}`;

  it("keeps a short text whole", () => {
    expect(splitText("một\nhai", 2000)).toEqual(["một\nhai"]);
  });

  it("splits at line boundaries into as few messages as possible, in order", () => {
    const lines = Array.from({ length: 50 }, (_, i) => line(i)); // 50 × 90 + 49 newlines = 4,549 characters
    const text = lines.join("\n");
    const parts = splitText(text, 2000);
    expect(parts).toHaveLength(Math.ceil(text.length / 2000));
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(2000);
    // No line is cut and nothing is lost or reordered.
    expect(parts.join("\n")).toBe(text);
    for (const p of parts) for (const l of p.split("\n")) expect(lines).toContain(l);
  });

  it("breaks a single overlong line at spaces, or hard when it has none", () => {
    const words = Array.from({ length: 600 }, (_, i) => `từ${i}`).join(" ");
    const parts = splitText(words, 2000);
    expect(parts.every((p) => p.length <= 2000)).toBe(true);
    expect(parts.join(" ")).toBe(words);
    const solid = "a".repeat(4500);
    expect(splitText(solid, 2000).map((p) => p.length)).toEqual([2000, 2000, 500]);
  });

  it("never splits an emoji in half", () => {
    const text = `${"a".repeat(1999)}😀b`;
    const parts = splitText(text, 2000);
    expect(parts).toEqual(["a".repeat(1999), "😀b"]);
  });
});

describe("client and transport against the Zalo stand-in", () => {
  let zalo: FakeZalo | undefined;
  afterEach(async () => {
    await zalo?.close();
    zalo = undefined;
  });

  it("an empty long poll (408) is an empty list, not an error; a wrong token is", async () => {
    zalo = await startFakeZalo({ maxPollSeconds: 0.2 });
    const api = new ZaloApi(zalo.token, { apiRoot: zalo.apiRoot });
    expect(await api.getUpdates({ timeoutSec: 1 })).toEqual([]);
    expect(zalo.calls.at(-1)?.status).toBe(408);
    zalo.userSays({ chat: { id: "p1", type: "PRIVATE" }, from: { id: "p1", name: "Tư" }, text: "xin chào" });
    const [u] = await api.getUpdates({ timeoutSec: 1 });
    expect(u).toMatchObject({ event_name: "message.text.received", message: { text: "xin chào", chat: { chat_type: "PRIVATE" } } });
    const wrong = new ZaloApi("1:wrong-token-xxxxxxxxxxxxxxxxxxxxxxxx", { apiRoot: zalo.apiRoot });
    const err = await wrong.getMe().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZaloApiError);
    expect((err as ZaloApiError).errorCode).toBe(401);
    expect(String((err as Error).message)).not.toContain("wrong-token");
    const me = await api.getMe();
    expect(me).toMatchObject({ id: zalo.bot.id, account_name: "Trợ lý MTTQ" });
    expect(me.display_name).toBeUndefined();
  });

  it("webhook management round-trips", async () => {
    zalo = await startFakeZalo();
    const api = new ZaloApi(zalo.token, { apiRoot: zalo.apiRoot });
    await api.setWebhook("https://example.org/zalo/webhook", "s3cret-zalo");
    expect((await api.getWebhookInfo()).url).toBe("https://example.org/zalo/webhook");
    await api.deleteWebhook();
    expect((await api.getWebhookInfo()).url).toBe("");
    await expect(api.setWebhook("https://example.org/x", "short")).rejects.toMatchObject({ errorCode: 400 });
  });

  it("the stand-in refuses text over 2,000 characters, and the transport never sends any", async () => {
    zalo = await startFakeZalo({ fetchPhotos: false });
    zalo.userSays({ chat: { id: "g1", type: "GROUP" }, from: { id: "u1", name: "Tư" }, text: "@Trợ lý MTTQ xem" });
    const api = new ZaloApi(zalo.token, { apiRoot: zalo.apiRoot });
    await expect(api.sendMessage("g1", "x".repeat(2001))).rejects.toMatchObject({ errorCode: 400 });
    await api.sendChatAction("g1", "typing");
    await api.sendPhoto("g1", "https://example.org/a.png", "ảnh");

    const transport = new ZaloTransport(api, {
      messages: m,
      botName: () => "Trợ lý MTTQ",
      botLink: () => "https://zalo.me/1",
      nameOf: (id) => (id === "u1" ? "Tư" : undefined),
      publishFile: () => ({ url: "http://x/files/t/f.docx", expiresAt: new Date() }),
      groupPerMinute: 20,
      groupMinGapMs: 0,
      privateMinGapMs: 0,
    });
    const lines = Array.from({ length: 60 }, (_, i) => `Dòng ${i + 1}: ${"nội dung ".repeat(9)}`);
    const before = zalo.sent.length;
    const { messageId } = await transport.deliver("g1", { text: lines.join("\n"), owner: "u1" });
    const sent = zalo.sent.slice(before);
    expect(sent.length).toBeGreaterThan(1);
    expect(sent.every((s) => (s.text ?? "").length <= 2000)).toBe(true);
    expect(messageId).toBe(sent.at(-1)!.messageId);
    const joined = sent.map((s) => s.text).join("\n");
    expect(joined.startsWith("Gửi anh/chị Tư:\nDòng 1:")).toBe(true);
    expect(joined.indexOf("Dòng 60:")).toBeGreaterThan(joined.indexOf("Dòng 59:"));
  });

  it("a failure half-way resumes after the parts already sent", async () => {
    zalo = await startFakeZalo();
    zalo.userSays({ chat: { id: "p1", type: "PRIVATE" }, from: { id: "p1", name: "Tư" }, text: "hi" });
    const api = new ZaloApi(zalo.token, { apiRoot: zalo.apiRoot });
    const transport = new ZaloTransport(api, {
      messages: m,
      botName: () => "Trợ lý MTTQ",
      botLink: () => "https://zalo.me/1",
      nameOf: () => undefined,
      publishFile: () => ({ url: "http://x", expiresAt: new Date() }),
      groupPerMinute: 20,
      groupMinGapMs: 0,
      privateMinGapMs: 0,
    });
    const text = ["A".repeat(1500), "B".repeat(1500), "C".repeat(1500)].join("\n");
    let calls = 0;
    const orig = api.sendMessage.bind(api);
    api.sendMessage = async (chatId, t) => {
      if (++calls === 2) throw new ZaloNetworkError("sendMessage", "reset");
      return orig(chatId, t);
    };
    await expect(transport.deliver("p1", { text, owner: "p1" })).rejects.toBeInstanceOf(SendError);
    await transport.deliver("p1", { text, owner: "p1" });
    expect(zalo.messagesTo("p1").map((s) => s.text![0])).toEqual(["A", "B", "C"]);
  });

  it("maps Zalo's errors to the outbox's decisions", () => {
    expect(toSendError(new ZaloApiError("sendMessage", 429, "Too Many Requests", 3)).failure).toEqual({ kind: "retry_after", seconds: 3 });
    expect(toSendError(new ZaloApiError("sendMessage", 502, "Bad Gateway")).failure.kind).toBe("transient");
    expect(toSendError(new ZaloApiError("sendMessage", 400, "chat not found")).failure.kind).toBe("permanent");
    expect(toSendError(new ZaloNetworkError("sendMessage", "ECONNRESET")).failure.kind).toBe("transient");
  });
});

describe("Zalo configuration", () => {
  it("reads the Zalo settings and checks the webhook's secret", () => {
    const env = readEnv({ ZALO_BOT_TOKEN: "1:abc", ZALO_WEBHOOK_URL: "https://bot.example.vn/zalo/webhook", ZALO_WEBHOOK_SECRET: "s3cret-zalo", FILE_LINK_HOURS: "24", PUBLIC_BASE_URL: "https://bot.example.vn" });
    expect(env).toMatchObject({ ZALO_BOT_TOKEN: "1:abc", FILE_LINK_HOURS: 24, PUBLIC_BASE_URL: "https://bot.example.vn" });
    expect(() => readEnv({ ZALO_BOT_TOKEN: "1:abc", ZALO_WEBHOOK_URL: "https://bot.example.vn/zalo/webhook" })).toThrow(/ZALO_WEBHOOK_SECRET/);
    expect(() => readEnv({ ZALO_WEBHOOK_URL: "https://h/z", ZALO_WEBHOOK_SECRET: "short" })).toThrow(/ZALO_WEBHOOK_SECRET/);
    expect(() =>
      readEnv({ TELEGRAM_WEBHOOK_URL: "https://h/hook", TELEGRAM_WEBHOOK_SECRET: "abc", ZALO_WEBHOOK_URL: "https://h/hook", ZALO_WEBHOOK_SECRET: "s3cret-zalo" }),
    ).toThrow(/hai đường dẫn khác nhau/);
    expect(() => readEnv({ FILE_LINK_HOURS: "0" })).toThrow(/FILE_LINK_HOURS/);
  });
});
