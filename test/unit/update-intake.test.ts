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
import { walCommits } from "../support/wal.js";
import { GROUP, Harness } from "../support/harness.js";

let h: Harness | undefined;
afterEach(() => h?.close());

let path: string | undefined;

function setUp() {
  path = join(mkdtempSync(join(tmpdir(), "baocao-intake-")), "bot.sqlite");
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

  it("commits a getUpdates batch together; one failing in the middle is retried alone after those before it, before those after it", async () => {
    const { storage, intake, pauses, onPause } = setUp();
    storage.fail("updates", "22");
    const seenAtFirstPause: number[] = [];
    onPause((n) => {
      if (n !== 1) return;
      seenAtFirstPause.push(processed("21").n, processed("22").n, processed("23").n);
      storage.heal();
    });
    const batch = ["21", "22", "23"].map((key) => ({ platform: "telegram" as const, key, raw: {}, event: update(key) }));
    expect(await intake.processBatch(batch)).toEqual(["handled", "handled", "handled"]);
    // 21 was committed before 22 was tried again; 23 waited for 22.
    expect(seenAtFirstPause).toEqual([1, 0, 0]);
    expect(pauses).toEqual([200]);
    expect(["21", "22", "23"].map((k) => processed(k).n)).toEqual([1, 1, 1]);
    // The replies of all three are in the outbox, each once.
    await h!.flush();
    expect(h!.transport.sent.filter((x) => x.chatId === GROUP)).toHaveLength(3);
  });

  it("parks the update of a batch that keeps failing and keeps the others", async () => {
    const { storage, intake, parked } = setUp();
    storage.fail("updates", "32");
    const batch = ["31", "32", "33"].map((key) => ({ platform: "telegram" as const, key, raw: { update_id: Number(key) }, event: update(key) }));
    expect(await intake.processBatch(batch)).toEqual(["handled", "parked", "handled"]);
    expect(["31", "32", "33"].map((k) => processed(k).n)).toEqual([1, 0, 1]);
    expect(parked.list().map((p) => [p.updateKey, p.attempts])).toEqual([["32", 5]]);
  });

  it("stores a batch with one commit, each update still marked and a repeat recognised", async () => {
    const { intake } = setUp();
    // Read from the WAL file itself: every commit ends with a frame that records the database's size.
    h!.core.db.pragma("wal_autocheckpoint = 0");
    const before = walCommits(path!);
    const batch = ["41", "42", "43", "41"].map((key) => ({ platform: "telegram" as const, key, raw: {}, event: update(key) }));
    expect(await intake.processBatch(batch)).toEqual(["handled", "handled", "handled", "duplicate"]);
    expect(walCommits(path!) - before).toBe(1);
    expect(["41", "42", "43"].map((k) => processed(k).n)).toEqual([1, 1, 1]);
    // One at a time, the same is one commit each.
    const single = walCommits(path!);
    for (const key of ["51", "52", "53"]) await intake.process({ platform: "telegram", key, raw: {}, event: update(key) });
    expect(walCommits(path!) - single).toBe(3);
  });

  it("for webhooks: deliveries arriving together are committed together; the failing one alone is asked again", async () => {
    const { storage, intake } = setUp();
    storage.fail("updates", "62");
    const us = ["61", "62", "63"].map((key) => ({ platform: "telegram" as const, key, raw: {}, event: update(key) }));
    expect(await Promise.all(us.map((u) => intake.deliverTogether(u)))).toEqual([true, false, true]);
    expect(["61", "62", "63"].map((k) => processed(k).n)).toEqual([1, 0, 1]);
    storage.heal();
    expect(await intake.deliverTogether(us[1]!)).toBe(true);
    expect(processed("62").n).toBe(1);
  });
});
