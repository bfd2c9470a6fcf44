// End to end across many groups: one leader in each of 1,000 commune groups fills the whole form at once,
// through the Bot API stand-in on 127.0.0.1, with Telegram's per-group limits on (20 messages a minute in a
// group, 429 with retry_after beyond) and the bot's outbox pacing as it ships (20 a minute and 1 s apart per
// group, 25 a second in all). The leaders do not wait for the questions (group privacy mode off, so every
// message reaches the bot): everything they type is queued at the stand-in at once, and the figure is how
// fast the bot takes it in — updates a second, from the first update queued to the last one committed —
// while its outbox delivers replies (and renders the area drafts) under the limits at the same time.
// Floor: the echo + one commit bot (it awaits each send) under the same crowd and limits.
import { join } from "node:path";
import Database from "better-sqlite3";
import { offsetClock } from "../../src/core/clock.js";
import { startFakeTelegram, type FakeTelegram } from "../../test/support/fake-telegram.js";
import { startEchoBot, startRealBot } from "./bots.js";
import { figure, type Figure } from "./figures.js";
import { checkpointedSize, prunedSize, tableBytes } from "./storage.js";
import { FORM_SCRIPT } from "./throughput.js";
import { BENCH_START, FORM_ID, PERIOD_KEY, seedWorld, tempDir, type Group } from "./world.js";

const SECTION = "end to end";

export interface EndToEndOptions {
  groups: number;
  /** Gives up (the figure becomes a lower bound) when the bot has not taken everything in by then. */
  limitMs: number;
}

/** Telegram's limits at the stand-in, except the global one: the bot's outbox keeps under it itself. */
const LIMITS = { global: false } as const;

/**
 * Resolves true once `done()` holds, checked at each event `on` reports (no polling: a spinning wait would
 * take CPU from the bot it measures), or false after `limitMs`.
 */
function counted(on: (listener: () => void) => () => void, done: () => boolean, limitMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const finish = (ok: boolean) => {
      off();
      clearTimeout(timer);
      resolve(ok);
    };
    const off = on(() => {
      if (done()) finish(true);
    });
    const timer = setTimeout(() => finish(done()), limitMs);
  });
}

/** Every line of every leader, queued at the stand-in in one go (each chat's lines in order). */
function typeEverything(tg: FakeTelegram, groups: Group[]): number {
  let n = 0;
  for (const line of FORM_SCRIPT) {
    for (const g of groups) {
      const r = g.reporters[0]!;
      tg.userSays({ chat: { id: g.chatId, type: "supergroup", title: `MTTQ ${g.commune}` }, from: { id: r.userId, first_name: r.firstName }, text: line });
      n++;
    }
  }
  return n;
}

interface BotRun {
  updates: number;
  /** Transactions the updates were committed in. */
  commits: number;
  ms: number;
  complete: boolean;
  completed: number;
  delivered: number;
  rejected: number;
  storage: { before: number; after: number; pruned: number; tables: Array<[string, number]> };
}

async function realRun(opts: EndToEndOptions): Promise<BotRun> {
  const tg = await startFakeTelegram({ privacyMode: false, rateLimits: LIMITS });
  const tmp = tempDir("end-to-end");
  const path = join(tmp.dir, "bot.sqlite");
  let groups: Group[] = [];
  // The outbox paces by the bot's clock: it must run in real time for the limits to mean anything.
  const bot = await startRealBot(tg, {
    databasePath: path,
    clock: offsetClock(new Date(BENCH_START)),
    seed: (db) => (groups = seedWorld(db, { groups: opts.groups, areasPerGroup: 8, reportersPerGroup: 1 })),
    groupPerMinute: 20,
    groupMinGapMs: 1_000,
    globalPerSecond: 25,
  });
  const before = checkpointedSize(path);
  const tablesBefore = tableBytes(path);
  try {
    const t0 = performance.now();
    const updates = typeEverything(tg, groups);
    const complete = await counted(bot.onHandled.bind(bot), () => bot.handled() >= updates, opts.limitMs);
    const ms = performance.now() - t0;
    const delivered = tg.sent.length;
    const rejected = tg.calls.filter((c) => c.status === 429).length;
    await bot.stop();
    const db = new Database(path, { readonly: true });
    const completed = (
      db.prepare("SELECT count(*) AS n FROM submissions WHERE form_id = ? AND period_key = ? AND status = 'completed'").get(FORM_ID, PERIOD_KEY) as { n: number }
    ).n;
    db.close();
    const after = checkpointedSize(path);
    const tablesAfter = tableBytes(path);
    const tables = Object.keys(tablesAfter)
      .map((t) => [t, (tablesAfter[t] ?? 0) - (tablesBefore[t] ?? 0)] as [string, number])
      .filter(([, b]) => b > 0)
      .sort((a, b) => b[1] - a[1]);
    return { updates: bot.handled(), commits: bot.commits(), ms, complete, completed, delivered, rejected, storage: { before, after, pruned: prunedSize(path), tables } };
  } finally {
    await bot.stop();
    await tg.close();
    tmp.remove();
  }
}

async function floorRun(groups: number): Promise<{ updates: number; ms: number; failed: number }> {
  const tg = await startFakeTelegram({ privacyMode: false, rateLimits: LIMITS });
  const tmp = tempDir("end-to-end-floor");
  const bot = await startEchoBot(tg, { commitTo: join(tmp.dir, "echo.sqlite") });
  try {
    const seeded: Group[] = Array.from({ length: groups }, (_, g) => ({
      chatId: -1_004_000_000_000 - g,
      commune: `E${g}`,
      reporters: [{ userId: 2_000_000 + g, firstName: `Echo ${g}`, area: "", areaName: "" }],
    }));
    const t0 = performance.now();
    const updates = typeEverything(tg, seeded);
    if (!(await counted(bot.onMessage.bind(bot), () => bot.handled() >= updates, 120_000))) throw new Error("bench: the echo + commit bot stalled");
    return { updates, ms: performance.now() - t0, failed: bot.failedSends() };
  } finally {
    await bot.stop();
    await tg.close();
    tmp.remove();
  }
}

export async function measureEndToEnd(opts: EndToEndOptions): Promise<{ figures: Figure[]; endToEnd: { updatesPerSecond: number } }> {
  const bot = await realRun(opts);
  const floor = await floorRun(opts.groups);
  if (bot.complete && bot.completed !== opts.groups) throw new Error(`bench: ${bot.completed}/${opts.groups} forms completed end to end`);
  const updatesPerSecond = (bot.updates * 1000) / bot.ms;
  const per1000 = (bytes: number) => (bytes * 1000) / Math.max(1, bot.completed);
  const byTable = bot.storage.tables.map(([t, b]) => `${t} ${Math.round(per1000(b) / 1024)} KB`).join(", ");
  const answers = bot.storage.tables.find(([t]) => t === "answers")?.[1] ?? 0;
  return {
    endToEnd: { updatesPerSecond },
    figures: [
      figure({
        id: "end_to_end.updates_per_second",
        section: SECTION,
        name: `${opts.groups.toLocaleString("en-US")} groups at once, per-group limits on`,
        value: updatesPerSecond,
        unit: "updates/s",
        note:
          `${bot.updates.toLocaleString("en-US")} updates taken in within ${(bot.ms / 1000).toFixed(1)} s${bot.complete ? "" : " (stopped: not all taken in)"}, ` +
          `${(bot.updates / Math.max(1, bot.commits)).toFixed(1)} to a commit on average; ` +
          `${bot.completed} forms completed; meanwhile ${bot.delivered.toLocaleString("en-US")} replies delivered, ${bot.rejected} answered 429`,
        baselines: [{ name: "echo + one commit bot, same crowd and limits", value: (floor.updates * 1000) / floor.ms, unit: "updates/s" }],
        target: { text: "≥ 1,000 updates/s", pass: updatesPerSecond >= 1000 },
        ...(bot.complete ? {} : { bound: `stopped after ${(opts.limitMs / 1000).toFixed(0)} s` }),
      }),
      figure({
        id: "storage.per_1000_forms",
        section: "storage",
        name: "database bytes per 1,000 submitted forms",
        value: per1000(bot.storage.after - bot.storage.before),
        unit: "bytes",
        note: `${bot.completed} forms of the end-to-end run; file size after a WAL checkpoint, minus the seeded database; by table: ${byTable}`,
        baselines: [{ name: "the answers table alone", value: per1000(answers), unit: "bytes" }],
      }),
      figure({
        id: "storage.per_1000_forms_pruned",
        section: "storage",
        name: "the same after the drainer's pruning + VACUUM",
        value: per1000(bot.storage.pruned - bot.storage.before),
        unit: "bytes",
        note: "sent outbox rows go after 7 days, bot message records after 60",
        baselines: [{ name: "the answers table alone", value: per1000(answers), unit: "bytes" }],
      }),
    ],
  };
}
