// A deadline-morning burst: 40 commune groups each get messages at once. The stand-in enforces Telegram's
// limits (30 a second across all chats, 20 a minute per group) on the same simulated clock the drainer uses, so
// what is measured is the stand-in's own timestamps, not wall-clock sleeps: the bot stays at or under its
// global pace (25 a second) and never meets a 429.
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
import { startFakeTelegram, type FakeTelegram } from "../support/fake-telegram.js";
import { until } from "../support/bot-process.js";

const GROUPS = Array.from({ length: 40 }, (_, i) => -1002000000000 - i);
const PER_GROUP = 3;

let tg: FakeTelegram | undefined;
let core: Core | undefined;
let drainer: OutboxDrainer | undefined;
afterEach(async () => {
  await drainer?.stop();
  core?.close();
  await tg?.close();
});

describe("the global pace", () => {
  it("a 40-group burst stays at or under 25 messages in any second, with no 429", async () => {
    const clock = new ManualClock("2026-11-14T08:00:00+07:00");
    tg = await startFakeTelegram({ clock, rateLimits: { global: { limit: 30, windowMs: 1000 }, group: { limit: 20, windowMs: 60_000 } } });
    for (const id of GROUPS) tg.addChat({ id, type: "supergroup", title: `Nhóm ${id}` });
    core = createCore({ databasePath: ":memory:", promptsDir: DEFAULT_PROMPTS, clock, log: silentLogger });
    importUnits(core.db, readUnitsCsv(readFileSync(SAMPLE_UNITS, "utf8")));
    const apply = effectApplier(core.db, core.prompts.forms);
    for (let i = 0; i < PER_GROUP; i++) {
      for (const id of GROUPS) apply([{ type: "reply", out: { platform: "telegram", chatId: String(id), text: `Kính nhắc ${i} → ${id}` } }], clock.now());
    }
    const transport = new TelegramTransport(new Api(tg.token, { apiRoot: tg.apiRoot }), {
      messages: core.prompts.messages,
      groupPerMinute: 20,
      groupMinGapMs: 0,
      privateMinGapMs: 0,
      globalPerSecond: 25,
      botUsername: () => tg!.bot.username,
    });
    drainer = core.startOutbox([transport], {
      sleep: async (ms) => {
        clock.advance(ms);
        await new Promise((r) => setImmediate(r));
      },
    });
    await until(() => drainer!.pendingCount() === 0, 20_000, "the burst to be sent");

    const at = tg.sent.filter((s) => s.method === "sendMessage").map((s) => s.at).sort((a, b) => a - b);
    expect(at).toHaveLength(GROUPS.length * PER_GROUP);
    let busiest = 0;
    for (const t of at) busiest = Math.max(busiest, at.filter((u) => u >= t && u < t + 1000).length);
    expect(busiest).toBeLessThanOrEqual(25);
    // It used the pace it has: the busiest second was full.
    expect(busiest).toBe(25);
    expect(tg.calls.filter((c) => c.status === 429)).toEqual([]);
    // 120 messages at 25 a second take a little under five simulated seconds.
    expect(at.at(-1)! - at[0]!).toBeLessThan(5000);
  });
});
