// Fault injection on the way out: the real OutboxDrainer and TelegramTransport (grammY's Api over HTTP)
// against the local Bot API stand-in answering 429 (retry_after), 500, slow responses and dropped
// connections at random (seeded). Time is a ManualClock the drainer's sleep advances, so backoffs and
// retry_after waits cost nothing real.
//
// Delivery guarantee under test:
//  - failures *before* the platform processed the call (429, 500, connection dropped before processing,
//    slowness) → every queued message is delivered exactly once, in order per chat;
//  - a connection dropped *after* the platform processed the call (`rateDropAfter`: Telegram sent the
//    message but the answer never came back) → at-least-once: the bot cannot know the message went out and
//    sends it again. Telegram's Bot API has no idempotency key, so this is the documented limit: each extra
//    copy is accounted for by exactly one such fault on a call of that message.
import { readFileSync } from "node:fs";
import { Api } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import { createCore, type Core } from "../../src/app/create-core.js";
import { silentLogger } from "../../src/app/logger.js";
import type { OutboxDrainer } from "../../src/app/outbox.js";
import { TelegramTransport } from "../../src/adapters/telegram/transport.js";
import { effectApplier } from "../../src/store/apply-effects.js";
import { importUnits, readUnitsCsv } from "../../src/store/units.js";
import { DEFAULT_PROMPTS, SAMPLE_UNITS } from "../../src/paths.js";
import { startFakeTelegram, type FakeTelegram, type FakeTelegramOptions, type SentEntry } from "../support/fake-telegram.js";
import { until } from "../support/bot-process.js";

const GROUPS = [-1001000000001, -1001000000002, -1001000000003, -1001000000004, -1001000000005, -1001000000006];
const PRIVATE = 7001;
const CHATS = [...GROUPS, PRIVATE];

interface Rig {
  tg: FakeTelegram;
  core: Core;
  clock: ManualClock;
  drainer?: OutboxDrainer;
}

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.drainer?.stop();
  rig?.core.close();
  await rig?.tg.close();
  rig = undefined;
});

async function setUp(options: FakeTelegramOptions): Promise<Rig> {
  const clock = new ManualClock("2026-11-10T09:00:00+07:00");
  const tg = await startFakeTelegram({ privacyMode: true, clock, ...options });
  for (const id of GROUPS) tg.addChat({ id, type: "supergroup", title: `Nhóm ${id}` });
  tg.addChat({ id: PRIVATE, type: "private" }, { privateUser: { id: PRIVATE, first_name: "Tư" } });
  const core = createCore({ databasePath: ":memory:", promptsDir: DEFAULT_PROMPTS, clock, log: silentLogger });
  importUnits(core.db, readUnitsCsv(readFileSync(SAMPLE_UNITS, "utf8")));
  rig = { tg, core, clock };
  return rig;
}

/** Queues `perChat` numbered messages to every chat, and one report draft to the first two groups. */
function queue(r: Rig, perChat: number): void {
  const apply = effectApplier(r.core.db, r.core.prompts.forms);
  const now = r.clock.now();
  apply(
    ["25747-01", "25747-02"].map((unit) => ({
      type: "save_answers" as const,
      report: { unit, form: "mttq_dinh_ky", period: "2026-M11" },
      values: { tt_so_buoi: 12, tt_luot_nguoi: 350, hg_tiep_nhan: 0, txct_co: false },
      by: { platform: "telegram" as const, userId: "1", name: "Tư" },
    })),
    now,
  );
  for (let i = 0; i < perChat; i++) {
    for (const chat of CHATS) {
      apply([{ type: "reply", out: { platform: "telegram", chatId: String(chat), text: `tin ${i} → ${chat}`, owner: "1", purpose: "info" } }], now);
      if (i === Math.floor(perChat / 2) && (chat === GROUPS[0] || chat === GROUPS[1])) {
        const unit = chat === GROUPS[0] ? "25747-01" : "25747-02";
        apply(
          [
            {
              type: "reply",
              out: {
                platform: "telegram",
                chatId: String(chat),
                text: `bản nháp ${unit}`,
                document: { kind: "area_report", report: { unit, form: "mttq_dinh_ky", period: "2026-M11" }, version: 1 },
                purpose: "report",
              },
            },
          ],
          now,
        );
      }
    }
  }
}

interface Row {
  id: number;
  chat_id: string;
  text: string;
  status: string;
  attempts: number;
}

function rows(r: Rig): Row[] {
  return r.core.db
    .prepare("SELECT id, chat_id, json_extract(payload_json, '$.text') AS text, status, attempts FROM outbox ORDER BY id")
    .all() as Row[];
}

const sentText = (e: SentEntry) => (e.method === "sendDocument" ? e.caption : e.text);

/** Starts the drainer with a simulated sleep and waits (real time, bounded) until the outbox is empty. */
async function drain(r: Rig, drainerPerMinute = 1_000_000): Promise<void> {
  const transport = new TelegramTransport(new Api(r.tg.token, { apiRoot: r.tg.apiRoot }), {
    groupPerMinute: drainerPerMinute,
    groupMinGapMs: 0,
    privateMinGapMs: 0,
    botUsername: () => r.tg.bot.username,
    messages: r.core.prompts.messages,
  });
  r.drainer = r.core.startOutbox([transport], {
    sleep: async (ms) => {
      r.clock.advance(ms);
      await new Promise((resolve) => setImmediate(resolve));
    },
  });
  await until(() => r.drainer!.pendingCount() === 0, 20_000, "an empty outbox");
}

/** Deliveries per outbox row, counted from what the stand-in recorded. */
function deliveries(r: Rig): Map<number, SentEntry[]> {
  const byText = new Map(rows(r).map((row) => [row.text, row.id]));
  const out = new Map<number, SentEntry[]>(rows(r).map((row) => [row.id, []]));
  for (const e of r.tg.sent) {
    if (e.method !== "sendMessage" && e.method !== "sendDocument") continue;
    const id = byText.get(sentText(e) ?? "");
    expect(id, `the stand-in recorded a message the outbox never held: ${sentText(e)}`).toBeDefined();
    out.get(id!)!.push(e);
  }
  return out;
}

function expectChatOrder(r: Rig): void {
  for (const chat of CHATS) {
    const texts = r.tg.sent.filter((e) => e.chatId === chat && (e.method === "sendMessage" || e.method === "sendDocument")).map(sentText);
    const expected = rows(r).filter((row) => row.chat_id === String(chat)).map((row) => row.text);
    expect(texts, `order in chat ${chat}`).toEqual(expected);
  }
}

describe("outbox delivery under injected Bot API faults", () => {
  it("delivers every message exactly once when calls fail before Telegram processes them (429, 500, drop, slow)", async () => {
    const r = await setUp({
      rateLimits: false,
      faults: { seed: 20261110, rate429: 0.12, rate500: 0.12, rateDrop: 0.12, rateSlow: 0.15, slowMs: [2, 25], retryAfter: 3, methods: ["sendMessage", "sendDocument"] },
    });
    queue(r, 30);
    await drain(r);
    for (const kind of ["429", "500", "drop", "slow"] as const) expect(r.tg.faultCounts[kind], `${kind} faults injected`).toBeGreaterThan(5);
    expect(r.tg.faultCounts.dropAfter).toBe(0);

    const all = rows(r);
    expect(all).toHaveLength(30 * CHATS.length + 2);
    expect(all.filter((row) => row.status !== "sent")).toEqual([]);
    const counts = [...deliveries(r).entries()].filter(([, sent]) => sent.length !== 1).map(([id, sent]) => ({ id, copies: sent.length }));
    expect(counts, "rows not delivered exactly once").toEqual([]);
    expectChatOrder(r);
    // Rows that met a fault were retried, and the retries are visible in the attempts column.
    expect(all.filter((row) => row.attempts > 1).length).toBeGreaterThan(10);
    // The two drafts arrived as documents, once each.
    expect(r.tg.sent.filter((e) => e.method === "sendDocument").map((e) => e.document?.filename)).toHaveLength(2);
  });

  it("honours the per-group limit's real 429 retry_after when its own pacing is set too high", async () => {
    // The stand-in enforces Telegram's 20 a minute per group; the drainer believes 40 are allowed.
    const r = await setUp({ rateLimits: { group: { limit: 20, windowMs: 60_000 }, global: false, private: false }, faults: { seed: 7, rate500: 0.1, rateDrop: 0.1, methods: ["sendMessage"] } });
    queue(r, 45);
    await drain(r, 40);
    expect(r.tg.calls.filter((c) => c.status === 429 && !c.fault).length, "real rate-limit answers").toBeGreaterThan(0);
    expect(rows(r).every((row) => row.status === "sent")).toBe(true);
    expect([...deliveries(r).values()].every((sent) => sent.length === 1)).toBe(true);
    expectChatOrder(r);
    // And the stand-in never accepted more than 20 in any minute for one group.
    for (const chat of GROUPS) {
      const at = r.tg.sent.filter((e) => e.chatId === chat && e.method !== "answerCallbackQuery").map((e) => e.at);
      for (const t of at) expect(at.filter((u) => u >= t && u < t + 60_000).length).toBeLessThanOrEqual(20);
    }
  });

  it("is at-least-once when the connection drops after Telegram processed the call: each duplicate matches one such drop", async () => {
    const r = await setUp({
      rateLimits: false,
      faults: { seed: 99, rateDropAfter: 0.15, rate500: 0.05, methods: ["sendMessage", "sendDocument"] },
    });
    queue(r, 20);
    await drain(r);
    expect(r.tg.faultCounts.dropAfter).toBeGreaterThan(5);
    expect(rows(r).every((row) => row.status === "sent")).toBe(true);
    const dropsAfter = new Map<string, number>();
    for (const c of r.tg.calls) {
      if (c.fault !== "dropAfter") continue;
      const text = String(c.params.text ?? c.params.caption ?? "");
      dropsAfter.set(text, (dropsAfter.get(text) ?? 0) + 1);
    }
    let duplicates = 0;
    for (const row of rows(r)) {
      const copies = deliveries(r).get(row.id)!.length;
      // Delivered at least once; every copy beyond the first is one "processed, then the connection dropped".
      expect(copies, `row ${row.id}`).toBe(1 + (dropsAfter.get(row.text) ?? 0));
      duplicates += copies - 1;
    }
    expect(duplicates).toBe(r.tg.faultCounts.dropAfter);
  });
});
