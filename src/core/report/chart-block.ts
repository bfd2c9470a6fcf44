// Places the summary chart in a summary draft: after the opening (which states who has submitted) and before
// part I, where a reader looks first.
import type { ImageBlock, ReportDocument } from "./document.js";

/** The draft with the chart as its first body block. */
export function withChart(doc: ReportDocument, image: ImageBlock): ReportDocument {
  return { ...doc, body: [{ kind: "image", image }, ...doc.body] };
}
