// The trees at scale: for each tree, one process seeds it (seed-worker.ts) and another measures it
// (scale-worker.ts), so the measured peak RSS is the bot's alone. Every step of a measure is time-boxed: the
// parent kills the measuring process when a measure runs over its limit, records the time reached as a lower
// bound ("> 60 s") and starts a new process for the measures left. Peak RSS is the highest the measuring
// processes reached (their own maxRSS, and /proc's VmHWM read by the parent up to a kill). The measuring process
// runs the compiled bot with the node options of `npm start`, as production does (compiled.ts).
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { compiledScript, productionNodeOptions } from "./compiled.js";
import { figure, type Figure } from "./figures.js";
import type { SeedManifest } from "./seed.js";
import type { ScaleMeasure } from "./scale-worker.js";
import type { TreeName, TreeSize } from "./trees.js";
import { tempDir } from "./world.js";

const SEED_WORKER = fileURLToPath(new URL("./seed-worker.ts", import.meta.url));
const SCALE_WORKER = fileURLToPath(new URL("./scale-worker.ts", import.meta.url));
const MEASURES: ScaleMeasure[] = ["tonghop", "communeDraft", "areaDraft", "treeDraft", "completion", "board", "boardCompletion"];

/** The figures a measure gives (what a killed measure leaves as lower bounds). */
const GIVES: Record<ScaleMeasure, string[]> = {
  tonghop: ["tonghopMs"],
  communeDraft: ["communeDraftMs"],
  areaDraft: ["areaDraftMs"],
  treeDraft: ["treeDraftMs", "maxLoopStallMs"],
  completion: ["completionMs"],
  board: ["boardPostMs"],
  boardCompletion: ["completionWithBoardMs"],
};

export interface TreeRun {
  name: TreeName;
  size: TreeSize;
  manifest: SeedManifest;
  /** Figures by name (see scale-worker.ts): medians in ms, run counts, bytes. */
  values: Record<string, number>;
  /** Figures that are lower bounds or missing, with why ("stopped after 60 s", "out of memory"). */
  bounds: Record<string, string>;
  peakRssMb: number;
  /** RSS of a measuring process once the database is open and before any measure. */
  startRssMb: number;
  /** Wall time of the measuring processes. */
  measureSeconds: number;
}

function nodeArgs(script: string, args: string[]): string[] {
  return ["--import", "tsx", script, ...args];
}

/** The measures' script bundled for dist/ (built once per bench run). */
let measuring: Promise<string> | undefined;

function seed(name: TreeName, size: TreeSize, path: string): Promise<SeedManifest> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs(SEED_WORKER, [name, size, path]), { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      const line = out.trim().split("\n").pop() ?? "";
      if (code !== 0 || !line.startsWith("{")) reject(new Error(`bench: seeding ${name} failed (${code}): ${err.slice(-2000)}`));
      else resolve(JSON.parse(line) as SeedManifest);
    });
  });
}

/** The kernel's high-water mark of a process's RSS, in MB (Linux); 0 where /proc does not say. */
function vmHwmMb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

interface WorkerEnd {
  /** Measures finished, in order. */
  finished: ScaleMeasure[];
  /** The measure that was running when the process was stopped or died, and why. */
  stopped?: { measure: ScaleMeasure; reason: string; elapsedMs: number; stallMs: number };
}

function measureOnce(
  script: string,
  path: string,
  manifestPath: string,
  size: TreeSize,
  measures: ScaleMeasure[],
  limitMs: number,
  run: TreeRun,
): Promise<WorkerEnd> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...productionNodeOptions(), script, path, manifestPath, size, measures.join(",")], { stdio: ["ignore", "pipe", "pipe"] });
    const finished: ScaleMeasure[] = [];
    let current: { measure: ScaleMeasure; startedAt: number; lastBeat: number; stallMs: number } | undefined;
    let killedFor: string | undefined;
    let err = "";
    let buffer = "";
    let peak = 0;
    const poll = setInterval(() => {
      peak = Math.max(peak, vmHwmMb(child.pid ?? 0));
      if (current && performance.now() - current.startedAt > limitMs && !killedFor) {
        killedFor = `stopped after ${(limitMs / 1000).toFixed(0)} s`;
        peak = Math.max(peak, vmHwmMb(child.pid ?? 0));
        child.kill("SIGKILL");
      }
    }, 100);
    child.stderr.on("data", (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    child.stdout.on("data", (d: Buffer) => {
      buffer += d.toString();
      let nl: number;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (!line.startsWith("{")) continue;
        const e = JSON.parse(line) as { event: string; measure?: ScaleMeasure; values?: Record<string, number>; maxRssMb?: number; rssMb?: number; stallMs?: number };
        const now = performance.now();
        if (e.event === "ready" && e.rssMb !== undefined) run.startRssMb = run.startRssMb ? Math.min(run.startRssMb, e.rssMb) : e.rssMb;
        if (e.event === "start" && e.measure) current = { measure: e.measure, startedAt: now, lastBeat: now, stallMs: 0 };
        if (e.event === "beat" && current) {
          current.lastBeat = now;
          current.stallMs = e.stallMs ?? 0;
        }
        if (e.event === "result" && e.measure) {
          Object.assign(run.values, e.values);
          finished.push(e.measure);
          current = undefined;
        }
        if (e.maxRssMb !== undefined) peak = Math.max(peak, e.maxRssMb);
      }
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      clearInterval(poll);
      run.peakRssMb = Math.max(run.peakRssMb, peak);
      if (!current) {
        if (code === 0 && finished.length === measures.length) resolve({ finished });
        else reject(new Error(`bench: measuring ${run.name} failed (${code ?? signal}) between measures: ${err}`));
        return;
      }
      const now = performance.now();
      const elapsedMs = now - current.startedAt;
      // With no beat for a while, the loop has been stuck at least since the last one.
      const stallMs = Math.max(current.stallMs, now - current.lastBeat);
      const reason = killedFor ?? (/heap out of memory/i.test(err) ? "out of memory" : `failed (${code ?? signal}): ${err.trim().split("\n").slice(-3).join(" ")}`);
      resolve({ finished, stopped: { measure: current.measure, reason, elapsedMs, stallMs } });
    });
  });
}

/** Seeds and measures one tree; `limitMs` is the hard limit of one measure. */
export async function measureTree(name: TreeName, size: TreeSize, limitMs: number, log: (s: string) => void): Promise<TreeRun> {
  const tmp = tempDir(`scale-${name}`);
  try {
    const path = join(tmp.dir, "bench.sqlite");
    const manifest = await seed(name, size, path);
    log(`seeded ${manifest.areas.toLocaleString("en-US")} areas in ${manifest.seconds.toFixed(1)} s`);
    const manifestPath = join(tmp.dir, "manifest.json");
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const run: TreeRun = { name, size, manifest, values: {}, bounds: {}, peakRssMb: 0, startRssMb: 0, measureSeconds: 0 };
    const script = await (measuring ??= compiledScript(SCALE_WORKER));
    const started = performance.now();
    let left = [...MEASURES];
    while (left.length > 0) {
      const end = await measureOnce(script, path, manifestPath, size, left, limitMs, run);
      left = left.filter((m) => !end.finished.includes(m));
      if (!end.stopped) break;
      const { measure, reason, elapsedMs, stallMs } = end.stopped;
      // The measure that ran over gives lower bounds: it took at least that long, and (the whole-tree draft)
      // the event loop was stuck at least as long as the beats had stopped.
      for (const f of GIVES[measure]) {
        run.values[f] = Math.max(run.values[f] ?? 0, f === "maxLoopStallMs" ? stallMs : elapsedMs);
        run.bounds[f] = reason;
      }
      log(`${measure}: ${reason}`);
      left = left.filter((m) => m !== measure);
    }
    run.measureSeconds = (performance.now() - started) / 1000;
    // A stopped measure never reached its own peak: the highest RSS seen is then only a lower bound.
    if (Object.keys(run.bounds).length > 0) run.bounds.peakRssMb = "measures were stopped: at least this";
    return run;
  } finally {
    tmp.remove();
  }
}

/** The targets of issue 12, by tree: a figure's limit and how it is said. Three-tier (3,000 areas, like the
 * province) is held to the province's. */
const LIMITS: Record<TreeName, Partial<Record<string, number>>> = {
  province: { tonghopMs: 50, communeDraftMs: 100, treeDraftMs: 300 },
  "three-tier": { tonghopMs: 50, communeDraftMs: 100, treeDraftMs: 300 },
  country: { tonghopMs: 200, treeDraftMs: 2_000, maxLoopStallMs: 50, peakRssMb: 300, completionWithBoardMs: 10 },
};

/** The names other tools read from the JSON, one entry per tree. */
export const SCALE_KEYS = ["tonghopMs", "communeDraftMs", "treeDraftMs", "completionWithBoardMs", "maxLoopStallMs", "peakRssMb"] as const;

/** A tree's figures in the JSON: the names above (null when a figure could not be measured at all), and more. */
export function scaleJson(run: TreeRun): Record<string, unknown> {
  const v = (k: string) => (k === "peakRssMb" ? run.peakRssMb : (run.values[k] ?? null));
  return {
    name: run.name,
    areas: run.manifest.areas,
    ...Object.fromEntries(SCALE_KEYS.map((k) => [k, v(k)])),
    communes: run.manifest.communes,
    areaDraftMs: v("areaDraftMs"),
    completionMs: v("completionMs"),
    boardPostMs: v("boardPostMs"),
    startRssMb: run.startRssMb,
    lowerBounds: run.bounds,
    runs: Object.fromEntries(Object.entries(run.values).filter(([k]) => k.endsWith("Runs"))),
    seed: { seconds: run.manifest.seconds, bytes: run.manifest.bytes, rows: run.manifest.rows },
    measureSeconds: run.measureSeconds,
  };
}

const thousands = (n: number) => n.toLocaleString("en-US");

/** The table's rows for one tree, each figure next to its baseline and (where the issue sets one) its target. */
export function treeFigures(run: TreeRun): Figure[] {
  const section = `${run.name} (${thousands(run.manifest.areas)} areas)`;
  const limits = LIMITS[run.name];
  const value = (k: string) => (k === "peakRssMb" ? run.peakRssMb : run.values[k]);
  const make = (key: string, name: string, unit: string, baselines: Array<{ name: string; value: number | undefined; unit: string }>, note?: string): Figure[] => {
    const v = value(key);
    const limit = limits[key];
    const bound = run.bounds[key];
    return [
      figure({
        id: `scale.${run.name}.${key}`,
        section,
        name,
        value: v ?? Number.NaN,
        unit,
        ...(note ? { note } : {}),
        baselines: baselines.filter((b): b is { name: string; value: number; unit: string } => b.value !== undefined),
        ...(limit !== undefined ? { target: { text: `< ${thousands(limit)} ${unit}`, pass: v !== undefined && !bound && v < limit } } : {}),
        ...(bound ? { bound } : {}),
      }),
    ];
  };
  const m = run.manifest;
  return [
    figure({
      id: `scale.${run.name}.seed`,
      section,
      name: "seeding (not the bot: bulk insert, own process)",
      value: m.seconds,
      unit: "s",
      note: `${thousands(m.communes)} communes, ${thousands(m.rows.answers ?? 0)} answers, ${thousands(m.rows.submissions ?? 0)} submissions, ${(m.bytes / 2 ** 20).toFixed(0)} MB`,
      baselines: [],
    }),
    ...make("tonghopMs", "/tonghop at the root: update → reply queued", "ms", [], "the officer's command in the root's group, with the root's yearly targets"),
    ...make("communeDraftMs", "commune summary draft (.docx with chart)", "ms", [{ name: "one area's draft", value: value("areaDraftMs"), unit: "ms" }]),
    ...make("treeDraftMs", "whole-tree summary draft (.docx with chart)", "ms", []),
    ...make("maxLoopStallMs", "longest event-loop stall while it is built", "ms", [{ name: "the draft's own time", value: value("treeDraftMs"), unit: "ms" }]),
    ...make("boardPostMs", "/tiendo at the root: the board posted", "ms", []),
    ...make("completionWithBoardMs", "one area's completion, root board open", "ms", [{ name: "the same with no board open", value: value("completionMs"), unit: "ms" }]),
    ...make("peakRssMb", "peak RSS of the measuring process", "MB", [{ name: "the process with the database open", value: run.startRssMb, unit: "MB" }]),
  ];
}

/** "From 3,000 to 100,000 areas every figure grows at most linearly": country against province, figure by figure. */
export function growthFigures(province: TreeRun, country: TreeRun): Figure[] {
  const areas = country.manifest.areas / province.manifest.areas;
  return SCALE_KEYS.map((k) => {
    const get = (r: TreeRun) => (k === "peakRssMb" ? r.peakRssMb : r.values[k]);
    const [p, c] = [get(province), get(country)];
    // A lower bound in the province leaves the growth unknown.
    const growth = p !== undefined && c !== undefined && p > 0 && !province.bounds[k] ? c / p : Number.NaN;
    // A lower bound in the country makes the growth one too.
    const bound = province.bounds[k] ? `province figure is a lower bound (${province.bounds[k]})` : country.bounds[k] ? `country figure is a lower bound` : undefined;
    return figure({
      id: `scale.growth.${k}`,
      section: `growth, ${thousands(province.manifest.areas)} → ${thousands(country.manifest.areas)} areas`,
      name: k,
      value: growth,
      unit: "×",
      baselines: [{ name: "the areas grew", value: areas, unit: "×" }],
      target: { text: `≤ ×${areas.toFixed(1)} (linear)`, pass: Number.isFinite(growth) && !bound && growth <= areas },
      ...(bound ? { bound } : {}),
    });
  });
}
