// The intake against storage that fails on purpose (SQLite triggers in the bot's own database): an update is
// never reported storable before it is committed, is retried with growing pauses, and is parked with its
// error after a bounded number of tries; when even parking fails, it is never given up.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { UpdateIntake, IntakeStopped } from "../../src/app/update-intake.js";
import { silentLogger } from "../../src/app/logger.js";
import { ParkedUpdates } from "../../src/store/parked-updates.js";
import type { InboundEvent } from "../../src/core/events.js";
import { FailingStorage } from "../support/failing-storage.js";
import { GROUP, Harness } from "../support/harness.js";

let h: Harness | undefined;
afterEach(() => h?.close());

function setUp() {
  const path = join(mkdtempSync(join(tmpdir(), "baocao-intake-")), "bot.sqlite");
  h = new Harness("2026-11-10T09:00:00+07:00", path);
  const storage = new FailingStorage(path);
  const pauses: number[] = [];
  let onPause: (n: number) => void = () => {};
  const intake = new UpdateIntake(h.core.handler, new ParkedUpdates(h.core.db), h.clock, silentLogger, {
    sleep: async (ms) => {
      pauses.push(ms);
      onPause(pauses.length);
    },
  });
  return { storage, intake, pauses, parked: new ParkedUpdates(h.core.db), onPause: (f: (n: number) => void) => (onPause = f) };
}

const update = (key: string, text = "/trogiup"): InboundEvent => ({
  platform: "telegram",
  updateKey: key,
  chat: { id: GROUP, type: "group" },
  from: { id: "101", name: "Tư" },
  messageId: `m${key}`,
  body: { kind: "text", text },
});

const processed = (key: string) => h!.core.db.prepare("SELECT count(*) AS n FROM processed_updates WHERE update_key = ?").get(key) as { n: number };

describe("update intake", () => {
  it("retries a failing update with growing pauses and reports it only once it is committed", async () => {
    const { storage, intake, pauses, onPause } = setUp();
    storage.fail("updates");
    onPause((n) => n === 3 && storage.heal());
    expect(await intake.process({ platform: "telegram", key: "7", raw: {}, event: update("7") })).toBe("handled");
    expect(pauses).toEqual([200, 400, 800]);
    expect(processed("7").n).toBe(1);
    expect(intake.lastUpdates().telegram).toBe(h!.clock.now().toISOString());
  });

  it("parks an update after five failed tries, with its error, and goes on with the next", async () => {
    const { storage, intake, pauses, parked } = setUp();
    storage.fail("updates", "8");
    expect(await intake.process({ platform: "telegram", key: "8", raw: { update_id: 8 }, event: update("8", "/tiendo") })).toBe("parked");
    expect(pauses).toHaveLength(4);
    const [p] = parked.list();
    expect(p).toMatchObject({ platform: "telegram", updateKey: "8", raw: { update_id: 8 }, attempts: 5, event: { body: { text: "/tiendo" } } });
    expect(p!.error).toContain("injected by the test");
    expect(processed("8").n).toBe(0);
    expect(await intake.process({ platform: "telegram", key: "9", raw: {}, event: update("9") })).toBe("handled");
  });

  it("never gives up an update that can be neither stored nor parked, until it is stopped", async () => {
    const { storage, intake, pauses, parked, onPause } = setUp();
    storage.fail("updates");
    storage.fail("parking");
    onPause((n) => n === 12 && intake.close());
    await expect(intake.process({ platform: "telegram", key: "10", raw: {}, event: update("10") })).rejects.toBeInstanceOf(IntakeStopped);
    // The pause grows, then stays at its cap.
    expect(pauses.slice(0, 6)).toEqual([200, 400, 800, 1600, 3200, 6400]);
    expect(Math.max(...pauses)).toBe(30_000);
    expect(parked.list()).toEqual([]);
    expect(processed("10").n).toBe(0);
  });

  it("for a webhook: answers 'deliver again' while storage fails, then parks after five deliveries", () => {
    const { storage, intake, parked } = setUp();
    storage.fail("updates", "11");
    const u = { platform: "telegram" as const, key: "11", raw: {}, event: update("11") };
    expect([1, 2, 3, 4].map(() => intake.deliver(u))).toEqual([false, false, false, false]);
    expect(intake.deliver(u)).toBe(true);
    expect(parked.list().map((p) => p.attempts)).toEqual([5]);
    // A repeat after healing is stored; a redelivery of it is recognised.
    storage.heal();
    expect(intake.deliver({ ...u, key: "12", event: update("12") })).toBe(true);
    expect(processed("12").n).toBe(1);
  });
});
