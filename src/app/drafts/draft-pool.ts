// Drafts, spreadsheets and chart pictures made in a worker thread (a pool of one: the machine has two cores,
// and the event loop keeps the other), so a national draft that takes seconds never stalls the groups answering
// meanwhile. The worker reads committed data through its own read-only connection (WAL), so a draft is still
// made on delivery from what is committed at that moment, and a retried delivery makes it again.
//
// Bounded: at most `maxQueue` jobs wait (more are refused with DraftsBusy, and the outbox tries again shortly),
// the worker's heap is capped at `memoryMb` (a job that needs more fails, and a fresh worker takes the next
// one) and its young generation kept small, and a job that runs past `jobTimeoutMs` is given up with its worker.
import { Worker } from "node:worker_threads";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Clock } from "../../core/clock.js";
import type { DocumentRef } from "../../core/events.js";
import { reportKeyOf, type ReportKey } from "../../core/report-key.js";
import type { ChartImage } from "../charts/chart-service.js";
import type { RenderedFile } from "../documents.js";
import type { Logger } from "../logger.js";
import { DraftsBusy, type DraftMaker } from "./draft-maker.js";
import type { DraftJob, DraftWorkerData, JobRequest, WorkerReply } from "./draft-protocol.js";

export interface DraftPoolOptions {
  databasePath: string;
  promptsDir: string;
  clock: Clock;
  log: Logger;
  /** What needs no drawing (the note said in place of a failed draft, a chart's input), done in this thread. */
  local: Pick<DraftMaker, "failureNote" | "charts">;
  /** Jobs that may wait behind the one being made (default 16). */
  maxQueue?: number;
  /** The worker's heap limit in MB (default 768). */
  memoryMb?: number;
  /** A job running longer is given up and its worker replaced (default 120 s). */
  jobTimeoutMs?: number;
  /** See DraftWorkerData.hold (tests). */
  hold?: SharedArrayBuffer;
}

/**
 * The worker's young generation, in MB. V8 lets it grow to 48 MB (two semi-spaces of 16 MB, and as much again for
 * large new objects), all of it resident once a few drafts have filled it; at a third of that the worker's
 * collections take about as long in all (measured over 40 commune drafts and 3 whole-tree ones), for about 15 MB
 * less RSS.
 */
const YOUNG_GENERATION_MB = 16;

/** What the pool tells an observer about each job (logs, tests). */
export type JobEvent = { id: number; op: DraftJob["op"]; phase: "started" } | { id: number; op: DraftJob["op"]; phase: "done" | "failed"; ms: number };

interface Pending {
  req: JobRequest;
  resolve: (r: WorkerReply) => void;
  reject: (e: Error) => void;
  startedAt?: number;
}

/**
 * The worker: compiled JavaScript next to this file, or — when this file is TypeScript (tests, the bench) — a
 * small module that registers tsx in the worker first (Node 20 ignores --import in a worker's execArgv).
 */
function workerSpec(): { script: string | URL; eval: boolean } {
  const here = import.meta.url;
  if (!here.endsWith(".ts")) return { script: new URL("./draft-worker.js", here), eval: false };
  const require = createRequire(here);
  const tsxDir = dirname(require.resolve("tsx/package.json"));
  const pkg = JSON.parse(readFileSync(join(tsxDir, "package.json"), "utf8")) as { exports: Record<string, { import: { default: string } }> };
  const api = pathToFileURL(join(tsxDir, pkg.exports["./esm/api"]!.import.default)).href;
  const entry = new URL("./draft-worker.ts", here).href;
  return { script: `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`, eval: true };
}

export class DraftPool implements DraftMaker {
  private worker?: Worker;
  private current?: Pending;
  private readonly waiting: Pending[] = [];
  private nextId = 1;
  private timer?: NodeJS.Timeout;
  private closed = false;
  private readonly observers = new Set<(e: JobEvent) => void>();
  readonly charts: DraftMaker["charts"];

  constructor(private readonly opts: DraftPoolOptions) {
    this.charts = {
      input: (report) => opts.local.charts.input(report),
      images: (report) => this.images({ op: "chart", report: reportKeyOf(report) }),
    };
  }

  /** Called for every job as it starts and ends. */
  observe(listener: (e: JobEvent) => void): () => void {
    this.observers.add(listener);
    return () => this.observers.delete(listener);
  }

  render(ref: DocumentRef): Promise<RenderedFile> {
    return this.file({ op: "render", ref });
  }

  areaReport(report: ReportKey): Promise<RenderedFile> {
    return this.file({ op: "area", report: reportKeyOf(report) });
  }

  summaryReport(report: ReportKey): Promise<RenderedFile> {
    return this.file({ op: "summary", report: reportKeyOf(report) });
  }

  exportSheet(report: ReportKey): Promise<RenderedFile> {
    return this.file({ op: "export", report: reportKeyOf(report) });
  }

  failureNote(ref: DocumentRef): string {
    return this.opts.local.failureNote(ref);
  }

  /** Stops the worker; jobs not done fail. */
  async close(): Promise<void> {
    this.closed = true;
    const gone = new Error("drafting stopped");
    for (const p of this.waiting.splice(0)) p.reject(gone);
    this.current?.reject(gone);
    this.current = undefined;
    clearTimeout(this.timer);
    const w = this.worker;
    this.worker = undefined;
    await w?.terminate();
  }

  private async file(job: DraftJob): Promise<RenderedFile> {
    const r = await this.submit(job);
    if (r.kind !== "file") throw new Error(`draft worker answered ${r.kind} to ${job.op}`);
    const b = r.file.bytes;
    return { filename: r.file.filename, displayName: r.file.displayName, bytes: Buffer.from(b.buffer, b.byteOffset, b.byteLength) };
  }

  private async images(job: DraftJob): Promise<ChartImage[]> {
    const r = await this.submit(job);
    if (r.kind !== "images") throw new Error(`draft worker answered ${r.kind} to ${job.op}`);
    return r.images.map((i) => ({ ...i, png: Buffer.from(i.png.buffer, i.png.byteOffset, i.png.byteLength) }));
  }

  private submit(job: DraftJob): Promise<WorkerReply> {
    if (this.closed) return Promise.reject(new Error("drafting stopped"));
    if (this.waiting.length >= (this.opts.maxQueue ?? 16)) return Promise.reject(new DraftsBusy(`${this.waiting.length} drafts already wait`));
    return new Promise<WorkerReply>((resolve, reject) => {
      this.waiting.push({ req: { id: this.nextId++, now: this.opts.clock.now().getTime(), job }, resolve, reject });
      this.next();
    });
  }

  private emit(e: JobEvent): void {
    for (const o of this.observers) o(e);
  }

  private spawn(): Worker {
    const spec = workerSpec();
    const data: DraftWorkerData = { databasePath: this.opts.databasePath, promptsDir: this.opts.promptsDir, hold: this.opts.hold };
    const worker = new Worker(spec.script, {
      eval: spec.eval,
      workerData: data,
      resourceLimits: { maxOldGenerationSizeMb: this.opts.memoryMb ?? 768, maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    // An idle worker does not keep the process alive.
    worker.unref();
    worker.on("message", (r: WorkerReply) => this.onReply(r));
    worker.on("error", (err: Error) => this.onWorkerLost(worker, err));
    worker.on("exit", (code) => this.onWorkerLost(worker, new Error(`draft worker exited with code ${code}`)));
    return worker;
  }

  private next(): void {
    if (this.current || this.closed) return;
    const p = this.waiting.shift();
    if (!p) return;
    this.current = p;
    this.worker ??= this.spawn();
    this.worker.ref();
    this.worker.postMessage(p.req);
    const timeout = this.opts.jobTimeoutMs ?? 120_000;
    this.timer = setTimeout(() => {
      this.opts.log.error({ op: p.req.job.op, timeoutMs: timeout }, "draft took too long; its worker is replaced");
      const w = this.worker;
      this.worker = undefined;
      this.finish(p, new Error(`draft not made within ${timeout} ms`));
      void w?.terminate();
    }, timeout);
    this.timer.unref();
  }

  private onReply(r: WorkerReply): void {
    const p = this.current;
    if (!p || p.req.id !== r.id) return;
    if (r.kind === "started") {
      p.startedAt = performance.now();
      this.emit({ id: r.id, op: p.req.job.op, phase: "started" });
      return;
    }
    this.finish(p, r.kind === "failed" ? Object.assign(new Error(r.message), { name: r.name }) : r);
  }

  private finish(p: Pending, outcome: WorkerReply | Error): void {
    if (this.current !== p) return;
    clearTimeout(this.timer);
    this.current = undefined;
    this.worker?.unref();
    const ms = p.startedAt === undefined ? 0 : performance.now() - p.startedAt;
    if (outcome instanceof Error) {
      this.emit({ id: p.req.id, op: p.req.job.op, phase: "failed", ms });
      p.reject(outcome);
    } else {
      this.emit({ id: p.req.id, op: p.req.job.op, phase: "done", ms });
      p.resolve(outcome);
    }
    this.next();
  }

  private onWorkerLost(worker: Worker, err: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    // Out of memory, a crash: the job it was making fails (the message goes without its draft), the next one
    // gets a fresh worker.
    if (!this.closed) this.opts.log.error({ err }, "draft worker stopped");
    if (this.current) this.finish(this.current, err);
  }
}
