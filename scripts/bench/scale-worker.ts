// One scale of the drafting benchmark, in its own process so that its peak RSS is its own:
//   node --import tsx scripts/bench/scale-worker.ts <areas>
// Seeds a unit tree of <areas> residential areas (10 per commune, 10 communes per district), every area
// with a year of completed monthly forms, runs each measure below and prints one JSON line: { areas, results }.
import { join } from "node:path";
import { ManualClock } from "../../src/core/clock.js";
import { createCore, type Core } from "../../src/app/create-core.js";
import { silentLogger } from "../../src/app/logger.js";
import { parsePeriodKey, type Period } from "../../src/core/periods.js";
import type { AnswerMap } from "../../src/core/types.js";
import { DEFAULT_PROMPTS } from "../../src/paths.js";
import { importUnits, type UnitRecord } from "../../src/store/units.js";
import { FULL_FORM_ANSWERS, Harness } from "../../test/support/harness.js";
import { median, quantile } from "./figures.js";
import { BENCH_START, FORM_ID, PERIOD_KEY, tempDir } from "./world.js";

export interface ScaleContext {
  core: Core;
  period: Period;
  areas: string[];
  communes: string[];
  districts: string[];
  province: string;
}

/** One measured quantity at one scale (a figure once the parent adds the baseline). */
export interface ScaleResult {
  id: string;
  name: string;
  value: number;
  unit: string;
  note?: string;
}

/** A measurement at one scale. Adding an aggregation benchmark = writing one of these and listing it in MEASURES. */
export type ScaleMeasure = (ctx: ScaleContext) => Promise<ScaleResult[]>;

/** Times `run` `samples` times over items spread evenly across `items` (cycling when there are fewer), after a warm-up. */
export async function timeEach(items: string[], samples: number, run: (item: string) => Promise<unknown>, warmUp = 10): Promise<number[]> {
  const step = Math.max(1, Math.floor(items.length / samples));
  const spread = items.filter((_, i) => i % step === 0);
  const at = (i: number) => spread[i % spread.length]!;
  for (let i = 0; i < warmUp; i++) await run(at(i));
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    await run(at(i));
    out.push(performance.now() - t0);
  }
  return out;
}

/** What exists today: one area's report draft (DocumentService.areaReport: reads, builds, renders the .docx). */
export const areaDraft: ScaleMeasure = async (ctx) => {
  const ms = await timeEach(ctx.areas, 50, (area) => ctx.core.documents.areaReport(area, FORM_ID, ctx.period));
  return [
    { id: "area_draft.median", name: "area draft .docx, median", value: median(ms), unit: "ms" },
    { id: "area_draft.p90", name: "area draft .docx, p90", value: quantile(ms, 0.9), unit: "ms" },
  ];
};

// Aggregation at scale: the summary drafts of a commune, a district and the whole tree, and one /tonghop
// update for the whole tree, timed from handle() to its reply in the outbox. Every area has a year of
// monthly data, so comparisons with the previous period and year-to-date targets have work to do.

export const communeDraft: ScaleMeasure = async (ctx) => {
  const ms = await timeEach(ctx.communes, 20, (c) => ctx.core.documents.summaryReport(c, FORM_ID, ctx.period));
  return [{ id: "commune_draft.median", name: "commune summary .docx (10 areas), median", value: median(ms), unit: "ms" }];
};

export const districtDraft: ScaleMeasure = async (ctx) => {
  const ms = await timeEach(ctx.districts, ctx.areas.length >= 1000 ? 5 : 10, (d) => ctx.core.documents.summaryReport(d, FORM_ID, ctx.period));
  return [{ id: "district_draft.median", name: `district summary .docx (${Math.min(100, ctx.areas.length)} areas), median`, value: median(ms), unit: "ms" }];
};

export const topDraft: ScaleMeasure = async (ctx) => {
  const ms = await timeEach([ctx.province], ctx.areas.length >= 10_000 ? 1 : 3, (p) => ctx.core.documents.summaryReport(p, FORM_ID, ctx.period), 1);
  return [{ id: "top_draft", name: `whole-tree summary .docx (${ctx.areas.length} areas)`, value: median(ms), unit: "ms" }];
};

let update = 0;
export const tonghop: ScaleMeasure = async (ctx) => {
  const { db, handler } = ctx.core;
  const now = new Date(BENCH_START).toISOString();
  db.prepare("INSERT OR IGNORE INTO chats (platform, chat_id, unit_code, linked_by, linked_at) VALUES ('telegram', '-1', ?, 'bench', ?)").run(ctx.province, now);
  db.prepare("INSERT INTO roles (platform, user_id, role, unit_code, granted_at) VALUES ('telegram', '9', 'officer', ?, ?)").run(ctx.province, now);
  const send = async () =>
    handler.handle({
      platform: "telegram",
      updateKey: `tonghop-${++update}`,
      chat: { id: "-1", type: "group" },
      from: { id: "9", name: "Quân" },
      messageId: String(update),
      body: { kind: "text", text: "/tonghop" },
    });
  const ms = await timeEach(["top"], ctx.areas.length >= 10_000 ? 3 : 10, send, 1);
  return [{ id: "tonghop.median", name: `/tonghop over ${ctx.areas.length} areas: update → reply queued, median`, value: median(ms), unit: "ms" }];
};

export const MEASURES: ScaleMeasure[] = [areaDraft, communeDraft, districtDraft, topDraft, tonghop];

/** The answers one full form stores, obtained by filling it through the real core once. */
async function oneFormAnswers(): Promise<AnswerMap> {
  const h = new Harness(BENCH_START);
  try {
    const who = { id: "1", name: "Tư" };
    h.link("-1", "25747");
    h.grant(who, "reporter", "25747-01");
    await h.say(who, "/baocao", { chatId: "-1" });
    for (const a of FULL_FORM_ANSWERS) await h.say(who, a, { chatId: "-1" });
    const values = h.answers("25747-01", PERIOD_KEY) as AnswerMap;
    if (Object.keys(values).length === 0) throw new Error("bench: the scripted form stored nothing");
    return values;
  } finally {
    h.close();
  }
}

function seed(core: Core, areas: number, values: AnswerMap): ScaleContext {
  const province = "S";
  const units: UnitRecord[] = [{ code: province, name: "Tỉnh Quy Mô", level: "province", parentCode: null }];
  const ctx: ScaleContext = { core, period: parsePeriodKey(PERIOD_KEY)!, areas: [], communes: [], districts: [], province };
  for (let a = 0; a < areas; a++) {
    const c = Math.floor(a / 10);
    const d = Math.floor(c / 10);
    const district = `S${String(d).padStart(3, "0")}`;
    const commune = `${district}-${String(c % 10).padStart(2, "0")}`;
    if (a % 100 === 0) {
      units.push({ code: district, name: `Huyện Quy Mô ${d + 1}`, level: "district", parentCode: province });
      ctx.districts.push(district);
    }
    if (a % 10 === 0) {
      units.push({ code: commune, name: `Xã Quy Mô ${c + 1}`, level: "commune", parentCode: district });
      ctx.communes.push(commune);
    }
    const area = `${commune}-${String(a % 10).padStart(2, "0")}`;
    units.push({ code: area, name: `Ấp Quy Mô ${a + 1}`, level: "area", parentCode: commune });
    ctx.areas.push(area);
  }
  importUnits(core.db, units);
  const at = new Date(BENCH_START).toISOString();
  const answer = core.db.prepare(
    "INSERT INTO answers (unit_code, form_id, period_key, field_id, value_json, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, 'telegram:1', ?)",
  );
  const submission = core.db.prepare(
    `INSERT INTO submissions (unit_code, form_id, period_key, status, started_at, completed_at, completed_by, version)
     VALUES (?, ?, ?, 'completed', ?, ?, 'telegram:1', 1)`,
  );
  // A year of monthly data: December of last year to this November.
  const months = ["2025-M12", ...Array.from({ length: 11 }, (_, i) => `2026-M${i + 1}`)];
  core.db.transaction(() => {
    for (const area of ctx.areas) {
      for (const month of months) {
        for (const [field, v] of Object.entries(values)) answer.run(area, FORM_ID, month, field, v === null ? null : JSON.stringify(v), at);
        submission.run(area, FORM_ID, month, at, at);
      }
    }
  })();
  return ctx;
}

async function main(): Promise<void> {
  const areas = Number(process.argv[2]);
  if (!Number.isInteger(areas) || areas < 1) throw new Error("usage: scale-worker.ts <areas>");
  const rssAtStartMB = process.memoryUsage().rss / 2 ** 20;
  const values = await oneFormAnswers();
  const tmp = tempDir(`scale-${areas}`);
  const core = createCore({ databasePath: join(tmp.dir, "bot.sqlite"), promptsDir: DEFAULT_PROMPTS, clock: new ManualClock(BENCH_START), log: silentLogger });
  try {
    const ctx = seed(core, areas, values);
    const results: ScaleResult[] = [];
    for (const measure of MEASURES) results.push(...(await measure(ctx)));
    // maxRSS is in kilobytes: the most this process ever held, seeding included.
    const peakMB = process.resourceUsage().maxRSS / 1024;
    process.stdout.write(`${JSON.stringify({ areas, rssAtStartMB, peakMB, results })}\n`);
  } finally {
    core.close();
    tmp.remove();
  }
}

await main();
