// What the outbox, the web view and the CLI ask of the drafting side, whichever thread does the work.
import type { DocumentRef } from "../../core/events.js";
import type { ChartInput } from "../../core/charts/input.js";
import type { ReportKey } from "../../core/report-key.js";
import type { ChartImage } from "../charts/chart-service.js";
import type { RenderedFile } from "../documents.js";

/** Drafts (.docx), spreadsheets (.xlsx) and chart pictures, made from committed data when asked. */
export interface DraftMaker {
  render(ref: DocumentRef): Promise<RenderedFile>;
  areaReport(report: ReportKey): Promise<RenderedFile>;
  summaryReport(report: ReportKey): Promise<RenderedFile>;
  exportSheet(report: ReportKey): Promise<RenderedFile>;
  /** Said in place of a draft that could not be generated. */
  failureNote(ref: DocumentRef): string;
  charts: {
    /** The chart's input (figures only, no drawing). */
    input(report: ReportKey): ChartInput | undefined;
    images(report: ReportKey): Promise<ChartImage[]>;
  };
}

/** Drafting refused a job for now (its queue is full): the caller tries again a little later. */
export class DraftsBusy extends Error {
  override readonly name = "DraftsBusy";
}
