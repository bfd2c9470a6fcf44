// Throughput in one group: 30 reporters fill the whole default form at once, each answering the moment the
// bot's reply to their last message arrives; updates per second = updates sent / (last reply received − first
// update sent). Telegram's rate limits are off at the stand-in and in the drainer: this measures the bot, not
// the limit (the limit is what `finish` measures; many groups under the limits is `end-to-end`). Baseline: the
// echo + one commit bot (it awaits its sends) under the same crowd. The same run gives the group noise.
import { join } from "node:path";
import { ManualClock } from "../../src/core/clock.js";
import { startFakeTelegram, type SentEntry } from "../../test/support/fake-telegram.js";
import { FULL_FORM_ANSWERS } from "../../test/support/harness.js";
import { startEchoBot, startRealBot } from "./bots.js";
import { Crowd, type CrowdResult } from "./crowd.js";
import { figure, type Figure } from "./figures.js";
import { COMMUNE, COMPLETION, OTHER, defaultFormDef, messagesPerForm, naiveMessages } from "./noise.js";
import { BENCH_START, FORM_ID, PERIOD_KEY, seedWorld, tempDir, type Group } from "./world.js";
import Database from "better-sqlite3";
import type { AnswerMap, Value } from "../../src/core/types.js";

export const FORM_SCRIPT = ["/baocao thang", ...FULL_FORM_ANSWERS];

export interface ThroughputOptions {
  oneGroupReporters: number;
}

interface RealRun {
  crowd: CrowdResult;
  groups: Group[];
  sent: SentEntry[];
  completed: number;
  /** The answers stored for the first reporter's form (every reporter gives the same). */
  oneForm: AnswerMap;
}

const perSecond = (r: CrowdResult) => r.updates / ((r.finishedAt - r.startedAt) / 1000);

/** `groups` groups of `areas` areas each, the first `reporters` of them reporting now. */
async function realRun(groups: number, areas: number, reporters: number): Promise<RealRun> {
  const tg = await startFakeTelegram({ privacyMode: true, rateLimits: false });
  const tmp = tempDir("throughput");
  const path = join(tmp.dir, "bot.sqlite");
  let seeded: Group[] = [];
  const bot = await startRealBot(tg, {
    databasePath: path,
    clock: new ManualClock(BENCH_START),
    seed: (db) => (seeded = seedWorld(db, { groups, areasPerGroup: areas, reportersPerGroup: reporters })),
  });
  try {
    const crowd = await new Crowd(tg, seeded, () => FORM_SCRIPT).run();
    await bot.stop();
    const db = new Database(path, { readonly: true });
    const completed = db
      .prepare<[string, string], { n: number }>("SELECT count(*) AS n FROM submissions WHERE form_id = ? AND period_key = ? AND status = 'completed'")
      .get(FORM_ID, PERIOD_KEY)!.n;
    const rows = db
      .prepare<[string, string, string], { field_id: string; value_json: string | null }>(
        "SELECT field_id, value_json FROM answers WHERE unit_code = ? AND form_id = ? AND period_key = ?",
      )
      .all(seeded[0]!.reporters[0]!.area, FORM_ID, PERIOD_KEY);
    const oneForm: AnswerMap = Object.fromEntries(rows.map((r) => [r.field_id, r.value_json === null ? null : (JSON.parse(r.value_json) as Value)]));
    db.close();
    return { crowd, groups: seeded, sent: [...tg.sent], completed, oneForm };
  } finally {
    await bot.stop();
    await tg.close();
    tmp.remove();
  }
}

async function echoRun(groups: number, reportersPerGroup: number): Promise<CrowdResult> {
  const tg = await startFakeTelegram({ privacyMode: true, rateLimits: false });
  const tmp = tempDir("throughput-floor");
  const bot = await startEchoBot(tg, { commitTo: join(tmp.dir, "echo.sqlite") });
  try {
    // The echo bot needs no database: the same people, groups and scripts, straight to the stand-in.
    const seeded: Group[] = Array.from({ length: groups }, (_, g) => ({
      chatId: -1_004_000_000_000 - g,
      commune: `E${g}`,
      reporters: Array.from({ length: reportersPerGroup }, (_, r) => ({ userId: 2_000_000 + g * 1_000 + r, firstName: `Echo ${r}`, area: "", areaName: "" })),
    }));
    return await new Crowd(tg, seeded, () => FORM_SCRIPT).run();
  } finally {
    await bot.stop();
    await tg.close();
    tmp.remove();
  }
}

export async function measureThroughput(opts: ThroughputOptions): Promise<Figure[]> {
  const form = defaultFormDef();
  // One commune whose 30 areas all report now (its commune summary goes out once, at the end).
  const one = await realRun(1, opts.oneGroupReporters, opts.oneGroupReporters);
  const oneEcho = await echoRun(1, opts.oneGroupReporters);
  if (one.completed !== opts.oneGroupReporters) throw new Error(`bench: ${one.completed}/${opts.oneGroupReporters} forms completed`);

  const figures: Figure[] = [
    figure({
      id: "throughput.one_group",
      section: "throughput",
      name: `${opts.oneGroupReporters} reporters at once in one group`,
      value: perSecond(one.crowd),
      unit: "updates/s",
      note: `${one.crowd.updates} updates, ${((one.crowd.finishedAt - one.crowd.startedAt) / 1000).toFixed(1)} s until the last draft arrived`,
      baselines: [{ name: "echo + one commit bot, same crowd", value: perSecond(oneEcho), unit: "updates/s" }],
    }),
  ];

  // Group noise, from the one-group run: the messages the bot put into the group, per completed form.
  const measured = messagesPerForm(form, one.sent, opts.oneGroupReporters);
  const naive = naiveMessages(form, one.oneForm);
  figures.push(
    figure({
      id: "noise.total",
      section: "group noise",
      name: "bot messages per completed form",
      value: measured.total,
      unit: "messages",
      note: "acknowledgement and next question travel in one message; the last answer's reply is the summary with the draft",
      baselines: [{ name: "naive: 1 question + 1 ack per field asked (+ report)", value: naive.total, unit: "messages" }],
    }),
  );
  for (const s of form.sections) {
    figures.push(
      figure({
        id: `noise.section.${s.id}`,
        section: "group noise",
        name: `  section “${s.short}”`,
        value: measured.bySection[s.id] ?? 0,
        unit: "messages",
        baselines: [{ name: "naive, same section", value: naive.bySection[s.id] ?? 0, unit: "messages" }],
      }),
    );
  }
  figures.push(
    figure({
      id: "noise.completion",
      section: "group noise",
      name: "  summary + area draft (.docx)",
      value: measured.bySection[COMPLETION] ?? 0,
      unit: "messages",
      baselines: [{ name: "naive, same", value: 1, unit: "messages" }],
    }),
  );
  if ((measured.bySection[OTHER] ?? 0) > 0) {
    figures.push(
      figure({
        id: "noise.other",
        section: "group noise",
        name: "  other (errors, refusals — expected 0)",
        value: measured.bySection[OTHER] ?? 0,
        unit: "messages",
        baselines: [{ name: "naive, same", value: 0, unit: "messages" }],
      }),
    );
  }
  figures.push(
    figure({
      id: "noise.commune",
      section: "group noise",
      name: `once per commune: its summary + draft (${opts.oneGroupReporters} areas)`,
      value: (measured.bySection[COMMUNE] ?? 0) * opts.oneGroupReporters,
      unit: "messages",
      note: "not counted in the per-form total",
      baselines: [{ name: "naive, same", value: 1, unit: "messages" }],
    }),
  );

  return figures;
}
