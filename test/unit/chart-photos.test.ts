// The chart as photos, platform by platform, through the local stand-ins: how a message with a chart and a draft
// becomes chat messages (the text as the photo's caption when it fits, else its own message; the album on
// Telegram, consecutive photos by URL on Zalo), what a refused photo leaves, and a retry that resumes half-way.
import { Api, InputFile } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import type { ChartImage } from "../../src/app/charts/chart-service.js";
import { encodePng } from "../../src/app/charts/png.js";
import { FileLinkStore, serveFileLinks } from "../../src/app/file-links.js";
import { HttpServer } from "../../src/app/http-server.js";
import { SendError } from "../../src/app/outbox.js";
import { TelegramTransport } from "../../src/adapters/telegram/transport.js";
import { ZaloApi, ZaloApiError } from "../../src/adapters/zalo/api.js";
import { ZaloTransport } from "../../src/adapters/zalo/transport.js";
import { loadPrompts } from "../../src/config/load-prompts.js";
import { ManualClock } from "../../src/core/clock.js";
import { DEFAULT_PROMPTS } from "../../src/paths.js";
import { openDatabase, type DB } from "../../src/store/db.js";
import { startFakeTelegram, type FakeTelegram } from "../support/fake-telegram.js";
import { startFakeZalo, type FakeZalo } from "../support/fake-zalo.js";
import { FileLinkRows } from "../../src/store/file-link-rows.js";

const m = loadPrompts(DEFAULT_PROMPTS).messages;
const GROUP = { id: -1001234567890, type: "supergroup" as const, title: "MTTQ xã Tân Khai" };
const DRAFT = { filename: "Bao-cao-tong-hop-thang-11-2026-Xa-Tan-Khai.docx", displayName: "Báo cáo tổng hợp tháng 11-2026 - Xã Tân Khai.docx", bytes: Buffer.from("PK\u0003\u0004 docx") };
const SUMMARY = "Tổng hợp tháng 11/2026 — Xã Tân Khai\nĐã nộp 2/8 khu dân cư.\nTuyên truyền 20 buổi/4.270 lượt";

/** Pictures as the chart service gives them (small, real PNGs). */
function pictures(n: number): ChartImage[] {
  return Array.from({ length: n }, (_, i) => {
    const height = 200 + 10 * i;
    return {
      png: encodePng(new Uint8Array(300 * height * 4).fill(230 - i), 300, height),
      width: 300,
      height,
      alt: `Biểu đồ kết quả tháng 11/2026 của xã Tân Khai: 2/8 khu dân cư đã nộp báo cáo.${n > 1 ? ` (trang ${i + 1}/${n})` : ""}`,
      filename: `Bieu-do-thang-11-2026-Xa-Tan-Khai${n > 1 ? `-${i + 1}` : ""}.png`,
    };
  });
}

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

describe("Telegram: a summary with its chart and draft", () => {
  async function setUp(): Promise<{ tg: FakeTelegram; api: Api; transport: TelegramTransport; refused: string[]; question: number }> {
    const tg = await startFakeTelegram({ rateLimits: false });
    cleanups.push(() => tg.close());
    tg.addChat(GROUP);
    const api = new Api(tg.token, { apiRoot: tg.apiRoot });
    const refused: string[] = [];
    const transport = new TelegramTransport(api, {
      groupPerMinute: 20,
      groupMinGapMs: 0,
      privateMinGapMs: 0,
      botUsername: () => "baocao_test_bot",
      messages: m,
      onPictureRefused: (d) => refused.push(d),
    });
    const question = (await api.sendMessage(GROUP.id, "/tonghop")).message_id;
    return { tg, api, transport, refused, question };
  }

  it("one photo carrying the summary, replying to the command, then the draft with a short caption: two messages", async () => {
    const { tg, transport, question } = await setUp();
    const pics = pictures(1);
    const out = await transport.deliver(String(GROUP.id), { text: SUMMARY, replyTo: String(question) }, DRAFT, { pictures: pics, rowId: 1 });
    const [photo, doc, ...rest] = tg.sent.slice(1);
    expect(rest).toEqual([]);
    expect(photo).toMatchObject({ method: "sendPhoto", caption: SUMMARY, replyTo: question });
    expect(photo!.photo!.bytes.equals(pics[0]!.png)).toBe(true);
    expect(photo!.photo).toMatchObject({ filename: pics[0]!.filename, width: 300, height: 200 });
    expect(doc).toMatchObject({ method: "sendDocument", caption: "📄 Bản nháp báo cáo để anh/chị chỉnh sửa: Báo cáo tổng hợp tháng 11-2026 - Xã Tân Khai.docx" });
    expect(doc!.replyTo).toBeUndefined();
    expect(doc!.document!.bytes.equals(DRAFT.bytes)).toBe(true);
    expect(out).toEqual({ messageId: String(photo!.messageId), sends: 2 });
  });

  it("a text over 1,024 characters: the photo gets the chart's own caption, the text follows whole, then the draft", async () => {
    const { tg, transport, question } = await setUp();
    const long = `${SUMMARY}\n${Array.from({ length: 30 }, (_, i) => `Dòng ${i + 1}: ${"số liệu ".repeat(6)}`).join("\n")}`;
    expect(long.length).toBeGreaterThan(1024);
    const out = await transport.deliver(String(GROUP.id), { text: long, replyTo: String(question) }, DRAFT, { pictures: pictures(1), rowId: 2 });
    const sent = tg.sent.slice(1);
    expect(sent.map((s) => s.method)).toEqual(["sendPhoto", "sendMessage", "sendDocument"]);
    expect(sent[0]).toMatchObject({ caption: pictures(1)[0]!.alt, replyTo: question });
    expect(sent[1]!.text).toBe(long);
    expect(sent[1]!.replyTo).toBeUndefined();
    expect(out).toEqual({ messageId: String(sent[1]!.messageId), sends: 3 });
  });

  it("several pictures go as one album with the summary on the first; eleven as albums of nine and two", async () => {
    const { tg, transport, question } = await setUp();
    const out = await transport.deliver(String(GROUP.id), { text: SUMMARY, replyTo: String(question) }, DRAFT, { pictures: pictures(3), rowId: 3 });
    const album = tg.photosTo(GROUP.id);
    expect(album.map((s) => s.method)).toEqual(["sendMediaGroup", "sendMediaGroup", "sendMediaGroup"]);
    expect(album.map((s) => s.caption)).toEqual([SUMMARY, undefined, undefined]);
    expect(album.map((s) => s.photo!.height)).toEqual([200, 210, 220]);
    expect(album[0]!.replyTo).toBe(question);
    expect(tg.sent.at(-1)!.method).toBe("sendDocument");
    expect(out.sends).toBe(4);

    const from = tg.sent.length;
    await transport.deliver(String(GROUP.id), { text: SUMMARY }, undefined, { pictures: pictures(11), rowId: 4 });
    const groups = new Map<string, number>();
    for (const s of tg.sent.slice(from)) groups.set(s.mediaGroupId!, (groups.get(s.mediaGroupId!) ?? 0) + 1);
    expect([...groups.values()]).toEqual([9, 2]);
  });

  it("a photo Telegram refuses leaves the message as it was without a chart: the draft carries the summary", async () => {
    const { tg, transport, refused } = await setUp();
    const broken = [{ ...pictures(1)[0]!, png: Buffer.from("not a png") }];
    const out = await transport.deliver(String(GROUP.id), { text: SUMMARY }, DRAFT, { pictures: broken, rowId: 5 });
    const sent = tg.sent.slice(1);
    expect(sent.map((s) => s.method)).toEqual(["sendDocument"]);
    expect(sent[0]!.caption).toBe(SUMMARY);
    expect(refused).toEqual([expect.stringContaining("IMAGE_PROCESS_FAILED")]);
    expect(out.sends).toBe(1);
  });

  it("a failure after the photo resumes with the draft: nothing is posted twice", async () => {
    const { tg, api, transport } = await setUp();
    const original = api.sendDocument.bind(api);
    let failures = 1;
    api.sendDocument = ((...args: Parameters<Api["sendDocument"]>) => {
      if (failures-- > 0) return Promise.reject(new Error("socket hang up"));
      return original(...args);
    }) as Api["sendDocument"];
    const payload = { text: SUMMARY };
    await expect(transport.deliver(String(GROUP.id), payload, DRAFT, { pictures: pictures(1), rowId: 6 })).rejects.toBeInstanceOf(SendError);
    expect(tg.sent.slice(1).map((s) => s.method)).toEqual(["sendPhoto"]);
    const out = await transport.deliver(String(GROUP.id), payload, DRAFT, { pictures: pictures(1), rowId: 6 });
    expect(tg.sent.slice(1).map((s) => s.method)).toEqual(["sendPhoto", "sendDocument"]);
    expect(out).toEqual({ messageId: String(tg.sent[1]!.messageId), sends: 2 });
  });

  it("a draft without a chart keeps its text whole: over 1,024 characters it goes first, as a message", async () => {
    const { tg, transport } = await setUp();
    const long = `Ấp Bến Đò đã hoàn thành báo cáo.\n${"Số liệu rất dài.\n".repeat(80)}Hết.`;
    await transport.deliver(String(GROUP.id), { text: long }, DRAFT);
    const sent = tg.sent.slice(1);
    expect(sent.map((s) => s.method)).toEqual(["sendMessage", "sendDocument"]);
    expect(sent[0]!.text).toBe(long);
    expect(sent[1]!.caption).toContain("Báo cáo tổng hợp tháng 11-2026 - Xã Tân Khai.docx");
    // And a short one is the document's caption, as before.
    const from = tg.sent.length;
    await transport.deliver(String(GROUP.id), { text: "Ấp Bến Đò đã hoàn thành báo cáo." }, DRAFT);
    expect(tg.sent.slice(from).map((s) => [s.method, s.caption])).toEqual([["sendDocument", "Ấp Bến Đò đã hoàn thành báo cáo."]]);
  });

  it("the stand-in's InputFile check: an album item must be a photo upload", async () => {
    const { api } = await setUp();
    await expect(api.sendMediaGroup(GROUP.id, [{ type: "photo", media: "https://example.org/a.png" }, { type: "photo", media: new InputFile(pictures(1)[0]!.png, "a.png") }])).rejects.toThrow(
      /wrong file identifier/,
    );
  });
});

describe("Zalo: a summary with its chart, as photos by URL", () => {
  async function setUp(opts: { publish?: "served" | "missing" } = {}) {
    const zalo: FakeZalo = await startFakeZalo();
    cleanups.push(() => zalo.close());
    const clock = new ManualClock("2026-11-10T02:00:00Z");
    const db: DB = openDatabase(":memory:");
    cleanups.push(() => db.close());
    const http = new HttpServer();
    cleanups.push(() => http.close());
    let base = "";
    const files = new FileLinkStore(new FileLinkRows(db), clock, { ttlMs: 72 * 3_600_000, baseUrl: () => base });
    serveFileLinks(http, files);
    base = `http://127.0.0.1:${await http.listen(0, "127.0.0.1")}`;
    zalo.userSays({ chat: { id: "g1", type: "GROUP" }, from: { id: "u1", name: "Minh" }, text: "@Trợ lý MTTQ tonghop" });
    const api = new ZaloApi(zalo.token, { apiRoot: zalo.apiRoot });
    const refused: string[] = [];
    const published: string[] = [];
    const transport = new ZaloTransport(api, {
      messages: m,
      botName: () => "Trợ lý MTTQ",
      botLink: () => "https://zalo.me/1",
      nameOf: () => undefined,
      publishFile: (f) => {
        const link = files.issue(f);
        published.push(f.filename);
        return opts.publish === "missing" && f.filename.endsWith(".png") ? { ...link, url: `${base}/files/${"x".repeat(43)}/a.png` } : link;
      },
      groupPerMinute: 20,
      groupMinGapMs: 0,
      privateMinGapMs: 0,
      onPictureRefused: (d) => refused.push(d),
    });
    return { zalo, api, transport, refused, published, clock, files };
  }

  it("one photo whose caption is the summary with the draft's link: one message; the photo is the PNG served at an expiring link", async () => {
    const { zalo, transport, clock } = await setUp();
    const pics = pictures(1);
    const out = await transport.deliver("g1", { text: SUMMARY }, DRAFT, { pictures: pics, rowId: 1 });
    const sent = zalo.messagesTo("g1");
    expect(sent).toHaveLength(1);
    const photo = sent[0]!;
    expect(photo.method).toBe("sendPhoto");
    expect(photo.caption).toContain(SUMMARY);
    expect(photo.caption).toContain("📄 Tải tệp “Báo cáo tổng hợp tháng 11-2026 - Xã Tân Khai.docx”: http://127.0.0.1:");
    expect(photo.photo).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/files\/[A-Za-z0-9_-]{43}\/Bieu-do-thang-11-2026-Xa-Tan-Khai\.png$/);
    expect(photo.photoType).toBe("image/png");
    expect(photo.photoBytes!.equals(pics[0]!.png)).toBe(true);
    expect(out).toEqual({ messageId: photo.messageId, sends: 1 });
    const res = await fetch(photo.photo!);
    expect(res.headers.get("content-disposition")).toMatch(/^inline; filename="Bieu-do-thang-11-2026-Xa-Tan-Khai\.png"/);
    clock.advance(72 * 3_600_000);
    expect((await fetch(photo.photo!)).status).toBe(410);
  });

  it("consecutive photos for several pictures, each with what it shows, the summary on the last", async () => {
    const { zalo, transport } = await setUp();
    await transport.deliver("g1", { text: SUMMARY }, DRAFT, { pictures: pictures(3), rowId: 2 });
    const sent = zalo.messagesTo("g1");
    expect(sent.map((s) => s.method)).toEqual(["sendPhoto", "sendPhoto", "sendPhoto"]);
    expect(sent[0]!.caption).toContain("(trang 1/3)");
    expect(sent[1]!.caption).toContain("(trang 2/3)");
    expect(sent[2]!.caption).toContain(SUMMARY);
    expect(new Set(sent.map((s) => s.photo)).size).toBe(3);
  });

  it("a summary over 2,000 characters follows the photo as text messages", async () => {
    const { zalo, transport } = await setUp();
    const long = `${SUMMARY}\n${Array.from({ length: 40 }, (_, i) => `Dòng ${i + 1}: ${"số liệu ".repeat(8)}`).join("\n")}`;
    const out = await transport.deliver("g1", { text: long }, DRAFT, { pictures: pictures(1), rowId: 3 });
    const sent = zalo.messagesTo("g1");
    expect(sent[0]).toMatchObject({ method: "sendPhoto", caption: pictures(1)[0]!.alt });
    expect(sent.slice(1).every((s) => s.method === "sendMessage" && s.text!.length <= 2000)).toBe(true);
    expect(sent.slice(1).map((s) => s.text).join("\n")).toContain("Dòng 40:");
    expect(sent.at(-1)!.text).toContain("📄 Tải tệp");
    expect(out.sends).toBe(sent.length);
  });

  it("a photo Zalo cannot fetch leaves the text to go alone, with the draft's link", async () => {
    const { zalo, transport, refused } = await setUp({ publish: "missing" });
    await transport.deliver("g1", { text: SUMMARY }, DRAFT, { pictures: pictures(1), rowId: 4 });
    const sent = zalo.messagesTo("g1");
    expect(sent.map((s) => s.method)).toEqual(["sendMessage"]);
    expect(sent[0]!.text).toContain(SUMMARY);
    expect(sent[0]!.text).toContain("📄 Tải tệp");
    expect(refused).toEqual([expect.stringContaining("cannot download photo (HTTP 404)")]);
  });

  it("a failure after the first photo resumes with the second, publishing each picture once", async () => {
    const { zalo, api, transport, published } = await setUp();
    const original = api.sendPhoto.bind(api);
    let calls = 0;
    api.sendPhoto = (chatId, photo, caption) => {
      if (++calls === 2) return Promise.reject(new ZaloApiError("sendPhoto", 502, "Bad Gateway"));
      return original(chatId, photo, caption);
    };
    const payload = { text: SUMMARY };
    await expect(transport.deliver("g1", payload, DRAFT, { pictures: pictures(2), rowId: 5 })).rejects.toBeInstanceOf(SendError);
    await transport.deliver("g1", payload, DRAFT, { pictures: pictures(2), rowId: 5 });
    const sent = zalo.messagesTo("g1");
    expect(sent).toHaveLength(2);
    expect(sent[0]!.caption).toMatch(/\(trang 1\/2\)$/);
    expect(sent[1]!.caption).toContain(SUMMARY);
    expect(published.filter((f) => f.endsWith(".png"))).toHaveLength(2);
    expect(published.filter((f) => f.endsWith(".docx"))).toHaveLength(1);
  });
});
