// A summary draft embeds its chart, whose pictures are drawn while the text is written; a chart that cannot be
// drawn leaves the draft without it, never without the draft.
import JSZip from "jszip";
import { afterEach, describe, expect, it } from "vitest";
import { DocumentService } from "../../src/app/documents.js";
import { docxText } from "../support/docx-text.js";
import { Harness } from "../support/harness.js";

let h: Harness | undefined;
afterEach(() => h?.close());

const REPORT = { unit: "25747", form: "mttq_dinh_ky", period: "2026-M11" };

async function pictures(docx: Buffer): Promise<string[]> {
  const zip = await JSZip.loadAsync(docx);
  return Object.keys(zip.files).filter((p) => p.startsWith("word/media/"));
}

describe("a summary draft and its chart", () => {
  it("embeds the chart's picture, drawn while the text was written", async () => {
    h = new Harness("2026-11-10T09:00:00+07:00");
    const docs = h.core.documents as DocumentService;
    expect(docs).toBeInstanceOf(DocumentService);
    const file = await docs.summaryReport(REPORT);
    expect(await pictures(file.bytes)).toEqual(["word/media/image1.png"]);
    const [chart] = await docs.charts.images(REPORT);
    const zip = await JSZip.loadAsync(file.bytes);
    expect(Buffer.from(await zip.file("word/media/image1.png")!.async("uint8array")).equals(chart!.png)).toBe(true);
  });

  it("goes without the chart, its text whole, when the chart's picture cannot be drawn", async () => {
    h = new Harness("2026-11-10T09:00:00+07:00");
    const docs = h.core.documents as DocumentService;
    const drawn = await docs.summaryReport(REPORT);
    const caption = (await docs.charts.images(REPORT))[0]!.caption!;
    const real = docs.charts.pictures.bind(docs.charts);
    docs.charts.pictures = async (report, summary) =>
      (await real(report, summary)).map((p) => {
        const png = Promise.reject(new Error("resvg failed"));
        png.catch(() => {});
        return { ...p, png };
      });
    const without = await docs.summaryReport(REPORT);
    expect(without.filename).toBe(drawn.filename);
    expect(await pictures(without.bytes)).toEqual([]);
    expect(await docxText(drawn.bytes)).toContain(caption);
    expect(await docxText(without.bytes)).toBe((await docxText(drawn.bytes)).replace(`${caption}\n`, ""));
  });
});
