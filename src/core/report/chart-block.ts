// Places the summary chart in a summary draft: after the opening (which states who has submitted) and before
// part I, where a reader looks first.
import type { ImageBlock, ReportDocument } from "./document.js";

/** The draft with the chart's pictures as its first body blocks. */
export function withChart(doc: ReportDocument, images: ImageBlock[]): ReportDocument {
  return { ...doc, body: [...images.map((image) => ({ kind: "image" as const, image })), ...doc.body] };
}
