import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { loadPrompts } from "../../src/config/load-prompts.js";
import { DEFAULT_PROMPTS, SAMPLE_UNITS } from "../../src/paths.js";
import { ManualClock } from "../../src/core/clock.js";
import { createLogger, silentLogger } from "../../src/app/logger.js";
import { DocumentService, type RenderedFile } from "../../src/app/documents.js";
import { OutboxDrainer, SendError, type DeliveryExtras, type Payload, type SendFailure, type Transport } from "../../src/app/outbox.js";
import { effectApplier } from "../../src/store/apply-effects.js";
import { openDatabase, type DB } from "../../src/store/db.js";
import { importUnits, readUnitsCsv } from "../../src/store/units.js";
import { docxText } from "../support/docx-text.js";
import type { Outgoing } from "../../src/core/events.js";
import type { Platform } from "../../src/core/types.js";
import { SqlWorld } from "../../src/store/sql-world.js";
import { OutboxStore } from "../../src/store/outbox-store.js";

const prompts = loadPrompts(DEFAULT_PROMPTS);

interface Delivery {
  chatId: string;
  text: string;
  messageId: string;
  file?: RenderedFile;
  extras?: DeliveryExtras;
}

/** A transport that records deliveries and throws the failures queued for a message text. */
class FakeTransport implements Transport {
  readonly platform = "telegram" as const;
  readonly delivered: Delivery[] = [];
  /** Every call, failed or not. */
  readonly attempts: Array<{ chatId: string; text: string }> = [];
  readonly failures = new Map<string, unknown[]>();
  readonly pace = new Map<string, { perMinute: number; minGapMs: number }>();
  /** How many chat messages a text becomes (a chart, its text and a draft are several); 1 when not set. */
  readonly sends = new Map<string, number>();
  private next = 500;

  failNext(text: string, ...errors: unknown[]): void {
    this.failures.set(text, [...(this.failures.get(text) ?? []), ...errors]);
  }

  pacing(chatId: string) {
    return this.pace.get(chatId) ?? { perMinute: 1_000_000, minGapMs: 0 };
  }

  async deliver(chatId: string, payload: Payload, file?: RenderedFile, extras?: DeliveryExtras) {
    this.attempts.push({ chatId, text: payload.text });
    const error = this.failures.get(payload.text)?.shift();
    if (error !== undefined) throw error;
    const messageId = String(this.next++);
    this.delivered.push({ chatId, text: payload.text, messageId, file, extras });
    return { messageId, sends: this.sends.get(payload.text) };
  }

  textsTo(chatId: string): string[] {
    return this.delivered.filter((d) => d.chatId === chatId).map((d) => d.text);
  }
}

const fail = (failure: SendFailure) => new SendError(failure);

interface OutboxRow {
  id: number;
  chat_id: string;
  status: string;
  attempts: number;
  not_before: number;
  error: string | null;
  message_id: string | null;
}

class Setup {
  readonly db: DB = openDatabase(":memory:");
  readonly clock = new ManualClock("2026-11-10T09:00:00+07:00");
  readonly transport = new FakeTransport();
  readonly documents = new DocumentService(new SqlWorld(this.db), prompts, this.clock);
  readonly apply = effectApplier(this.db, []);
  drainer = this.newDrainer(this.transport);

  newDrainer(transport: Transport, maxAttempts?: number): OutboxDrainer {
    return new OutboxDrainer(new OutboxStore(this.db), new Map([[transport.platform, transport]]), this.documents, this.clock, silentLogger, {
      sleep: async () => {},
      ...(maxAttempts ? { maxAttempts } : {}),
    });
  }

  reply(chatId: string, text: string, extra: Partial<Outgoing> = {}): void {
    this.apply([{ type: "reply", out: { platform: "telegram", chatId, text, ...extra } }], this.clock.now());
  }

  /** Passes until nothing more is due now; returns how many messages were sent. */
  async drain(drainer = this.drainer): Promise<number> {
    let total = 0;
    for (let i = 0; i < 1000; i++) {
      const { sent } = await drainer.pass();
      if (sent === 0) return total;
      total += sent;
    }
    throw new Error("outbox did not settle");
  }

  rows(): OutboxRow[] {
    return this.db.prepare("SELECT id, chat_id, status, attempts, not_before, error, message_id FROM outbox ORDER BY id").all() as OutboxRow[];
  }

  row(text: string): OutboxRow {
    return this.db
      .prepare("SELECT id, chat_id, status, attempts, not_before, error, message_id FROM outbox WHERE json_extract(payload_json, '$.text') = ?")
      .get(text) as OutboxRow;
  }
}

let s: Setup;
afterEach(() => s?.db.close());

describe("OutboxDrainer", () => {
  it("stores replies as pending rows without platform or chat in the payload", () => {
    s = new Setup();
    s.reply("-1", "xin chào", { owner: "101" });
    const row = s.db.prepare("SELECT platform, chat_id, payload_json, status, paced FROM outbox").get();
    expect(row).toEqual({
      platform: "telegram",
      chat_id: "-1",
      payload_json: JSON.stringify({ text: "xin chào", owner: "101" }),
      status: "pending",
      paced: 1,
    });
    expect(s.drainer.pendingCount()).toBe(1);
  });

  it("sends only the newest of the queued edits of one message; the others are dropped as superseded", async () => {
    s = new Setup();
    s.reply("A", "first");
    // The drainer has read the queue before the edits come: its hint of A's head goes stale and is read again.
    expect((await s.drainer.pass()).sent).toBe(1);
    s.reply("A", "board v1", { editOf: "77" });
    s.reply("A", "notice");
    s.reply("A", "board v2", { editOf: "77" });
    s.reply("B", "board of B", { editOf: "77" }); // message 77 of another chat is another message
    s.reply("A", "board v3", { editOf: "77" });
    await s.drain();
    expect(s.transport.textsTo("A")).toEqual(["first", "notice", "board v3"]);
    expect(s.transport.textsTo("B")).toEqual(["board of B"]);
    for (const text of ["board v1", "board v2"]) expect(s.row(text)).toMatchObject({ status: "dropped", error: "superseded by a newer edit of the same message" });
    expect(s.drainer.pendingCount()).toBe(0);
  });

  it("keeps each chat's order, sending one message per chat per pass", async () => {
    s = new Setup();
    s.reply("A", "a1");
    s.reply("B", "b1");
    s.reply("A", "a2");
    s.reply("A", "a3");
    s.reply("B", "b2");
    expect((await s.drainer.pass()).sent).toBe(2);
    expect(s.transport.delivered.map((d) => d.text).sort()).toEqual(["a1", "b1"]);
    await s.drain();
    expect(s.transport.textsTo("A")).toEqual(["a1", "a2", "a3"]);
    expect(s.transport.textsTo("B")).toEqual(["b1", "b2"]);
    expect(s.rows().every((r) => r.status === "sent")).toBe(true);
    expect(s.drainer.pendingCount()).toBe(0);
  });

  it("reads the whole queue once, then only what is new and the chats it sent to", async () => {
    s = new Setup();
    const store = new OutboxStore(s.db);
    const looks = { whole: 0, chat: 0 };
    const heads = store.heads.bind(store);
    const chatHead = store.chatHead.bind(store);
    Object.assign(store, {
      heads: () => (looks.whole++, heads()),
      chatHead: (p: Platform, c: string) => (looks.chat++, chatHead(p, c)),
    });
    s.drainer = new OutboxDrainer(store, new Map([["telegram", s.transport]]), s.documents, s.clock, silentLogger, { sleep: async () => {} });
    for (let g = 1; g <= 40; g++) s.reply(`G${g}`, `g${g}`);
    s.transport.pace.set("A", { perMinute: 1_000_000, minGapMs: 3_000 });
    s.reply("A", "a1");
    s.reply("A", "a2");
    await s.drain();
    expect(looks.whole).toBe(1);
    // A chat's head is read again only after a send to it (41 sends; A's second waits for its pace unread).
    expect(looks.chat).toBe(41);
    s.reply("B", "b1");
    s.reply("A", "a3");
    await s.drain();
    expect(s.transport.textsTo("B")).toEqual(["b1"]);
    expect(s.transport.textsTo("A")).toEqual(["a1"]);
    expect(looks).toEqual({ whole: 1, chat: 42 });
    s.clock.advance(3_000);
    await s.drain();
    s.clock.advance(3_000);
    await s.drain();
    expect(s.transport.textsTo("A")).toEqual(["a1", "a2", "a3"]);
    expect(looks.whole).toBe(1);
    // And now and then the whole queue again, should another writer have moved rows unseen.
    s.clock.advance(10_000);
    await s.drainer.pass();
    expect(looks.whole).toBe(2);
  });

  it("follows rows another writer dropped or moved after the drainer last looked, in order", async () => {
    s = new Setup();
    s.reply("A", "a0");
    await s.drain();
    s.reply("A", "a1");
    s.reply("A", "a2");
    s.reply("B", "b1");
    s.reply("B", "b2");
    expect((await s.drainer.pass()).sent).toBe(2);
    // The core drops A's next message and moves B's queue to a new id (a group that became a supergroup).
    s.db.prepare("UPDATE outbox SET status = 'dropped' WHERE json_extract(payload_json, '$.text') = 'a2'").run();
    s.apply([{ type: "migrate_chat", platform: "telegram", from: "B", to: "B2" }], s.clock.now());
    s.reply("A", "a3");
    await s.drain();
    expect(s.transport.textsTo("A")).toEqual(["a0", "a1", "a3"]);
    expect(s.transport.textsTo("B")).toEqual(["b1"]);
    expect(s.transport.textsTo("B2")).toEqual(["b2"]);
    expect(s.drainer.pendingCount()).toBe(0);
  });

  it("records the platform message id on the row", async () => {
    s = new Setup();
    s.reply("A", "a1");
    await s.drain();
    expect(s.row("a1").message_id).toBe(s.transport.delivered[0]!.messageId);
  });

  it("paces a group at 20 a minute: the 21st waits until the clock moves 60 s", async () => {
    s = new Setup();
    s.transport.pace.set("G", { perMinute: 20, minGapMs: 0 });
    for (let i = 1; i <= 25; i++) s.reply("G", `g${i}`);
    s.reply("P", "private");
    await s.drain();
    expect(s.transport.textsTo("G")).toHaveLength(20);
    // Other chats are not held back by the group's limit.
    expect(s.transport.textsTo("P")).toEqual(["private"]);
    const { sent, nextDueMs } = await s.drainer.pass();
    expect(sent).toBe(0);
    expect(nextDueMs).toBe(60_000);

    s.clock.advance(59_999);
    expect((await s.drainer.pass()).sent).toBe(0);
    expect(s.transport.textsTo("G")).toHaveLength(20);

    s.clock.advance(1);
    await s.drain();
    expect(s.transport.textsTo("G")).toEqual(Array.from({ length: 25 }, (_, i) => `g${i + 1}`));
  });

  it("keeps the least gap between two messages to a chat", async () => {
    s = new Setup();
    s.transport.pace.set("G", { perMinute: 20, minGapMs: 3_000 });
    s.reply("G", "g1");
    s.reply("G", "g2");
    await s.drain();
    expect(s.transport.textsTo("G")).toEqual(["g1"]);
    expect((await s.drainer.pass()).nextDueMs).toBe(3_000);
    s.clock.advance(2_999);
    expect((await s.drainer.pass()).sent).toBe(0);
    s.clock.advance(1);
    await s.drain();
    expect(s.transport.textsTo("G")).toEqual(["g1", "g2"]);
  });

  it("counts the pace from the rows, so a new drainer keeps it", async () => {
    s = new Setup();
    s.transport.pace.set("G", { perMinute: 20, minGapMs: 0 });
    for (let i = 1; i <= 21; i++) s.reply("G", `g${i}`);
    await s.drain();
    const restarted = s.newDrainer(s.transport);
    expect((await restarted.pass()).sent).toBe(0);
    expect(s.transport.textsTo("G")).toHaveLength(20);
  });

  it("waits out a 429 retry_after for every chat of the platform (Telegram does not say whose limit it was)", async () => {
    s = new Setup();
    const zalo = new FakeTransport();
    Object.assign(zalo, { platform: "zalo" });
    s.drainer = new OutboxDrainer(new OutboxStore(s.db), new Map<Platform, Transport>([["telegram", s.transport], ["zalo", zalo]]), s.documents, s.clock, silentLogger, {
      sleep: async () => {},
    });
    s.transport.failNext("a1", fail({ kind: "retry_after", seconds: 7 }));
    s.reply("A", "a1");
    s.reply("A", "a2");
    s.reply("B", "b1");
    s.apply([{ type: "reply", out: { platform: "zalo", chatId: "Z", text: "z1" } }], s.clock.now());
    await s.drain();
    expect(s.row("a1")).toMatchObject({ status: "pending", error: "429", not_before: s.clock.now().getTime() + 7_000 });
    // b1 left in the same pass as a1; after the 429 nothing more goes to Telegram, while Zalo is not held back.
    const telegramBefore = s.transport.delivered.length;
    s.reply("B", "b2");
    await s.drain();
    expect(s.transport.delivered.length).toBe(telegramBefore);
    expect(s.transport.textsTo("A")).toEqual([]);
    expect(zalo.textsTo("Z")).toEqual(["z1"]);
    expect((await s.drainer.pass()).nextDueMs).toBe(7_000);

    s.clock.advance(6_999);
    expect((await s.drainer.pass()).sent).toBe(0);
    s.clock.advance(1);
    await s.drain();
    expect(s.transport.textsTo("A")).toEqual(["a1", "a2"]);
    expect(s.transport.textsTo("B")).toEqual(["b1", "b2"]);
  });

  it("retries transient errors with a growing backoff and delivers once", async () => {
    s = new Setup();
    s.transport.failNext("a1", fail({ kind: "transient", detail: "ECONNRESET" }), new Error("socket hang up"));
    s.reply("A", "a1");
    s.reply("A", "a2");

    await s.drain();
    expect(s.row("a1")).toMatchObject({ status: "pending", attempts: 1, error: "ECONNRESET" });
    expect((await s.drainer.pass()).nextDueMs).toBe(500);

    s.clock.advance(500);
    await s.drain();
    // A plain Error is transient too; the second wait is twice as long.
    expect(s.row("a1")).toMatchObject({ status: "pending", attempts: 2 });
    expect(s.row("a1").error).toContain("socket hang up");
    expect((await s.drainer.pass()).nextDueMs).toBe(1_000);

    s.clock.advance(999);
    expect((await s.drainer.pass()).sent).toBe(0);
    s.clock.advance(1);
    await s.drain();

    expect(s.transport.attempts.filter((a) => a.text === "a1")).toHaveLength(3);
    expect(s.transport.textsTo("A")).toEqual(["a1", "a2"]);
    expect(s.row("a1")).toMatchObject({ status: "sent", attempts: 3, error: null });
  });

  it("gives up on transient errors after maxAttempts", async () => {
    s = new Setup();
    s.drainer = s.newDrainer(s.transport, 2);
    s.transport.failNext("a1", fail({ kind: "transient", detail: "timeout" }), fail({ kind: "transient", detail: "timeout" }));
    s.reply("A", "a1");
    s.reply("A", "a2");
    await s.drain();
    s.clock.advance(500);
    await s.drain();
    expect(s.row("a1")).toMatchObject({ status: "failed", attempts: 2, error: "timeout" });
    expect(s.transport.textsTo("A")).toEqual(["a2"]);
  });

  it("marks a permanently rejected message failed and goes on with the chat", async () => {
    s = new Setup();
    s.transport.failNext("a1", fail({ kind: "permanent", detail: "Forbidden: bot was kicked" }));
    s.reply("A", "a1");
    s.reply("A", "a2");
    await s.drain();
    expect(s.row("a1")).toMatchObject({ status: "failed", attempts: 1, error: "Forbidden: bot was kicked" });
    expect(s.transport.textsTo("A")).toEqual(["a2"]);
    s.clock.advance(3_600_000);
    await s.drain();
    expect(s.transport.attempts.filter((a) => a.text === "a1")).toHaveLength(1);
  });

  it("moves a migrated group's pending messages to the new chat id, in order", async () => {
    s = new Setup();
    s.reply("-1", "before");
    await s.drain();
    s.transport.failNext("m1", fail({ kind: "migrated", toChatId: "-1009" }));
    s.reply("-1", "m1");
    s.reply("-1", "m2");
    s.reply("-2", "other");
    await s.drain();
    expect(s.transport.textsTo("-1009")).toEqual(["m1", "m2"]);
    expect(s.transport.textsTo("-1")).toEqual(["before"]);
    expect(s.transport.textsTo("-2")).toEqual(["other"]);
    expect(s.row("m1")).toMatchObject({ chat_id: "-1009", status: "sent" });
    expect(s.row("m2")).toMatchObject({ chat_id: "-1009", status: "sent" });
    // What was already sent stays recorded under the old id.
    expect(s.row("before").chat_id).toBe("-1");
  });

  it("records bot messages for payloads with an owner, with what a question asked", async () => {
    s = new Setup();
    const question = { kind: "free" as const, topic: "form" as const, report: { unit: "25747-01", form: "f", period: "2026-M11" }, fields: ["hg_thanh"] };
    s.reply("G", "question", { owner: "101", purpose: "question", question });
    s.reply("G", "owned", { owner: "102" });
    s.reply("G", "plain");
    await s.drain();
    const id = (text: string) => s.transport.delivered.find((d) => d.text === text)!.messageId;
    const messages = s.db.prepare("SELECT * FROM bot_messages ORDER BY message_id").all();
    expect(messages).toEqual([
      {
        platform: "telegram",
        chat_id: "G",
        message_id: id("question"),
        owner_user_id: "101",
        purpose: "question",
        created_at: s.clock.now().getTime(),
        question_json: JSON.stringify(question),
        resent: 0,
      },
      {
        platform: "telegram",
        chat_id: "G",
        message_id: id("owned"),
        owner_user_id: "102",
        purpose: "info",
        created_at: s.clock.now().getTime(),
        question_json: null,
        resent: 0,
      },
    ]);
  });

  it("marks a message sent after an earlier try, whose first copy may have arrived unrecorded", async () => {
    s = new Setup();
    s.transport.failNext("q", fail({ kind: "transient", detail: "socket hang up" }));
    s.reply("G", "q", { owner: "101", purpose: "question" });
    s.reply("G", "r", { owner: "101", purpose: "question" });
    await s.drain();
    s.clock.advance(500);
    await s.drain();
    const rows = s.db.prepare("SELECT message_id, resent FROM bot_messages ORDER BY message_id").all();
    expect(rows).toEqual([
      { message_id: s.transport.delivered.find((d) => d.text === "q")!.messageId, resent: 1 },
      { message_id: s.transport.delivered.find((d) => d.text === "r")!.messageId, resent: 0 },
    ]);
  });

  it("marks a message left half-sent by a stopped process as resent when it goes out after the restart", async () => {
    s = new Setup();
    s.reply("G", "q", { owner: "101", purpose: "question" });
    // What a SIGKILL between the platform's acceptance and the bookkeeping leaves behind.
    s.db.prepare("UPDATE outbox SET status = 'sending', attempts = 1").run();
    const restarted = s.newDrainer(s.transport);
    restarted.recoverInterrupted();
    await s.drain(restarted);
    expect(s.db.prepare("SELECT resent FROM bot_messages").all()).toEqual([{ resent: 1 }]);
  });

  it("records no bot message when the send fails", async () => {
    s = new Setup();
    s.transport.failNext("q", fail({ kind: "permanent", detail: "chat not found" }));
    s.reply("G", "q", { owner: "101", purpose: "question" });
    await s.drain();
    expect(s.db.prepare("SELECT count(*) AS n FROM bot_messages").get()).toEqual({ n: 0 });
  });

  it("sends again a row left in 'sending' by a crash, after a new drainer starts", async () => {
    s = new Setup();
    const hanging: Transport = {
      platform: "telegram",
      pacing: () => ({ perMinute: 1_000_000, minGapMs: 0 }),
      deliver: () => new Promise(() => {}),
    };
    s.reply("A", "a1");
    s.reply("A", "a2");
    const crashed = s.newDrainer(hanging);
    void crashed.pass();
    expect(s.row("a1")).toMatchObject({ status: "sending", attempts: 1 });
    expect(s.row("a2").status).toBe("pending");

    const restarted = s.newDrainer(s.transport);
    // Until it is recovered, the half-sent row holds its chat's place (another drainer may still be on it).
    expect((await restarted.pass()).sent).toBe(0);
    expect(restarted.recoverInterrupted()).toBe(1);
    await s.drain(restarted);
    expect(s.transport.textsTo("A")).toEqual(["a1", "a2"]);
    expect(s.row("a1")).toMatchObject({ status: "sent", attempts: 2 });
    expect(restarted.pendingCount()).toBe(0);
  });

  it("renders a report draft on delivery and attaches it", async () => {
    s = new Setup();
    importUnits(s.db, readUnitsCsv(readFileSync(SAMPLE_UNITS, "utf8")));
    s.apply(
      [
        {
          type: "save_answers",
          report: { unit: "25747-01", form: "mttq_dinh_ky", period: "2026-M11" },
          values: { tt_so_buoi: 12, tt_luot_nguoi: 3850, hg_tiep_nhan: 15, hg_thanh: 10, hg_khong_thanh: 5, txct_co: false },
          by: { platform: "telegram", userId: "101", name: "Tư" },
        },
      ],
      s.clock.now(),
    );
    const document = { kind: "area_report", report: { unit: "25747-01", form: "mttq_dinh_ky", period: "2026-M11" }, version: 1 } as const;
    s.reply("G", "draft", { document });
    await s.drain();
    const file = s.transport.delivered[0]!.file!;
    expect(file.filename).toMatch(/Ap-Ben-Do\.docx$/);
    const text = await docxText(file.bytes);
    expect(text).toContain("3.850 lượt người");
    expect(text).toContain("hòa giải thành 10/15 vụ, đạt 66,7%");
  });

  it("sends the summary without a file, saying so, when the draft cannot be made", async () => {
    s = new Setup();
    s.reply("G", "draft", { document: { kind: "area_report", report: { unit: "nowhere", form: "mttq_dinh_ky", period: "2026-M11" }, version: 1 } });
    s.reply("G", "after");
    await s.drain();
    expect(s.row("draft").status).toBe("sent");
    const [first, second] = s.transport.delivered;
    expect(first!.text).toBe("draft\n(Dạ, em chưa tạo được bản nháp tháng 11/2026 của nowhere; cán bộ xã gõ /tonghop hoặc dùng lệnh report để tạo lại.)");
    expect(first!.file).toBeUndefined();
    expect(second!.text).toBe("after");
  });

  it("draws the chart on delivery from the committed figures and hands its pictures to the transport with the draft", async () => {
    s = new Setup();
    importUnits(s.db, readUnitsCsv(readFileSync(SAMPLE_UNITS, "utf8")));
    const by = { platform: "telegram" as const, userId: "101", name: "Tư" };
    const area = { unit: "25747-01", form: "mttq_dinh_ky", period: "2026-M11" };
    s.apply(
      [
        { type: "save_answers", report: area, values: { tt_so_buoi: 12, tt_luot_nguoi: 3850 }, by },
        { type: "submission", report: area, status: "completed", by },
      ],
      s.clock.now(),
    );
    const report = { unit: "25747", form: "mttq_dinh_ky", period: "2026-M11" };
    s.reply("G", "tổng hợp", { document: { kind: "summary_report", report }, chart: report });
    await s.drain();
    const [d] = s.transport.delivered;
    expect(d!.file!.filename).toMatch(/^Bao-cao-tong-hop-thang-11-2026-Xa-Tan-Khai\.docx$/);
    const [picture, ...more] = d!.extras!.pictures!;
    expect(more).toEqual([]);
    expect(picture!.filename).toBe("Bieu-do-thang-11-2026-Xa-Tan-Khai.png");
    expect(picture!.png.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect(picture!.png.readUInt32BE(16)).toBe(1200);
    expect(picture!.alt).toContain("1/8 khu dân cư đã nộp");
    expect(d!.extras!.rowId).toBe(s.row("tổng hợp").id);
  });

  it("sends the text without the chart, and logs why, when the chart cannot be drawn", async () => {
    s = new Setup();
    const lines: string[] = [];
    const log = createLogger("info", { write: (line: string) => void lines.push(line) });
    const drainer = new OutboxDrainer(new OutboxStore(s.db), new Map([["telegram", s.transport]]), s.documents, s.clock, log, { sleep: async () => {} });
    s.reply("G", "tổng hợp", { chart: { unit: "nowhere", form: "mttq_dinh_ky", period: "2026-M11" } });
    await s.drain(drainer);
    expect(s.row("tổng hợp").status).toBe("sent");
    expect(s.transport.delivered[0]!.text).toBe("tổng hợp");
    expect(s.transport.delivered[0]!.extras!.pictures).toBeUndefined();
    expect(lines.some((l) => l.includes("chart drawing failed") && l.includes("No chart for nowhere"))).toBe(true);
  });

  it("counts every chat message a row became in the group's pace (a chart, its text and the draft are three)", async () => {
    s = new Setup();
    s.transport.pace.set("G", { perMinute: 20, minGapMs: 0 });
    s.transport.sends.set("with chart", 3);
    for (let i = 1; i <= 6; i++) s.reply("G", "with chart");
    s.reply("G", "after");
    await s.drain();
    // 6 × 3 = 18 messages, then "after" makes 19: all within the 20.
    expect(s.transport.textsTo("G")).toHaveLength(7);
    s.transport.sends.set("more", 2);
    s.reply("G", "more");
    s.reply("G", "last");
    await s.drain();
    // 19 + 2 = 21 ≥ 20: "last" waits until the first rows leave the minute.
    expect(s.transport.textsTo("G").at(-1)).toBe("more");
    expect((await s.drainer.pass()).nextDueMs).toBe(60_000);
    expect(s.db.prepare("SELECT sum(messages) AS n FROM outbox WHERE status = 'sent'").get()).toEqual({ n: 21 });
    s.clock.advance(60_000);
    await s.drain();
    expect(s.transport.textsTo("G").at(-1)).toBe("last");
  });

  it("two drainers on one database never send the same row: each row is claimed before it is sent", async () => {
    s = new Setup();
    const other = s.newDrainer(s.transport);
    for (let i = 1; i <= 30; i++) for (const chat of ["A", "B", "C"]) s.reply(chat, `${chat}${i}`);
    // Both work at the same time, pass after pass, as two processes would.
    for (let i = 0; i < 200 && s.drainer.pendingCount() > 0; i++) {
      const pair = i % 2 === 0 ? [s.drainer, other] : [other, s.drainer];
      await Promise.all(pair.map((d) => d.pass()));
    }
    expect(s.drainer.pendingCount()).toBe(0);
    const texts = s.transport.delivered.map((d) => d.text);
    expect(texts).toHaveLength(90);
    expect(new Set(texts).size).toBe(90);
    for (const chat of ["A", "B", "C"]) expect(s.transport.textsTo(chat)).toEqual(Array.from({ length: 30 }, (_, i) => `${chat}${i + 1}`));
    const claimers = s.db.prepare("SELECT DISTINCT claimed_by FROM outbox").all() as Array<{ claimed_by: string }>;
    expect(claimers.map((c) => c.claimed_by).sort()).toEqual([s.drainer.claimId, other.claimId].sort());
  });

  it("keeps every chat of a platform under its pace a second, whatever the per-chat pace allows", async () => {
    s = new Setup();
    Object.assign(s.transport, { globalPerSecond: () => 5 });
    for (let g = 1; g <= 12; g++) s.reply(`G${g}`, `g${g}`);
    await s.drain();
    expect(s.transport.delivered).toHaveLength(5);
    expect((await s.drainer.pass()).nextDueMs).toBe(1000);
    s.clock.advance(999);
    expect((await s.drainer.pass()).sent).toBe(0);
    s.clock.advance(1);
    await s.drain();
    expect(s.transport.delivered).toHaveLength(10);
  });

  it("once the platform's pace was spent, opens it again a few places at a time, not one by one", async () => {
    s = new Setup();
    Object.assign(s.transport, { globalPerSecond: () => 5 });
    s.reply("G0", "g0");
    await s.drain();
    s.clock.advance(100);
    for (let g = 1; g <= 8; g++) s.reply(`G${g}`, `g${g}`);
    await s.drain();
    expect(s.transport.delivered).toHaveLength(5);
    // At 1 s the first place is free, but four go together only when four are, 100 ms later.
    s.clock.advance(900);
    expect((await s.drainer.pass()).sent).toBe(0);
    expect((await s.drainer.pass()).nextDueMs).toBe(100);
    s.clock.advance(100);
    expect(await s.drain()).toBe(4);
    expect(s.transport.delivered).toHaveLength(9);
  });

  it("while the platform's pace is spent, a callback answer at the head of its chat still goes, one behind a message waits", async () => {
    s = new Setup();
    Object.assign(s.transport, { globalPerSecond: () => 2 });
    s.reply("P1", "p1");
    s.reply("P2", "p2");
    s.reply("P3", "p3");
    s.reply("P3", "", { callback: { id: "cb3" } });
    await s.drain();
    expect(s.transport.delivered.map((d) => d.chatId)).toEqual(["P1", "P2"]);
    // Queued while the pace is spent: the callback answer of another chat goes at once, P3's waits behind p3.
    s.reply("C1", "", { callback: { id: "cb1" } });
    await s.drain();
    expect(s.transport.delivered.map((d) => d.chatId)).toEqual(["P1", "P2", "C1"]);
    s.clock.advance(1000);
    await s.drain();
    expect(s.transport.textsTo("P3")).toEqual(["p3", ""]);
  });

  it("a refused send to a chat the bot was removed from drops the row and tells the core once per send", async () => {
    s = new Setup();
    const told: Array<[string, string]> = [];
    s.drainer = new OutboxDrainer(new OutboxStore(s.db), new Map([["telegram", s.transport]]), s.documents, s.clock, silentLogger, {
      sleep: async () => {},
      onChatGone: (_platform, chatId, reason) => told.push([chatId, reason]),
    });
    s.transport.failNext("k1", fail({ kind: "gone", reason: "kicked", detail: "403 Forbidden: bot was kicked from the supergroup chat" }));
    s.reply("-1", "k1");
    s.reply("-1", "k2");
    await s.drain();
    expect(s.row("k1")).toMatchObject({ status: "dropped", error: "gone: kicked", attempts: 1 });
    expect(told).toEqual([["-1", "kicked"]]);
    // Once the core marked the chat gone, what is queued is dropped without calling the platform.
    s.apply([{ type: "chat_status", platform: "telegram", chatId: "-1", status: "gone", reason: "kicked" }], s.clock.now());
    s.reply("-1", "k3");
    await s.drain();
    expect(s.row("k3")).toMatchObject({ status: "dropped", error: "gone: kicked", attempts: 0 });
    expect(s.transport.attempts.map((a) => a.text)).toEqual(["k1", "k2"]);
  });
});
