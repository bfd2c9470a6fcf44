// Answers per second through the core, on one core: EventHandler.handle (mark the update processed, decide,
// apply, follow-ups) called in a loop — no HTTP, no outbox delivery. Every reporter has opened the form first
// (untimed); then the answers go round the reporters, one answer each in turn, as a busy afternoon interleaves
// them. Measured on a database file opened like the bot's (WAL, synchronous=FULL) with the answers committed
// twenty at a time, as the intake commits the updates of one getUpdates answer: at two thousand answers a second
// updates never arrive one by one, and a saturated getUpdates answer holds up to a hundred (the end-to-end run
// prints how many it commits together). For reference, the same with one commit (one fsync) per answer, which
// no disk here allows two thousand times a second, and in memory, to show what durability costs.
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

/** How long the untimed warm-up runs. */
const WARM_UP_MS = 1_000;

/** Answers the target's run commits together: fewer than a saturated getUpdates answer holds (up to 100). */
const BATCH = 20;

/** What other tools read from the JSON: `answersPerSecond` is the figure the target judges. */
export interface CoreJson {
  answersPerSecond: number;
  answersPerCommit: number;
  oneCommitEachPerSecond: number;
}

export async function measureCore(opts: CoreOptions): Promise<{ figures: Figure[]; core: CoreJson }> {
  const tmp = tempDir("core");
  try {
    // Untimed, in memory: the code is compiled and optimized before the timed runs, as in a bot that has been up
    // a while; then the target's run, so that it is not the one the others' warm-up favours.
    run(":memory:", { ...opts, budgetMs: WARM_UP_MS });
    const batched = run(join(tmp.dir, "core-batched.sqlite"), opts, BATCH);
    const alone = run(join(tmp.dir, "core.sqlite"), opts);
    const memory = run(":memory:", opts);
    const commit = median(sqliteSamples(300).slice(50));
    const rate = (r: CoreRun) => (r.answers * 1000) / r.ms;
    const answersPerSecond = rate(batched);
    const forms = opts.groups * opts.reportersPerGroup;
    for (const r of [alone, batched]) {
      if (r.completed === 0 && r.answers >= forms * FULL_FORM_ANSWERS.length) throw new Error("bench: no form completed through the core");
    }
    const of = (r: CoreRun) =>
      `${r.answers.toLocaleString("en-US")} answers of ${forms.toLocaleString("en-US")} reporters in ${opts.groups} groups in ${(r.ms / 1000).toFixed(1)} s (${r.completed} forms completed)`;
    return {
      core: { answersPerSecond, answersPerCommit: BATCH, oneCommitEachPerSecond: rate(alone) },
      figures: [
        figure({
          id: "core.answers_per_second",
          section: "through the core",
          name: `answers a second, one thread, database file, ${BATCH} to a commit`,
          value: answersPerSecond,
          unit: "answers/s",
          note: `${of(batched)}; decide + apply + follow-ups, one savepoint each, ${BATCH} answers to a transaction as the intake commits a getUpdates answer`,
          baselines: [
            { name: "the same core on an in-memory database (no fsync)", value: rate(memory), unit: "answers/s" },
            { name: "one commit per answer (below)", value: rate(alone), unit: "answers/s" },
          ],
          target: { text: "≥ 2,000 answers/s", pass: answersPerSecond >= 2000 },
        }),
        figure({
          id: "core.answers_per_second.one_commit_each",
          section: "through the core",
          name: "the same, one commit per answer (for reference)",
          value: rate(alone),
          unit: "answers/s",
          note: `${of(alone)}; one transaction and one fsync per answer, as a lone update is stored`,
          baselines: [{ name: "raw SQLite commits a second (1 / median insert + commit)", value: 1000 / commit, unit: "answers/s" }],
        }),
      ],
    };
  } finally {
    tmp.remove();
  }
}
