// A picture right after a draft's opening is sized to what is left of the first page, so that Word does not move
// it whole to the next page and leave the first one mostly blank; one that would then be too narrow is not.
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { sampleReport } from "../../scripts/sample-docx.js";
import type { ImageBlock, ReportDocument } from "../../src/core/report/document.js";
import { firstPageRoom, renderDocx } from "../../src/core/report/render-docx.js";

// A 1×1 PNG: the renderer sizes a picture from the block's width and height, not from its pixels.
const PNG = Uint8Array.from(Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==", "base64"));
const TEXT_WIDTH = 9355;
const EMU_PER_TWIP = 635;

function withPictures(doc: ReportDocument, sizes: Array<[number, number]>): ReportDocument {
  const images: ImageBlock[] = sizes.map(([width, height], i) => ({ png: PNG, width, height, alt: `Biểu đồ ${i + 1}`, caption: i === sizes.length - 1 ? "Biểu đồ: kết quả tháng 11/2026" : undefined }));
  return { ...doc, body: [...images.map((image) => ({ kind: "image" as const, image })), ...doc.body] };
}

/** The pictures' sizes in the document, in twips. */
async function extents(doc: ReportDocument): Promise<Array<{ cx: number; cy: number }>> {
  const zip = await JSZip.loadAsync(await renderDocx(doc));
  const xml = await zip.file("word/document.xml")!.async("string");
  return [...xml.matchAll(/<wp:extent cx="(\d+)" cy="(\d+)"\/>/g)].map((m) => ({ cx: Number(m[1]) / EMU_PER_TWIP, cy: Number(m[2]) / EMU_PER_TWIP }));
}

describe("a picture after the opening", () => {
  const base = sampleReport();

  it("that fits what is left of the first page keeps the text's width", async () => {
    const [pic] = await extents(withPictures(base, [[1200, 500]]));
    expect(pic!.cx).toBeCloseTo(TEXT_WIDTH, -2);
  });

  it("taller than what is left is shrunk to fit it, its proportions kept", async () => {
    const room = firstPageRoom(base);
    const [pic] = await extents(withPictures(base, [[1200, 1800]]));
    expect(pic!.cy).toBeLessThan(room);
    // Shrunk only as far as needed: within a caption's height of the room.
    expect(pic!.cy).toBeGreaterThan(room - 1000);
    expect(pic!.cx / pic!.cy).toBeCloseTo(1200 / 1800, 2);
    expect(pic!.cx).toBeLessThan(TEXT_WIDTH);
  });

  it("the room shrinks with a longer opening", () => {
    const longer = { ...base, intro: [...base.intro, ...base.intro, ...base.intro] };
    expect(firstPageRoom(longer)).toBeLessThan(firstPageRoom(base) - 1000);
  });

  it("that would be narrower than half the text goes to the next page at its own size", async () => {
    const [pic] = await extents(withPictures(base, [[1200, 4000]]));
    // Limited only by a whole page's height, not by the first page's room.
    expect(pic!.cy).toBeGreaterThan(firstPageRoom(base));
  });

  it("only the first picture is fitted to the first page; the next starts a page of its own", async () => {
    const [first, second] = await extents(withPictures(base, [[1200, 1800], [1200, 1800]]));
    expect(first!.cy).toBeLessThan(firstPageRoom(base));
    expect(second!.cy).toBeGreaterThan(first!.cy);
  });
});
