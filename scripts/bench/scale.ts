// Aggregation and drafting at scale: one child process per scale (10, 100, 1,000, 10,000 areas) runs the
// measures of scale-worker.ts on a freshly seeded database and reports its peak RSS. Each result is
// compared with the same result at the smallest scale (does it grow with the size of the database?); the
// peak RSS with the worker's RSS at start (the process floor).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { figure, type Figure } from "./figures.js";
import type { ScaleResult } from "./scale-worker.js";

const SECTION = "aggregation and drafting at scale";
const WORKER = fileURLToPath(new URL("./scale-worker.ts", import.meta.url));

interface WorkerOutput {
  areas: number;
  rssAtStartMB: number;
  peakMB: number;
  results: ScaleResult[];
}

function runWorker(areas: number): Promise<WorkerOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", WORKER, String(areas)], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      const line = out.trim().split("\n").pop() ?? "";
      if (code !== 0 || !line.startsWith("{")) reject(new Error(`bench: scale worker (${areas}) failed with ${code}: ${err.slice(-2000)}`));
      else resolve(JSON.parse(line) as WorkerOutput);
    });
  });
}

export async function measureScale(scales: number[]): Promise<Figure[]> {
  const runs: WorkerOutput[] = [];
  for (const n of scales) runs.push(await runWorker(n));
  const smallest = runs[0]!;
  const figures: Figure[] = [];
  for (const run of runs) {
    const units = run.areas.toLocaleString("en-US");
    for (const r of run.results) {
      const base = smallest.results.find((b) => b.id === r.id);
      figures.push(
        figure({
          id: `scale.${run.areas}.${r.id}`,
          section: SECTION,
          name: `${r.name} (${units} units)`,
          value: r.value,
          unit: r.unit,
          ...(r.note ? { note: r.note } : {}),
          baselines: base ? [{ name: `same at ${smallest.areas.toLocaleString("en-US")} units`, value: base.value, unit: base.unit }] : [],
        }),
      );
    }
    figures.push(
      figure({
        id: `scale.${run.areas}.peak_rss`,
        section: SECTION,
        name: `peak RSS, seeding + measures (${units} units)`,
        value: run.peakMB,
        unit: "MB",
        baselines: [{ name: "the worker process at start", value: run.rssAtStartMB, unit: "MB" }],
      }),
    );
  }
  return figures;
}
