// Time to finish a group: 30 reporters complete the default form in one group while the stand-in enforces
// Telegram's per-group limit (20 messages a minute; 429 with retry_after beyond it). One ManualClock drives
// the bot (periods, outbox pacing), the drainer's sleeps and the stand-in's rate limits, so the ~16 minutes
// the limit imposes pass in a few real seconds.
//
// The drainer's sleep advances the clock only when nothing is in flight (every update the people sent has
// been handled): a person answers the moment the reply arrives, and simulated time must not run while that
// answer is still travelling over real sockets.
import { join } from "node:path";
import { ManualClock } from "../../src/core/clock.js";
import { startFakeTelegram, type SentEntry } from "../../test/support/fake-telegram.js";
import { startRealBot } from "./bots.js";
import { Crowd } from "./crowd.js";
import { figure, type Figure } from "./figures.js";
import { FORM_SCRIPT } from "./throughput.js";
import { BENCH_START, seedWorld, tempDir, type Group } from "./world.js";

const SECTION = "time to finish a group";
const PER_MINUTE = 20;

/** The earliest the n-th message (1-based) can go under "at most `perMinute` in any 60 s": floor((n−1)/perMinute) minutes. */
export function minimumMs(messages: number, perMinute = PER_MINUTE): number {
  return Math.floor(Math.max(0, messages - 1) / perMinute) * 60_000;
}

const realTick = () => new Promise<void>((r) => setImmediate(r));

interface FinishRun {
  wallMs: number;
  /** Messages to the group up to and including the last area draft. */
  needed: number;
  minimumMs: number;
  waits: number[];
  rejected: number;
  realS: number;
}

/** One group, `reporters` people, the drainer pacing the group at `drainerPerMinute` (Infinity: not at all). */
async function finishRun(reporters: number, drainerPerMinute: number, drainerGapMs: number): Promise<FinishRun> {
  const clock = new ManualClock(BENCH_START);
  const t = () => clock.now().getTime();
  // Telegram's defaults: 20 a minute per group, 30 a second overall, 1 a second per private chat.
  const tg = await startFakeTelegram({ privacyMode: true, clock, rateLimits: {} });
  const tmp = tempDir("finish");
  let groups: Group[] = [];
  let crowd: Crowd | undefined;
  const inFlight = () => (crowd ? crowd.sent() - bot.handled() : 0);
  const bot = await startRealBot(tg, {
    databasePath: join(tmp.dir, "bot.sqlite"),
    clock,
    seed: (db) => (groups = seedWorld(db, { groups: 1, areasPerGroup: reporters })),
    groupPerMinute: drainerPerMinute,
    groupMinGapMs: drainerGapMs,
    drainer: {
      sleep: async (ms, wake) => {
        let woken = false;
        void wake.then(() => (woken = true));
        while (!woken && inFlight() > 0) await realTick();
        if (!woken) clock.advance(ms);
        await realTick();
      },
    },
  });
  const realStart = performance.now();
  try {
    crowd = new Crowd(tg, groups, () => FORM_SCRIPT, t);
    const result = await crowd.run();
    const group = groups[0]!.chatId;
    const needed = tg.sent.filter(
      (e: SentEntry) => e.chatId === group && (e.method === "sendMessage" || e.method === "sendDocument") && e.at <= result.finishedAt,
    ).length;
    return {
      wallMs: result.finishedAt - result.startedAt,
      needed,
      minimumMs: minimumMs(needed),
      waits: result.waits,
      rejected: tg.calls.filter((c) => c.status === 429).length,
      realS: (performance.now() - realStart) / 1000,
    };
  } finally {
    await bot.stop();
    await tg.close();
    tmp.remove();
  }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export async function measureFinish(opts: { reporters: number }): Promise<Figure[]> {
  // What src/main.ts uses by default: OUTBOX_GROUP_PER_MINUTE=20, OUTBOX_GROUP_MIN_GAP_MS=1000.
  const paced = await finishRun(opts.reporters, PER_MINUTE, 1_000);
  // The drainer told nothing about the limit: only the stand-in's 429 retry_after holds it back.
  const unpaced = await finishRun(opts.reporters, 1_000_000, 0);
  const note = (r: FinishRun) =>
    `${r.needed} messages to the group until the last draft; ${r.rejected} answered 429; simulated in ${r.realS.toFixed(1)} real s`;
  const minimum = (r: FinishRun) => ({ name: `minimum under ${PER_MINUTE} msg/min for those messages`, value: r.minimumMs / 60_000, unit: "min" });
  return [
    figure({
      id: "finish.wall",
      section: SECTION,
      name: `${opts.reporters} reporters complete the form (simulated clock)`,
      value: paced.wallMs / 60_000,
      unit: "min",
      note: note(paced),
      baselines: [minimum(paced)],
    }),
    figure({
      id: "finish.wait.mean",
      section: SECTION,
      name: "a reporter's wait for each reply, mean",
      value: mean(paced.waits) / 1000,
      unit: "s",
      note: "answers are typed the moment the previous reply arrives",
      baselines: [{ name: `fair share: ${opts.reporters} reporters ÷ ${PER_MINUTE} msg/min`, value: (opts.reporters / PER_MINUTE) * 60, unit: "s" }],
    }),
    figure({
      id: "finish.rejected",
      section: SECTION,
      name: "sends answered 429 (drainer paces the group)",
      value: paced.rejected,
      unit: "calls",
      baselines: [{ name: "messages to the group", value: paced.needed, unit: "calls" }],
    }),
    figure({
      id: "finish.unpaced.wall",
      section: SECTION,
      name: "same, drainer pacing off (429 retry_after only)",
      value: unpaced.wallMs / 60_000,
      unit: "min",
      note: note(unpaced),
      baselines: [minimum(unpaced)],
    }),
    figure({
      id: "finish.unpaced.rejected",
      section: SECTION,
      name: "sends answered 429 (pacing off)",
      value: unpaced.rejected,
      unit: "calls",
      baselines: [{ name: "messages to the group", value: unpaced.needed, unit: "calls" }],
    }),
  ];
}
