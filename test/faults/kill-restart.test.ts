// The bot process (src/main.ts, as `npm start` runs it) is killed with SIGKILL at seeded random moments of a
// scripted session — three area leaders answering the form in turn in one group — and started again, ten
// times. What must hold:
//  - no accepted answer is lost: at every kill, the database holds every answer the bot acknowledged (and at
//    most the one answer still in flight besides);
//  - no answer is stored twice: the answers always equal a clean run's after the same number of messages
//    (a redelivered update applied again would shift the form), each update is processed once;
//  - no report is posted twice: one draft per area, submission version 1;
//  - the session resumes where it was: every reply, across restarts, is the very text a clean run gives.
// The one delivery the bot cannot make exactly-once is a send interrupted after Telegram performed it and
// before the outbox row was marked sent (Telegram has no idempotency key): a repeated message is accepted
// only when its outbox row shows that second attempt.
import { afterEach, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { mulberry32 } from "../support/seeded-random.js";
import { startFakeTelegram, type FakeTelegram, type SentEntry, type UserInput } from "../support/fake-telegram.js";
import { startBotProcess, until, type BotProcess } from "../support/bot-process.js";
import { Harness } from "../support/harness.js";
import { ANSWERS, ba, CLOCK_START, freshDatabase, hanh, tu, type Person } from "../support/reporting-data.js";

const SEED = 424242;
const KILLS = 10;
const GROUP = { id: -1001987654321, type: "supergroup" as const, title: "MTTQ xã Tân Khai" };
const PERIOD = "2026-M11";
const REPORTERS: Array<{ person: Person; area: string }> = [
  { person: tu, area: "25747-01" },
  { person: hanh, area: "25747-02" },
  { person: ba, area: "25747-03" },
];

type Answers = Record<string, unknown>;

interface Reference {
  /** The bot's reply text to each message (index 0: /baocao). */
  replies: string[];
  /** The stored answers after each message. */
  after: Answers[];
}

/** A clean in-process run of the same scripts: what every reply and every stored state must be. */
async function reference(): Promise<Map<number, Reference>> {
  const h = new Harness(CLOCK_START);
  const out = new Map<number, Reference>();
  try {
    h.link(String(GROUP.id), "25747");
    for (const { person, area } of REPORTERS) {
      const who = { id: String(person.id), name: person.name };
      h.grant(who, "reporter", area);
      const ref: Reference = { replies: [], after: [] };
      for (const text of ["/baocao", ...ANSWERS[person.id]!]) {
        const sent = (await h.say(who, text, { chatId: String(GROUP.id) })).filter((s) => s.text);
        expect(sent, `clean run: one reply to “${text}”`).toHaveLength(1);
        ref.replies.push(sent[0]!.text);
        ref.after.push(h.answers(area, PERIOD));
      }
      out.set(person.id, ref);
    }
  } finally {
    h.close();
  }
  return out;
}

function readDb<T>(path: string, read: (db: Database.Database) => T): T {
  // Read-write on purpose: after a SIGKILL the WAL may need recovery, which a read-only handle cannot do.
  const db = new Database(path);
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** A read-only look while the bot runs (WAL: readers never block the writer). */
function readOnly<T>(path: string, read: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

function answersIn(path: string, area: string): Answers {
  return readDb(path, (db) => {
    const rows = db.prepare("SELECT field_id, value_json FROM answers WHERE unit_code = ? AND period_key = ?").all(area, PERIOD) as Array<{
      field_id: string;
      value_json: string | null;
    }>;
    return Object.fromEntries(rows.map((r) => [r.field_id, r.value_json === null ? null : JSON.parse(r.value_json)]));
  });
}

const isReply = (e: SentEntry, messageId: number) => e.chatId === GROUP.id && e.replyTo === messageId && (e.method === "sendMessage" || e.method === "sendDocument");
const textOf = (e: SentEntry) => (e.method === "sendDocument" ? e.caption : e.text) ?? "";

let tg: FakeTelegram | undefined;
let bot: BotProcess | undefined;
afterEach(async () => {
  await bot?.kill("SIGKILL");
  await tg?.close();
  bot = undefined;
  tg = undefined;
});

describe("SIGKILL at random points of a multi-reporter session", () => {
  it(`loses no acknowledged answer, stores none twice, posts each report once and resumes — ${KILLS} kills`, async () => {
    const refs = await reference();
    tg = await startFakeTelegram({ privacyMode: true, rateLimits: false });
    const { path } = freshDatabase();
    readDb(path, (db) => {
      const at = new Date(CLOCK_START).toISOString();
      db.prepare("INSERT INTO chats (platform, chat_id, unit_code, linked_by, linked_at) VALUES ('telegram', ?, '25747', 'test', ?)").run(String(GROUP.id), at);
      for (const { person, area } of REPORTERS) {
        db.prepare("INSERT INTO roles (platform, user_id, role, unit_code, granted_at) VALUES ('telegram', ?, 'reporter', ?, ?)").run(String(person.id), area, at);
      }
    });
    const env = {
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.apiRoot,
      DATABASE_PATH: path,
      BOT_CLOCK_START: CLOCK_START,
      OUTBOX_GROUP_PER_MINUTE: "10000",
      OUTBOX_GROUP_MIN_GAP_MS: "0",
    };
    bot = startBotProcess(env);

    // The session: one message from each leader in turn, each waiting for the bot's reply to the previous one.
    const scripts = REPORTERS.map(({ person }) => ["/baocao", ...ANSWERS[person.id]!]);
    const steps: Array<{ r: number; j: number }> = [];
    for (let j = 0; j < Math.max(...scripts.map((s) => s.length)); j++) for (let r = 0; r < REPORTERS.length; r++) if (j < scripts[r]!.length) steps.push({ r, j });
    const random = mulberry32(SEED);
    const killAt = new Set<number>();
    while (killAt.size < KILLS) killAt.add(1 + Math.floor(random() * (steps.length - 1)));

    const sentIds: number[][] = REPORTERS.map(() => []);
    const landed: string[] = [];
    const committed = (updateId: number) =>
      readOnly(path, (db) => !!db.prepare("SELECT 1 FROM processed_updates WHERE platform = 'telegram' AND update_key = ?").get(String(updateId)));
    const lastQuestion = new Map<number, number>();
    let updates = 0;

    /** At a kill: each leader's stored answers are those after their last acknowledged message, or after the one in flight. */
    const checkNothingLost = () => {
      REPORTERS.forEach(({ person, area }, r) => {
        const ref = refs.get(person.id)!;
        const acked = sentIds[r]!.filter((id) => tg!.sent.some((e) => isReply(e, id))).length;
        const stored = answersIn(path, area);
        const allowed = [acked === 0 ? {} : ref.after[acked - 1]!];
        if (acked < sentIds[r]!.length) allowed.push(ref.after[acked]!);
        expect(allowed, `${person.name} after ${acked} acknowledged message(s)`).toContainEqual(stored);
      });
    };

    for (const [i, { r, j }] of steps.entries()) {
      const { person } = REPORTERS[r]!;
      const from: UserInput = { id: person.id, first_name: person.name };
      const text = scripts[r]![j]!;
      const update = tg.userSays({ chat: GROUP, from, text, replyTo: text.startsWith("/") ? undefined : lastQuestion.get(person.id) });
      updates++;
      const messageId = update.message!.message_id;
      sentIds[r]!.push(messageId);
      if (killAt.has(i)) {
        // Where the kill lands: at once (the update not yet fetched), the moment its transaction committed
        // (the reply still in the outbox), or after a random 0–30 ms (anywhere, the reply maybe delivered).
        const phase = Math.floor(random() * 3);
        if (phase === 1) await until(() => committed(update.update_id), 10_000, "the update's commit");
        if (phase === 2) await new Promise((resolve) => setTimeout(resolve, random() * 30));
        await bot.kill("SIGKILL");
        landed.push(committed(update.update_id) ? (tg.sent.some((e) => isReply(e, messageId)) ? "replied" : "committed") : "before");
        checkNothingLost();
        bot = startBotProcess(env);
      }
      const reply = await tg.waitFor((e) => isReply(e, messageId), 20_000);
      const expected = refs.get(person.id)!.replies[j]!;
      // The /baocao reply also carries a private-chat link with a fresh token.
      if (j === 0) expect(textOf(reply).startsWith(expected), `${person.name}: reply to “${text}”`).toBe(true);
      else expect(textOf(reply), `${person.name}: reply to “${text}”`).toBe(expected);
      lastQuestion.set(person.id, reply.messageId);
    }

    // The kills met the update before its commit and after it (timing decides the exact mix).
    expect(landed).toHaveLength(KILLS);
    expect(landed, "kills before a commit").toContain("before");
    expect(landed.some((l) => l !== "before"), "kills after a commit").toBe(true);

    // Let the last sends settle, then stop for good and look at everything.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await bot.kill("SIGKILL");
    readDb(path, (db) => {
      for (const { person, area } of REPORTERS) {
        const ref = refs.get(person.id)!;
        expect(answersIn(path, area), person.name).toEqual(ref.after.at(-1));
        expect(db.prepare("SELECT status, version FROM submissions WHERE unit_code = ? AND period_key = ?").get(area, PERIOD)).toEqual({ status: "completed", version: 1 });
        const draftRows = db
          .prepare("SELECT attempts FROM outbox WHERE json_extract(payload_json, '$.document.report.unit') = ? AND json_extract(payload_json, '$.document.kind') = 'area_report'")
          .all(area) as Array<{ attempts: number }>;
        expect(draftRows, `${person.name}: one draft queued`).toHaveLength(1);
        const posted = tg!.sent.filter((e) => e.method === "sendDocument" && e.chatId === GROUP.id && e.caption?.includes(area === "25747-01" ? "Ấp Bến Đò" : area === "25747-02" ? "Ấp Cây Dầu" : "Ấp Sóc Ruộng"));
        expect(posted.length === 1 || draftRows[0]!.attempts > 1, `${person.name}: draft posted ${posted.length} times`).toBe(true);
      }
      // Each update was processed exactly once, and no answer was rewritten.
      expect((db.prepare("SELECT count(*) AS n FROM processed_updates WHERE platform = 'telegram'").get() as { n: number }).n).toBe(updates);
      expect((db.prepare("SELECT count(*) AS n FROM answer_history").get() as { n: number }).n).toBe(0);
      // One reply per message; a second copy only where the outbox shows the send was interrupted and retried.
      const allIds = sentIds.flat();
      for (const id of allIds) {
        const copies = tg!.sent.filter((e) => isReply(e, id));
        if (copies.length === 1) continue;
        const row = db.prepare("SELECT max(attempts) AS a FROM outbox WHERE json_extract(payload_json, '$.replyTo') = ?").get(String(id)) as { a: number | null };
        expect(copies.length === 2 && (row.a ?? 0) > 1, `message ${id} got ${copies.length} replies`).toBe(true);
      }
    });
  }, 150_000); // Ten restarts on a loaded 2-core machine: each wait inside is bounded on its own.
});
