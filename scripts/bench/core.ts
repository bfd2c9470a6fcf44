// Answers per second through the core, on one core: EventHandler.handle (mark the update processed, decide,
// apply, follow-ups, one transaction) called in a loop — no HTTP, no outbox delivery. Every reporter has
// opened the form first (untimed); then the answers go round the reporters, one answer each in turn, as a
// busy afternoon interleaves them. Measured on a database file opened like the bot's (WAL, synchronous=FULL:
// one fsync per answer) and, to show what durability costs, in memory; and, for reference, on a file with the
// answers committed twenty at a time, as the intake commits a busy getUpdates answer.
import { join } from "node:path";
import { ManualClock } from "../../src/core/clock.js";
import { createCore } from "../../src/app/create-core.js";
import { silentLogger } from "../../src/app/logger.js";
import { DEFAULT_PROMPTS } from "../../src/paths.js";
import { FULL_FORM_ANSWERS } from "../../test/support/harness.js";
import { figure, median, type Figure } from "./figures.js";
import { sqliteSamples } from "./latency.js";
import { BENCH_START, seedWorld, tempDir } from "./world.js";

export interface CoreOptions {
  groups: number;
  reportersPerGroup: number;
  /** Stops answering once this much time has gone (the figure is a rate; fewer answers only widen it). */
  budgetMs: number;
}

interface CoreRun {
  answers: number;
  ms: number;
  completed: number;
}

/** `batch`: answers committed together, as the intake commits the updates of one getUpdates answer (1: each alone). */
function run(path: string, opts: CoreOptions, batch = 1): CoreRun {
  const clock = new ManualClock(BENCH_START);
  const core = createCore({ databasePath: path, promptsDir: DEFAULT_PROMPTS, clock, log: silentLogger });
  try {
    const groups = seedWorld(core.db, { groups: opts.groups, areasPerGroup: opts.reportersPerGroup });
    const people = groups.flatMap((g) => g.reporters.map((r) => ({ chat: String(g.chatId), from: { id: String(r.userId), name: r.firstName } })));
    let n = 0;
    const say = (p: (typeof people)[number], text: string, reply: boolean) =>
      core.handler.handle({
        platform: "telegram",
        updateKey: `core-${++n}`,
        chat: { id: p.chat, type: "group" },
        from: p.from,
        messageId: `m${n}`,
        // An answer replies to the bot's question, as people do with privacy mode on.
        ...(reply ? { replyTo: { messageId: "question", fromBot: true } } : {}),
        body: { kind: "text", text },
      });
    for (const p of people) say(p, "/baocao thang", false);
    let answers = 0;
    const turns = FULL_FORM_ANSWERS.flatMap((text) => people.map((p) => ({ p, text })));
    // The clock is read every 50 answers or so, not after each one.
    let nextCheck = 50;
    const t0 = performance.now();
    for (let i = 0; i < turns.length; i += batch) {
      const some = turns.slice(i, i + batch);
      const handleAll = () => {
        for (const { p, text } of some) say(p, text, true);
      };
      // Alone, an answer is its own transaction (handle's); in a batch, a savepoint of the batch's.
      if (batch === 1) handleAll();
      else core.handler.inBatch(handleAll);
      answers += some.length;
      if (answers >= nextCheck) {
        nextCheck += 50;
        if (performance.now() - t0 > opts.budgetMs) break;
      }
    }
    const ms = performance.now() - t0;
    const completed = (core.db.prepare("SELECT count(*) AS n FROM submissions WHERE status = 'completed'").get() as { n: number }).n;
    return { answers, ms, completed };
  } finally {
    core.close();
  }
}

/** Answers a batched run commits together: what a busy getUpdates answer holds (up to 100). */
const BATCH = 20;

export async function measureCore(opts: CoreOptions): Promise<{ figures: Figure[]; core: { answersPerSecond: number } }> {
  const tmp = tempDir("core");
  try {
    const file = run(join(tmp.dir, "core.sqlite"), opts);
    const memory = run(":memory:", opts);
    const batched = run(join(tmp.dir, "core-batched.sqlite"), opts, BATCH);
    const commit = median(sqliteSamples(300).slice(50));
    const rate = (r: CoreRun) => (r.answers * 1000) / r.ms;
    const answersPerSecond = rate(file);
    const forms = opts.groups * opts.reportersPerGroup;
    if (file.completed === 0 && file.answers >= forms * FULL_FORM_ANSWERS.length) throw new Error("bench: no form completed through the core");
    return {
      core: { answersPerSecond },
      figures: [
        figure({
          id: "core.answers_per_second",
          section: "through the core",
          name: "answers a second, one thread, database file",
          value: answersPerSecond,
          unit: "answers/s",
          note: `${file.answers.toLocaleString("en-US")} answers of ${forms.toLocaleString("en-US")} reporters in ${opts.groups} groups in ${(file.ms / 1000).toFixed(1)} s (${file.completed} forms completed); decide + apply + follow-ups, one transaction each`,
          baselines: [
            { name: "raw SQLite commits a second (1 / median insert + commit)", value: 1000 / commit, unit: "answers/s" },
            { name: "the same core on an in-memory database (no fsync)", value: rate(memory), unit: "answers/s" },
          ],
          target: { text: "≥ 2,000 answers/s", pass: answersPerSecond >= 2000 },
        }),
        figure({
          id: "core.answers_per_second.batched",
          section: "through the core",
          name: `the same, ${BATCH} answers to a commit (for reference)`,
          value: rate(batched),
          unit: "answers/s",
          note: `as the intake commits the updates of one getUpdates answer: ${batched.answers.toLocaleString("en-US")} answers in ${(batched.ms / 1000).toFixed(1)} s`,
          baselines: [{ name: "one commit per answer (above)", value: answersPerSecond, unit: "answers/s" }],
        }),
      ],
    };
  } finally {
    tmp.remove();
  }
}
