// An online backup while the bot writes: the bot process (src/main.ts) serves six area leaders filling the
// form at once, and meanwhile this process copies its database again and again — with SQLite's backup API
// (better-sqlite3 `db.backup()`, in small steps) and with `VACUUM INTO`. Every copy must open, pass
// `PRAGMA integrity_check`, hold only answers the live database also holds, and be transactionally whole:
// an update, its answers and its reply are committed together, so a copy never has one without the others.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeTelegram, type FakeTelegram, type UserInput } from "../support/fake-telegram.js";
import { startBotProcess, until, type BotProcess } from "../support/bot-process.js";
import { GroupDriver } from "../support/telegram-driver.js";
import { ANSWERS, ba, CLOCK_START, freshDatabase, hanh, tu } from "../support/reporting-data.js";

const GROUP = { id: -1001555000111, type: "supergroup" as const, title: "MTTQ xã Tân Khai" };
const SCRIPTS = [ANSWERS[tu.id]!, ANSWERS[hanh.id]!, ANSWERS[ba.id]!];
const LEADERS = Array.from({ length: 6 }, (_, i) => ({
  user: { id: 6100 + i, first_name: `Trưởng ban ${i + 1}` } satisfies UserInput,
  area: `25747-0${i + 1}`,
  script: SCRIPTS[i % SCRIPTS.length]!,
}));

let tg: FakeTelegram | undefined;
let bot: BotProcess | undefined;
afterEach(async () => {
  await bot?.kill("SIGKILL");
  await tg?.close();
  bot = undefined;
  tg = undefined;
});

type AnswerRow = { unit_code: string; field_id: string; value_json: string | null };

function answerRows(db: Database.Database): AnswerRow[] {
  return db.prepare("SELECT unit_code, field_id, value_json FROM answers ORDER BY unit_code, field_id").all() as AnswerRow[];
}

describe("online backup while the bot writes", () => {
  it("every copy (backup API and VACUUM INTO) opens, is intact and is a consistent subset of the live data", async () => {
    tg = await startFakeTelegram({ privacyMode: true, rateLimits: false });
    const { path } = freshDatabase();
    const setup = new Database(path);
    const at = new Date(CLOCK_START).toISOString();
    setup.prepare("INSERT INTO chats (platform, chat_id, unit_code, linked_by, linked_at) VALUES ('telegram', ?, '25747', 'test', ?)").run(String(GROUP.id), at);
    for (const l of LEADERS) {
      setup.prepare("INSERT INTO roles (platform, user_id, role, unit_code, granted_at) VALUES ('telegram', ?, 'reporter', ?, ?)").run(String(l.user.id), l.area, at);
    }
    setup.close();
    bot = startBotProcess({
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.apiRoot,
      DATABASE_PATH: path,
      BOT_CLOCK_START: CLOCK_START,
      OUTBOX_GROUP_PER_MINUTE: "10000",
      OUTBOX_GROUP_MIN_GAP_MS: "0",
    });

    // The writers: six leaders at once, a few milliseconds between a reply and their next answer.
    const g = new GroupDriver(tg, GROUP, 20_000);
    let running = true;
    const session = Promise.all(
      LEADERS.map(async (l) => {
        await g.say(l.user, "/baocao");
        for (const text of l.script) {
          await new Promise((r) => setTimeout(r, 5));
          await g.say(l.user, text);
        }
      }),
    ).finally(() => (running = false));

    // The copier: a separate connection in this process, alternating the two methods while the bot writes
    // (from the bot's first reply on: before it, there is nothing to copy).
    await until(() => tg!.sent.length > 0, 15_000, "the bot's first reply");
    const dir = mkdtempSync(join(tmpdir(), "baocao-backup-"));
    const copies: Array<{ file: string; how: string; whileWriting: boolean }> = [];
    const source = new Database(path);
    for (let i = 0; running || copies.length < 6; i++) {
      const file = join(dir, `copy-${i}.sqlite`);
      const whileWriting = running;
      if (i % 2 === 0) {
        // Small steps so that the bot's commits fall between them (SQLite then restarts the copy).
        await source.backup(file, { progress: () => 8 });
        copies.push({ file, how: "backup()", whileWriting });
      } else {
        source.exec(`VACUUM INTO '${file.replaceAll("'", "''")}'`);
        copies.push({ file, how: "VACUUM INTO", whileWriting });
      }
      await new Promise((r) => setTimeout(r, 40));
    }
    source.close();
    await session;
    await new Promise((r) => setTimeout(r, 200));
    await bot.kill("SIGTERM");

    const live = new Database(path, { readonly: true });
    const liveAnswers = new Map(answerRows(live).map((r) => [`${r.unit_code}/${r.field_id}`, r.value_json]));
    const liveCount = liveAnswers.size;
    live.close();
    expect(liveCount).toBeGreaterThan(60);

    const during = copies.filter((c) => c.whileWriting);
    expect(during.filter((c) => c.how === "backup()").length, "backup() copies taken while writing").toBeGreaterThan(1);
    expect(during.filter((c) => c.how === "VACUUM INTO").length, "VACUUM INTO copies taken while writing").toBeGreaterThan(1);
    const sizes: number[] = [];
    for (const c of copies) {
      const db = new Database(c.file, { readonly: true });
      try {
        expect(db.pragma("integrity_check", { simple: true }), `${c.how} ${c.file}`).toBe("ok");
        expect(db.pragma("foreign_key_check"), c.how).toEqual([]);
        const rows = answerRows(db);
        sizes.push(rows.length);
        // Only answers the live database also holds, with the same values (nothing here is ever changed).
        for (const r of rows) expect(liveAnswers.get(`${r.unit_code}/${r.field_id}`), `${c.how}: ${r.unit_code}/${r.field_id}`).toBe(r.value_json);
        // Whole transactions: every processed update queued exactly one reply in the same commit...
        const processed = (db.prepare("SELECT count(*) AS n FROM processed_updates").get() as { n: number }).n;
        const replies = (db.prepare("SELECT count(*) AS n FROM outbox").get() as { n: number }).n;
        expect(replies, `${c.how}: outbox rows vs processed updates`).toBe(processed);
        // ...and a completed submission has all its answers (the last answer and the completion commit together).
        for (const s of db.prepare("SELECT unit_code FROM submissions WHERE status = 'completed'").all() as Array<{ unit_code: string }>) {
          const mine = rows.filter((r) => r.unit_code === s.unit_code).length;
          const theirs = [...liveAnswers.keys()].filter((k) => k.startsWith(`${s.unit_code}/`)).length;
          expect(mine, `${c.how}: answers of completed ${s.unit_code}`).toBe(theirs);
        }
      } finally {
        db.close();
      }
    }
    // The copies were taken mid-session: some caught it part-way.
    expect(sizes.some((n) => n > 0 && n < liveCount), `answers per copy: ${sizes.join(", ")} of ${liveCount}`).toBe(true);
  }, 30_000);
});
