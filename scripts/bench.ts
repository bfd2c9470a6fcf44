// npm run bench [-- --json <file>] [--only <section,...>] [--trees <tree,...>] [--quick | --tiny]
//
// Runs the real bot pipeline against the local Bot API stand-in on 127.0.0.1 (test/support/fake-telegram.ts)
// and prints one table: each figure with its unit, the floor(s) measured in the same run, and the target it
// is judged by (PASS/FAIL). With --json, the same figures go to <file> as one JSON object whose names other
// tools rely on: update.{medianMs,floorMs,ratio}, core.answersPerSecond, endToEnd.updatesPerSecond and
// scale[] (one entry per tree). Sections (docs/performance.md says what each figure means):
//   latency     per-update cost against the floors: echo (awaits its sends), echo + one commit, a raw commit
//   core        answers a second through the core on one thread (no HTTP), twenty to a commit as under load
//   throughput  30 reporters at once in one group; bot messages per form (group noise)
//   end-to-end  1,000 groups at once with the per-group limits on; database bytes per 1,000 forms
//   finish      time to finish a group under Telegram's 20 messages a minute, on a simulated clock
//   scale       the province, country and three-tier trees: /tonghop, drafts, the event loop, boards, RSS
// --quick is a smoke run on small trees (about a minute); --tiny is the test's run (seconds).
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { measureCore } from "./bench/core.js";
import { measureEndToEnd } from "./bench/end-to-end.js";
import { machine, table, targetsOf, type Figure } from "./bench/figures.js";
import { measureFinish } from "./bench/finish.js";
import { measureLatency } from "./bench/latency.js";
import { growthFigures, measureTree, scaleJson, treeFigures, type TreeRun } from "./bench/scale.js";
import { measureThroughput } from "./bench/throughput.js";
import { TREE_NAMES, type TreeName, type TreeSize } from "./bench/trees.js";

const SECTIONS = ["latency", "core", "throughput", "end-to-end", "finish", "scale"] as const;
type Section = (typeof SECTIONS)[number];

const { values } = parseArgs({
  options: {
    json: { type: "string" },
    only: { type: "string" },
    trees: { type: "string" },
    quick: { type: "boolean", default: false },
    tiny: { type: "boolean", default: false },
  },
});
const list = <T extends string>(text: string | undefined, all: readonly T[], what: string): Set<T> => {
  const chosen = new Set((text ?? all.join(",")).split(",").map((s) => s.trim()) as T[]);
  for (const s of chosen) if (!all.includes(s)) throw new Error(`unknown ${what} "${s}" (${all.join(", ")})`);
  return chosen;
};
const only = list<Section>(values.only, SECTIONS, "section");
const trees = list<TreeName>(values.trees, TREE_NAMES, "tree");
const size: TreeSize = values.tiny ? "tiny" : values.quick ? "quick" : "full";

/** How big each section runs in each mode. */
const PLAN = {
  full: { latency: { samples: 500, warmup: 50 }, core: { groups: 200, reportersPerGroup: 5, budgetMs: 8_000 }, reporters: 30, groups: 1_000, e2eLimitMs: 120_000 },
  quick: { latency: { samples: 100, warmup: 20 }, core: { groups: 50, reportersPerGroup: 4, budgetMs: 3_000 }, reporters: 30, groups: 100, e2eLimitMs: 30_000 },
  tiny: { latency: { samples: 10, warmup: 3 }, core: { groups: 3, reportersPerGroup: 2, budgetMs: 1_000 }, reporters: 3, groups: 5, e2eLimitMs: 20_000 },
}[size];
/** The hard limit of one scale measure (a slower one is stopped and reported as a lower bound). */
const scaleLimitMs = (tree: TreeName) => (size === "full" ? (tree === "country" ? 45_000 : 30_000) : 20_000);

const started = Date.now();
const figures: Figure[] = [];
const json: Record<string, unknown> = {};
const log = (s: string) => process.stderr.write(`bench: ${s}\n`);
const run = async (name: Section, measure: () => Promise<Figure[]>) => {
  if (!only.has(name)) return;
  const t = Date.now();
  log(`${name}…`);
  figures.push(...(await measure()));
  log(`${name} done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
};

await run("latency", async () => {
  const r = await measureLatency(PLAN.latency);
  json.update = r.update;
  return r.figures;
});
await run("core", async () => {
  const r = await measureCore(PLAN.core);
  json.core = r.core;
  return r.figures;
});
await run("throughput", () => measureThroughput({ oneGroupReporters: PLAN.reporters }));
await run("end-to-end", async () => {
  const r = await measureEndToEnd({ groups: PLAN.groups, limitMs: PLAN.e2eLimitMs });
  json.endToEnd = r.endToEnd;
  return r.figures;
});
await run("finish", () => measureFinish({ reporters: PLAN.reporters }));
await run("scale", async () => {
  const runs: TreeRun[] = [];
  for (const tree of TREE_NAMES.filter((t) => trees.has(t))) {
    const r = await measureTree(tree, size, scaleLimitMs(tree), (s) => log(`scale ${tree}: ${s}`));
    runs.push(r);
  }
  json.scale = runs.map(scaleJson);
  const out = runs.flatMap(treeFigures);
  const province = runs.find((r) => r.name === "province");
  const country = runs.find((r) => r.name === "country");
  if (province && country) out.push(...growthFigures(province, country));
  return out;
});

const m = machine();
const passed = figures.filter((f) => f.target?.pass).length;
const judged = figures.filter((f) => f.target).length;
process.stdout.write(`\n${m.cpus} × ${m.cpuModel}, ${m.memoryMB} MB, Node ${m.node}, ${m.platform}\n\n${table(figures)}\n\n`);
process.stdout.write(`Targets met: ${passed} of ${judged}. The whole run took ${((Date.now() - started) / 1000).toFixed(0)} s.\n`);
if (values.json) {
  const result = {
    machine: m,
    startedAt: new Date(started).toISOString(),
    durationS: (Date.now() - started) / 1000,
    mode: size,
    ...json,
    targets: targetsOf(figures),
    figures,
  };
  writeFileSync(values.json, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`JSON: ${values.json}\n`);
}
