// npm run bench [-- --json <file>] [--only <section,...>] [--quick]
//
// Runs the real bot pipeline in this process against the local Bot API stand-in on 127.0.0.1
// (test/support/fake-telegram.ts) and prints one table: each figure with its unit and the baseline(s)
// measured in the same run. With --json, the same figures go to <file> as one JSON object.
// Sections (see docs/performance.md for what each figure means):
//   latency     per-update cost, against a bare grammY echo bot and one raw SQLite insert+commit
//   throughput  updates/s with 30 reporters in one group and with 1,000 groups; group noise; storage
//   finish      time to finish a group under Telegram's 20 messages/minute, on a simulated clock
//   scale       drafting (and, soon, /tonghop aggregation) at 10/100/1,000/10,000 units, peak RSS
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { machine, table, type Figure } from "./bench/figures.js";
import { measureLatency } from "./bench/latency.js";
import { measureThroughput } from "./bench/throughput.js";
import { measureFinish } from "./bench/finish.js";
import { measureScale } from "./bench/scale.js";

const SECTIONS = ["latency", "throughput", "finish", "scale"] as const;
type Section = (typeof SECTIONS)[number];

const { values } = parseArgs({
  options: {
    json: { type: "string" },
    only: { type: "string" },
    quick: { type: "boolean", default: false },
  },
});
const only = new Set((values.only ?? SECTIONS.join(",")).split(",").map((s) => s.trim()));
for (const s of only) if (!SECTIONS.includes(s as Section)) throw new Error(`unknown section "${s}" (${SECTIONS.join(", ")})`);
const quick = values.quick ?? false;

const started = Date.now();
const figures: Figure[] = [];
const run = async (name: Section, measure: () => Promise<Figure[]>) => {
  if (!only.has(name)) return;
  const t = Date.now();
  process.stderr.write(`bench: ${name}…`);
  figures.push(...(await measure()));
  process.stderr.write(` ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
};

await run("latency", () => measureLatency(quick ? { samples: 100, warmup: 20 } : { samples: 500, warmup: 50 }));
await run("throughput", () => measureThroughput(quick ? { oneGroupReporters: 30, manyGroups: 100 } : { oneGroupReporters: 30, manyGroups: 1_000 }));
await run("finish", () => measureFinish({ reporters: 30 }));
await run("scale", () => measureScale(quick ? [10, 100, 1_000] : [10, 100, 1_000, 10_000]));

const m = machine();
process.stdout.write(`\n${m.cpus} × ${m.cpuModel}, ${m.memoryMB} MB, Node ${m.node}, ${m.platform}\n\n${table(figures)}\n`);
const result = { machine: m, startedAt: new Date(started).toISOString(), durationS: (Date.now() - started) / 1000, quick, figures };
if (values.json) {
  writeFileSync(values.json, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`\nJSON: ${values.json}\n`);
}
