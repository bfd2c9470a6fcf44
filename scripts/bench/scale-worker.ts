// The measures of one seeded tree, in a process of its own so that its peak RSS is the bot's alone (the
// seeder ran in another process). The bench runs it bundled for the compiled bot (compiled.ts), as
//   node <bundle> <database> <manifest.json> <full|quick|tiny> [measure,…]
// (`node --import tsx scripts/bench/scale-worker.ts …` runs the same measures on the sources). It opens the
// database exactly as the bot does (createCore) and runs the measures in order, printing one JSON line as each
// starts and ends, so the parent can time-box a measure, kill this process when it runs over, and start another
// for the measures left:
//   {"event":"start","measure":"tonghop"}
//   {"event":"result","measure":"tonghop","values":{"tonghopMs":…},"maxRssMb":…}
//   {"event":"beat","stallMs":…}   (every 100 ms of free event loop while the whole-tree draft is built)
import { readFileSync } from "node:fs";
import { ManualClock } from "../../src/core/clock.js";
import type { InboundEvent } from "../../src/core/events.js";
import { parsePeriodKey, periodKey, previousPeriod } from "../../src/core/periods.js";
import { createCore } from "../../src/app/create-core.js";
import { silentLogger } from "../../src/app/logger.js";
import { boardPurpose as progressBoardPurpose } from "../../src/core/conversation/progress-text.js";
import { DEFAULT_PROMPTS } from "../../src/paths.js";
import { FULL_FORM_ANSWERS, RecordingTransport } from "../../test/support/harness.js";
import { median } from "./figures.js";
import { repeat, type RepeatOptions } from "./repeat.js";
import { measureStalls } from "./stall.js";
import type { Completer, SeedManifest } from "./seed.js";
import { BENCH_START, FORM_ID } from "./world.js";

export const SCALE_MEASURES = ["tonghop", "communeDraft", "areaDraft", "treeDraft", "completion", "board", "boardCompletion"] as const;
export type ScaleMeasure = (typeof SCALE_MEASURES)[number];

const [path, manifestPath, size, list] = process.argv.slice(2);
if (!path || !manifestPath || !["full", "quick", "tiny"].includes(size ?? "")) {
  throw new Error("usage: scale-worker.ts <database> <manifest.json> <full|quick|tiny> [measure,…]");
}
const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as SeedManifest;
const measures = (list ? list.split(",") : [...SCALE_MEASURES]) as ScaleMeasure[];
/** How long a measure may repeat itself (a single run may take longer: the parent's hard limit bounds that). */
const BUDGET_MS = size === "full" ? 6_000 : size === "quick" ? 2_000 : 300;

const emit = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);
const maxRssMb = () => process.resourceUsage().maxRSS / 1024;

const clock = new ManualClock(BENCH_START);
const core = createCore({ databasePath: path, promptsDir: DEFAULT_PROMPTS, clock, log: silentLogger });
// Replies are delivered only when a measure needs the message on record (the progress board): by hand, to a
// recording transport, like the in-process test harness does.
const transport = new RecordingTransport(core.prompts.messages);
const drainer = core.startOutbox([transport], { sleep: async () => {} });
await drainer.stop();
const period = parsePeriodKey(manifest.period)!;
let updates = 0;
emit({ event: "ready", rssMb: process.memoryUsage().rss / 2 ** 20 });

function handle(chat: string, from: { id: string; name: string }, text: string, reply = false) {
  const ev: InboundEvent = {
    platform: "telegram",
    updateKey: `bench-${process.pid}-${++updates}`,
    chat: { id: chat, type: "group" },
    from,
    messageId: `m${updates}`,
    ...(reply ? { replyTo: { messageId: "question", fromBot: true } } : {}),
    body: { kind: "text", text },
  };
  return core.handler.handle(ev);
}

const officer = { id: manifest.officer.id, name: manifest.officer.name };
// The board of the one report kind the bench seeds (a board names the reports it shows).
const boardPurpose = progressBoardPurpose(manifest.root, [{ form: FORM_ID, period: manifest.period }]);
const opts = (max: number): RepeatOptions => ({ max, budgetMs: BUDGET_MS });
const runs = (ms: number[]) => ms.length;

/** Replies queued so far are taken as delivered without sending them (their drafts are other measures). */
function forgetQueued(): void {
  core.db.prepare("UPDATE outbox SET status = 'sent', sent_at = ? WHERE status = 'pending'").run(clock.now().getTime());
}

/** A leader fills the open month's form; the last answer (the completion) is timed on its own. */
function complete(c: Completer): number {
  const who = { id: c.userId, name: c.name };
  const start = handle(c.chatId, who, "/baocao thang");
  if (!start.effects.some((e) => e.type === "reply")) throw new Error(`bench: /baocao for ${c.area} got no reply`);
  for (const a of FULL_FORM_ANSWERS.slice(0, -1)) handle(c.chatId, who, a, true);
  const t0 = performance.now();
  const last = handle(c.chatId, who, FULL_FORM_ANSWERS.at(-1)!, true);
  const ms = performance.now() - t0;
  if (!last.effects.some((e) => e.type === "submission" && e.status === "completed")) {
    throw new Error(`bench: the scripted form did not complete for ${c.area}`);
  }
  return ms;
}

const MEASURE: Record<ScaleMeasure, () => Promise<Record<string, number>>> = {
  /** /tonghop in the root's group: update → reply queued, through the real EventHandler. */
  async tonghop() {
    const ms = await repeat(opts(10), () => {
      const r = handle(manifest.rootChat, officer, "/tonghop thang");
      if (!r.effects.some((e) => e.type === "reply" && e.out.document?.kind === "summary_report")) throw new Error("bench: /tonghop sent no summary");
    });
    forgetQueued();
    return { tonghopMs: median(ms), tonghopRuns: runs(ms) };
  },
  /** A commune's summary draft (.docx with its chart), as the outbox renders it on delivery. */
  async communeDraft() {
    const ms = await repeat(opts(20), (i) =>
      core.documents.render({ kind: "summary_report", report: { unit: manifest.sampleCommunes[i % manifest.sampleCommunes.length]!, form: FORM_ID, period: manifest.period } }),
    );
    return { communeDraftMs: median(ms), communeDraftRuns: runs(ms) };
  },
  /** One area's report draft: the same whatever the size of the tree. */
  async areaDraft() {
    const areas = manifest.completers.map((c) => c.area);
    // Last month, which every completer submitted.
    const previous = periodKey(previousPeriod(period));
    const ms = await repeat(opts(20), (i) => core.documents.render({ kind: "area_report", report: { unit: areas[i % areas.length]!, form: FORM_ID, period: previous }, version: 1 }));
    return { areaDraftMs: median(ms), areaDraftRuns: runs(ms) };
  },
  /**
   * The whole tree's summary draft, with the event loop's longest stall while it is built. The runs alternate
   * between the open month and the last one (both seeded) so that each draws its chart pictures afresh: the
   * chart service keeps the last pictures it drew, which a repeat of the same draft would only reuse.
   */
  async treeDraft() {
    let stall = 0;
    let bytes = 0;
    const periods = [manifest.period, periodKey(previousPeriod(period))];
    const ms = await repeat(opts(5), async (i) => {
      const stop = measureStalls((longest) => emit({ event: "beat", stallMs: Math.max(stall, longest) }));
      const file = await core.documents.render({ kind: "summary_report", report: { unit: manifest.root, form: FORM_ID, period: periods[i % 2]! } });
      stall = Math.max(stall, stop());
      bytes = file.bytes.length;
    });
    return { treeDraftMs: median(ms), maxLoopStallMs: stall, treeDraftRuns: runs(ms), treeDraftBytes: bytes };
  },
  /** One area's completion (its last answer), with no progress board open anywhere: the baseline. */
  async completion() {
    const half = manifest.completers.slice(0, Math.ceil(manifest.completers.length / 2));
    const ms: number[] = [];
    // Every run counts (each completes another area): the first one after it, then as many as fit.
    await repeat(opts(half.length - 1), (i) => ms.push(complete(half[i]!)));
    forgetQueued();
    return { completionMs: median(ms), completionRuns: ms.length };
  },
  /** /tiendo in the root's group; the board is delivered, so it is on record for the completions after it. */
  async board() {
    const t0 = performance.now();
    const r = handle(manifest.rootChat, officer, "/tiendo thang");
    const boardPostMs = performance.now() - t0;
    if (!r.effects.some((e) => e.type === "reply" && e.out.purpose === boardPurpose)) throw new Error("bench: /tiendo posted no board");
    await drainer.pass();
    if (!transport.sent.some((s) => s.purpose === boardPurpose)) throw new Error("bench: the board was not delivered");
    return { boardPostMs };
  },
  /** One area's completion with the root's board open: the board is rebuilt in the completion's transaction. */
  async boardCompletion() {
    // When /tiendo itself ran over its time (the process was stopped), the board it would have left is put on
    // record by hand, as the outbox records a delivered message: the completion's cost is the same.
    if (!core.db.prepare("SELECT 1 FROM bot_messages WHERE purpose = ?").get(boardPurpose)) {
      core.db
        .prepare("INSERT INTO bot_messages (platform, chat_id, message_id, owner_user_id, purpose, created_at) VALUES ('telegram', ?, 'board', NULL, ?, ?)")
        .run(manifest.rootChat, boardPurpose, clock.now().getTime());
    }
    const rest = manifest.completers.slice(Math.ceil(manifest.completers.length / 2));
    const ms: number[] = [];
    await repeat(opts(rest.length - 1), (i) => ms.push(complete(rest[i]!)));
    // Every completion queued an edit of the board (each one supersedes, and drops, the one queued before it).
    const edits = core.db
      .prepare("SELECT count(*) AS n FROM outbox WHERE status IN ('pending','dropped') AND json_extract(payload_json, '$.purpose') = ? AND json_extract(payload_json, '$.editOf') IS NOT NULL")
      .get(boardPurpose) as { n: number };
    if (edits.n < ms.length) throw new Error("bench: a completion did not edit the board");
    return { completionWithBoardMs: median(ms), completionWithBoardRuns: ms.length };
  },
};

/** Fonts, templates and the JIT warmed on one commune, so no measure's first run pays for them. */
async function warmUp(): Promise<void> {
  const commune = manifest.completers[0]!.commune;
  handle(manifest.completers[0]!.chatId, officer, "/tonghop thang");
  forgetQueued();
  await core.documents.render({ kind: "summary_report", report: { unit: commune, form: FORM_ID, period: manifest.period } });
  await core.documents.render({ kind: "area_report", report: { unit: manifest.completers[0]!.area, form: FORM_ID, period: periodKey(previousPeriod(period)) }, version: 1 });
}

try {
  await warmUp();
  emit({ event: "warm", rssMb: process.memoryUsage().rss / 2 ** 20 });
  for (const m of measures) {
    emit({ event: "start", measure: m });
    const values = await MEASURE[m]();
    emit({ event: "result", measure: m, values, maxRssMb: maxRssMb() });
  }
  emit({ event: "done", maxRssMb: maxRssMb() });
} finally {
  core.close();
}
