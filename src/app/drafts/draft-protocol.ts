// The messages between the draft pool (event-loop thread) and its worker thread. Plain data only: report keys,
// references, bytes.
import type { DocumentRef } from "../../core/events.js";
import type { ReportKey } from "../../core/report-key.js";

export type DraftJob =
  | { op: "render"; ref: DocumentRef }
  | { op: "area" | "summary" | "export" | "chart"; report: ReportKey };

/** What the worker is started with. */
export interface DraftWorkerData {
  databasePath: string;
  promptsDir: string;
  /**
   * When set, the worker waits on this flag (Atomics, index 0) before each job until it is 0: a test holds a
   * job mid-way, synchronously, as a long build would, to see that the event loop serves everyone meanwhile.
   */
  hold?: SharedArrayBuffer;
}

export interface JobRequest {
  id: number;
  /** The requester's clock when it asked (drafts are dated, charts say "as of"). */
  now: number;
  job: DraftJob;
}

export interface FileResult {
  filename: string;
  displayName?: string;
  bytes: Uint8Array;
}

export interface ImageResult {
  png: Uint8Array;
  width: number;
  height: number;
  alt: string;
  caption?: string;
  filename: string;
}

export type WorkerReply =
  | { id: number; kind: "started" }
  | { id: number; kind: "file"; file: FileResult }
  | { id: number; kind: "images"; images: ImageResult[] }
  | { id: number; kind: "failed"; name: string; message: string };
