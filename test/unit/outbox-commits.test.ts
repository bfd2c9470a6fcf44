// The outbox's writes per pass, counted in the WAL file: the rows of a pass are claimed in one commit and the
// "sent" marks of its sends written in one more, however many chats the pass served; a running drainer writes the
// marks of the sends finished since its last pass in the same commit as the claims of its next one.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { effectApplier } from "../../src/store/apply-effects.js";
import { Harness } from "../support/harness.js";
import { walCommits } from "../support/wal.js";

let h: Harness | undefined;
afterEach(() => h?.close());

describe("outbox commits", () => {
  it("claims a pass's rows in one commit and marks its sends in one", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "baocao-outbox-")), "bot.sqlite");
    h = new Harness("2026-11-10T09:00:00+07:00", path);
    h.core.db.pragma("wal_autocheckpoint = 0");
    const chats = ["-1001", "-1002", "-1003", "-1004", "-1005"];
    effectApplier(h.core.db, h.core.prompts.forms)(
      chats.map((chatId) => ({ type: "reply" as const, out: { platform: "telegram" as const, chatId, text: `Kính gửi ${chatId}`, owner: "7", purpose: "question" } })),
      h.clock.now(),
    );
    const before = walCommits(path);
    const { sent } = await h.drainer.pass();
    expect(sent).toBe(5);
    expect(walCommits(path) - before).toBe(2);
    const rows = h.core.db.prepare("SELECT status, message_id FROM outbox ORDER BY id").all() as Array<{ status: string; message_id: string | null }>;
    expect(rows.map((r) => r.status)).toEqual(["sent", "sent", "sent", "sent", "sent"]);
    // What routes a reply to its question was written with the marks.
    const routed = h.core.db.prepare("SELECT count(*) AS n FROM bot_messages WHERE purpose = 'question'").get() as { n: number };
    expect(routed.n).toBe(5);
    expect(rows.every((r) => r.message_id !== null)).toBe(true);
  });

  it("writes the marks of finished sends and the next pass's claims in one commit", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "baocao-outbox-")), "bot.sqlite");
    h = new Harness("2026-11-10T09:00:00+07:00", path);
    h.core.db.pragma("wal_autocheckpoint = 0");
    const queue = (chats: string[]) =>
      effectApplier(h!.core.db, h!.core.prompts.forms)(
        chats.map((chatId) => ({ type: "reply" as const, out: { platform: "telegram" as const, chatId, text: `Kính gửi ${chatId}`, owner: "7", purpose: "question" } })),
        h!.clock.now(),
      );
    queue(["-1001", "-1002", "-1003"]);
    // One pass as the running loop makes it: claims committed, sends started; their marks wait for the next pass.
    const first = h.drainer["startDue"]();
    await Promise.all(first.sends);
    queue(["-1004", "-1005"]);
    const before = walCommits(path);
    const second = h.drainer["startDue"]();
    expect(second.sent).toBe(2);
    expect(walCommits(path) - before).toBe(1);
    const status = () => (h!.core.db.prepare("SELECT status FROM outbox ORDER BY id").all() as Array<{ status: string }>).map((r) => r.status);
    expect(status()).toEqual(["sent", "sent", "sent", "sending", "sending"]);
    await Promise.all(second.sends);
    await h.drainer.pass();
    expect(status()).toEqual(["sent", "sent", "sent", "sent", "sent"]);
  });
});
