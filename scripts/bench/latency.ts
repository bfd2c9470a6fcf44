// Per-update cost: from the moment an update is available at the Bot API stand-in (the bot's open long poll
// is answered at once) to the commit that puts the bot's reply into the outbox — for a reporter answering a
// count question ("12 buổi, 350 người"). Samples are taken one at a time, each from an idle bot (previous
// reply delivered, long poll open again), so they measure cost, not queueing.
// Floors from the same run, on the same stand-in and the same path: a grammY echo bot that awaits its sends
// (update → handler entered); the same bot committing one SQLite row per update first (update → committed:
// the floor the target is a ratio of); one raw SQLite INSERT + COMMIT on a database opened like the bot's
// (WAL, synchronous=FULL). For reference, the echo bot storing what the bot's rules require of any answer.
import { join } from "node:path";
import { ManualClock } from "../../src/core/clock.js";
import { openDatabase } from "../../src/store/db.js";
import { startFakeTelegram, type FakeTelegram, type SentEntry } from "../../test/support/fake-telegram.js";
import { pollIsOpen, startEchoBot, startRealBot, waitFor } from "./bots.js";
import { figure, median, p99, type Figure } from "./figures.js";
import { BENCH_START, seedWorld, tempDir, type Group } from "./world.js";
import { measureColdReading } from "./cold.js";

const SECTION = "per-update cost";
const COUNT_ANSWER = "12 buổi, 350 người";
/** The answers that follow it (a choice, then the next section's counts): the last is the later answer timed. */
const LATER_ANSWERS = ["họp dân", "15 vụ, thành 10, không thành 5"];

export interface LatencyOptions {
  samples: number;
  warmup: number;
}

function chatOf(g: Group) {
  return { id: g.chatId, type: "supergroup" as const, title: `MTTQ ${g.commune}` };
}

function replyTo(tg: FakeTelegram, chatId: number, messageId: number): Promise<SentEntry> {
  return tg.waitFor((s) => s.chatId === chatId && s.replyTo === messageId && (s.method === "sendMessage" || s.method === "sendDocument"), 15_000, {
    fromIndex: Math.max(0, tg.sent.length - 50),
  });
}

interface BotSamples {
  queued: number[];
  handle: number[];
  roundTrip: number[];
  /** The same reporter's later count answer, once the report is begun (update → reply in outbox). */
  later: number[];
}

async function botSamples(n: number): Promise<BotSamples> {
  const tg = await startFakeTelegram({ privacyMode: true, rateLimits: false });
  const tmp = tempDir("latency");
  let groups: Group[] = [];
  const bot = await startRealBot(tg, {
    databasePath: join(tmp.dir, "bot.sqlite"),
    clock: new ManualClock(BENCH_START),
    seed: (db) => (groups = seedWorld(db, { groups: Math.ceil(n / 50), areasPerGroup: 50 })),
  });
  const committed = new Map<string, { startedAt: number; committedAt: number }>();
  bot.onHandled((key, startedAt, committedAt) => committed.set(key, { startedAt, committedAt }));
  const out: BotSamples = { queued: [], handle: [], roundTrip: [], later: [] };
  /** Answers the reporter's open question and waits for the reply, from an idle bot; the update and its reply. */
  const answer = async (g: Group, from: { id: number; first_name: string }, text: string, question: SentEntry) => {
    await waitFor(() => pollIsOpen(tg) && bot.drainer.pendingCount() === 0, 10_000, "an idle bot");
    const t0 = performance.now();
    const update = tg.userSays({ chat: chatOf(g), from, text, replyTo: question.messageId });
    const reply = await replyTo(tg, g.chatId, update.message!.message_id);
    const t2 = performance.now();
    if (!reply.text?.includes("Ghi nhận")) throw new Error(`bench: the answer "${text}" was not accepted: ${reply.text}`);
    const c = committed.get(String(update.update_id));
    if (!c) throw new Error("bench: a reply arrived for an update the handler never saw");
    return { t0, t2, c, reply };
  };
  try {
    const reporters = groups.flatMap((g) => g.reporters.map((r) => ({ g, r }))).slice(0, n);
    for (const { g, r } of reporters) {
      const from = { id: r.userId, first_name: r.firstName };
      const start = tg.userSays({ chat: chatOf(g), from, text: "/baocao thang" });
      const question = await replyTo(tg, g.chatId, start.message!.message_id);
      const first = await answer(g, from, COUNT_ANSWER, question);
      out.queued.push(first.c.committedAt - first.t0);
      out.handle.push(first.c.committedAt - first.c.startedAt);
      out.roundTrip.push(first.t2 - first.t0);
      let next = first;
      for (const text of LATER_ANSWERS) next = await answer(g, from, text, next.reply);
      out.later.push(next.c.committedAt - next.t0);
    }
  } finally {
    await bot.stop();
    await tg.close();
    tmp.remove();
  }
  return out;
}

interface EchoSamples {
  /** Update available at the stand-in → the echo handler entered / its commit done. */
  entered: number[];
  committed: number[];
  roundTrip: number[];
}

/**
 * The floors, one update at a time like the bot: the bare echo; with `store` "one" the echo+commit bot; with
 * "rules" the echo storing what the bot's rules require of an answer (EchoOptions.rulesRows).
 */
async function echoSamples(n: number, store?: "one" | "rules"): Promise<EchoSamples> {
  const tg = await startFakeTelegram({ privacyMode: true, rateLimits: false });
  const tmp = tempDir("echo");
  const bot = await startEchoBot(tg, store ? { commitTo: join(tmp.dir, "echo.sqlite"), rulesRows: store === "rules" } : {});
  const seen = new Map<number, { entered: number; committed: number }>();
  bot.onMessage((id, entered, committed) => seen.set(id, { entered, committed }));
  const chat = { id: -1_003_000_000_000, type: "supergroup" as const, title: "Echo" };
  const from = { id: 4242, first_name: "Tư" };
  const out: EchoSamples = { entered: [], committed: [], roundTrip: [] };
  try {
    const first = tg.userSays({ chat, from, text: "/batdau" });
    let last = await replyTo(tg, chat.id, first.message!.message_id);
    for (let i = 0; i < n; i++) {
      await waitFor(() => pollIsOpen(tg), 10_000, "the echo bot's long poll");
      const t0 = performance.now();
      const update = tg.userSays({ chat, from, text: COUNT_ANSWER, replyTo: last.messageId });
      last = await replyTo(tg, chat.id, update.message!.message_id);
      const t2 = performance.now();
      const s = seen.get(update.update_id)!;
      out.entered.push(s.entered - t0);
      out.committed.push(s.committed - t0);
      out.roundTrip.push(t2 - t0);
    }
  } finally {
    await bot.stop();
    await tg.close();
    tmp.remove();
  }
  return out;
}

/** One row inserted and committed per transaction, with the bot's own pragmas (openDatabase). */
export function sqliteSamples(n: number): number[] {
  const tmp = tempDir("sqlite-floor");
  const db = openDatabase(join(tmp.dir, "floor.sqlite"));
  try {
    db.exec("CREATE TABLE floor (id INTEGER PRIMARY KEY, chat_id TEXT NOT NULL, payload_json TEXT NOT NULL, created_at INTEGER NOT NULL)");
    const insert = db.prepare("INSERT INTO floor (chat_id, payload_json, created_at) VALUES (?, ?, ?)");
    const payload = JSON.stringify({ text: "Ghi nhận: 12 buổi, 350 lượt người. ✔\nHình thức tuyên truyền chủ yếu là gì?".repeat(3) });
    const once = db.transaction((i: number) => insert.run("-1002000000000", payload, i));
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      once(i);
      out.push(performance.now() - t0);
    }
    return out;
  } finally {
    db.close();
    tmp.remove();
  }
}

/** What other tools read from the JSON: the bot's median against the echo+commit floor. */
export interface UpdateCost {
  medianMs: number;
  floorMs: number;
  ratio: number;
}

export async function measureLatency(opts: LatencyOptions): Promise<{ figures: Figure[]; update: UpdateCost }> {
  const drop = <T>(xs: T[]) => xs.slice(opts.warmup);
  const n = opts.samples + opts.warmup;
  const bot = await botSamples(n);
  const echo = await echoSamples(n);
  const echoCommit = await echoSamples(n, "one");
  const echoRules = await echoSamples(n, "rules");
  const sqlite = drop(sqliteSamples(n));
  const queued = drop(bot.queued);
  const handle = drop(bot.handle);
  const floor = drop(echoCommit.committed);
  const framework = drop(echo.entered);
  const note = `${opts.samples} samples after ${opts.warmup} warm-up, one at a time; every bot awaits its sends`;
  const floors = (q: (xs: number[]) => number) => [
    { name: "echo + one commit: update → committed", value: q(floor), unit: "ms" },
    { name: "bare grammY echo: update → handler", value: q(framework), unit: "ms" },
    { name: "raw SQLite insert + commit", value: q(sqlite), unit: "ms" },
  ];
  const update: UpdateCost = { medianMs: median(queued), floorMs: median(floor), ratio: median(queued) / median(floor) };
  return {
    update,
    figures: [
      figure({
        id: "latency.queued.median",
        section: SECTION,
        name: "update → reply in outbox, median",
        value: update.medianMs,
        unit: "ms",
        note,
        baselines: floors(median),
        target: { text: "≤ 1.3 × (echo + one commit)", pass: update.ratio <= 1.3 },
      }),
      figure({
        id: "latency.queued.p99",
        section: SECTION,
        name: "update → reply in outbox, p99",
        value: p99(queued),
        unit: "ms",
        note,
        baselines: floors(p99),
      }),
      figure({
        id: "latency.handle.median",
        section: SECTION,
        name: "of which EventHandler.handle, median",
        value: median(handle),
        unit: "ms",
        note: "decide + every write of the update in one transaction (fsync on commit)",
        baselines: [{ name: "raw SQLite insert + commit", value: median(sqlite), unit: "ms" }],
      }),
      figure({
        id: "latency.later.median",
        section: SECTION,
        name: "a later count answer → reply in outbox, median",
        value: median(drop(bot.later)),
        unit: "ms",
        note: `"${LATER_ANSWERS.at(-1)}", the same reporter's third answer: the report is begun, no state moves (for reference)`,
        baselines: [{ name: "echo + one commit: update → committed", value: median(floor), unit: "ms" }],
      }),
      figure({
        id: "latency.rules_floor.median",
        section: SECTION,
        name: "echo storing what the rules require of an answer, median",
        value: median(drop(echoRules.committed)),
        unit: "ms",
        note:
          "update → committed: the dedupe mark, the answer's two figures and the reply queued with its queue index, in one " +
          "transaction shaped like the bot's (no decision, session or totals): what is left of ×1.3 after it is the decision's (for reference)",
        baselines: [{ name: "echo + one commit: update → committed", value: median(floor), unit: "ms" }],
      }),
      measureColdReading(SECTION, COUNT_ANSWER, opts.samples),
      figure({
        id: "latency.roundtrip.median",
        section: SECTION,
        name: "update → reply received by the stand-in, median",
        value: median(drop(bot.roundTrip)),
        unit: "ms",
        baselines: [
          { name: "echo + one commit, same path", value: median(drop(echoCommit.roundTrip)), unit: "ms" },
          { name: "bare grammY echo, same path", value: median(drop(echo.roundTrip)), unit: "ms" },
        ],
      }),
    ],
  };
}
