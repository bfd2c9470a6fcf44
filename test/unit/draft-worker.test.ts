// Drafts are made in a worker thread, away from the event loop: while one group's summary draft is being made
// (held mid-way in the worker, synchronously, as a long build of a whole country's draft would be), another
// group's reply is sent; the draft then goes out, made from the committed data, with its text.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DraftPool, type JobEvent } from "../../src/app/drafts/draft-pool.js";
import type { OutboxDrainer } from "../../src/app/outbox.js";
import { docxText } from "../support/docx-text.js";
import { effectApplier } from "../../src/store/apply-effects.js";
import { until } from "../support/bot-process.js";
import { Harness } from "../support/harness.js";

let h: Harness | undefined;
let drainer: OutboxDrainer | undefined;
afterEach(async () => {
  await drainer?.stop();
  h?.close();
});

const PROVINCE_GROUP = "-100900";
const OTHER_GROUP = "-100901";

function setUp() {
  const hold = new SharedArrayBuffer(4);
  const flag = new Int32Array(hold);
  const path = join(mkdtempSync(join(tmpdir(), "baocao-drafts-")), "bot.sqlite");
  h = new Harness("2026-11-10T09:00:00+07:00", path, undefined, undefined, { hold });
  expect(h.core.documents).toBeInstanceOf(DraftPool);
  const events: JobEvent[] = [];
  (h.core.documents as DraftPool).observe((e) => events.push(e));
  return {
    events,
    holdJobs: () => Atomics.store(flag, 0, 1),
    release: () => {
      Atomics.store(flag, 0, 0);
      Atomics.notify(flag, 0);
    },
  };
}

describe("drafts off the event loop", () => {
  it("sends another group's reply while the province's summary draft is being made, then the draft", async () => {
    const { events, holdJobs, release } = setUp();
    holdJobs();
    const apply = effectApplier(h!.core.db, h!.core.prompts.forms);
    apply(
      [{ type: "reply", out: { platform: "telegram", chatId: PROVINCE_GROUP, text: "Tổng hợp", document: { kind: "summary_report", report: { unit: "75", form: "mttq_dinh_ky", period: "2026-M11" } } } }],
      h!.clock.now(),
    );
    drainer = h!.core.startOutbox([h!.transport]);
    await until(() => events.some((e) => e.phase === "started"), 60_000, "the worker to start the draft");

    h!.core.handler.handle({
      platform: "telegram",
      updateKey: "other-1",
      chat: { id: OTHER_GROUP, type: "group" },
      from: { id: "555", name: "Lan" },
      messageId: "m1",
      body: { kind: "text", text: "/trogiup" },
    });
    await until(() => h!.transport.sent.some((s) => s.chatId === OTHER_GROUP), 20_000, "the other group's reply");
    // The draft is still being made: its message has not gone, the worker has not finished.
    expect(h!.transport.sent.filter((s) => s.chatId === PROVINCE_GROUP)).toEqual([]);
    expect(events.map((e) => e.phase)).toEqual(["started"]);

    release();
    await until(() => h!.transport.sent.some((s) => s.chatId === PROVINCE_GROUP), 60_000, "the draft");
    const sent = h!.transport.sent.find((s) => s.chatId === PROVINCE_GROUP)!;
    expect(sent.file?.filename).toMatch(/^Bao-cao-tong-hop-.*\.docx$/);
    expect(await docxText(sent.file!.bytes)).toContain("Đồng Nai");
    expect(events.map((e) => e.phase)).toEqual(["started", "done"]);
  }, 120_000);

  it("makes the same draft in the worker as in this thread", async () => {
    setUp();
    const report = { unit: "25747", form: "mttq_dinh_ky", period: "2026-M11" };
    const inWorker = await h!.core.documents.summaryReport(report);
    const here = new Harness("2026-11-10T09:00:00+07:00");
    try {
      const inThread = await here.core.documents.summaryReport(report);
      expect(inWorker.filename).toBe(inThread.filename);
      expect(await docxText(inWorker.bytes)).toBe(await docxText(inThread.bytes));
    } finally {
      here.close();
    }
  }, 120_000);
});
