// The worker thread that makes drafts, spreadsheets and chart pictures: it reads committed data through its own
// read-only connection and builds the file here, so the seconds a whole country's draft takes are spent away
// from the event loop that serves every group's answers. One job at a time, in the order asked.
import { parentPort, workerData } from "node:worker_threads";
import type { Clock } from "../../core/clock.js";
import { loadPrompts } from "../../config/load-prompts.js";
import { openReadOnlyDatabase } from "../../store/read-only.js";
import { SqlWorld } from "../../store/sql-world.js";
import { DocumentService, type RenderedFile } from "../documents.js";
import type { ChartImage } from "../charts/chart-service.js";
import type { DraftJob, DraftWorkerData, JobRequest, WorkerReply } from "./draft-protocol.js";

const data = workerData as DraftWorkerData;
const port = parentPort!;
const db = openReadOnlyDatabase(data.databasePath);
const prompts = loadPrompts(data.promptsDir);
/** Set to the requester's time before each job. */
let now = Date.now();
const clock: Clock = { now: () => new Date(now) };
const documents = new DocumentService(new SqlWorld(db), prompts, clock);
const hold = data.hold ? new Int32Array(data.hold) : undefined;

async function run(job: DraftJob): Promise<RenderedFile | ChartImage[]> {
  switch (job.op) {
    case "render":
      return documents.render(job.ref);
    case "area":
      return documents.areaReport(job.report);
    case "summary":
      return documents.summaryReport(job.report);
    case "export":
      return documents.exportSheet(job.report);
    case "chart":
      return documents.charts.images(job.report);
  }
}

const reply = (r: WorkerReply) => port.postMessage(r);

let queue = Promise.resolve();
port.on("message", (req: JobRequest) => {
  queue = queue.then(async () => {
    reply({ id: req.id, kind: "started" });
    if (hold) while (Atomics.load(hold, 0) !== 0) Atomics.wait(hold, 0, Atomics.load(hold, 0), 1000);
    now = req.now;
    try {
      const out = await run(req.job);
      if (Array.isArray(out)) reply({ id: req.id, kind: "images", images: out });
      else reply({ id: req.id, kind: "file", file: { filename: out.filename, displayName: out.displayName, bytes: out.bytes } });
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      reply({ id: req.id, kind: "failed", name: e.name, message: e.message });
    }
  });
});
