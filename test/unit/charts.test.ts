import { afterEach, describe, expect, it } from "vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import JSZip from "jszip";
import { loadPrompts } from "../../src/config/load-prompts.js";
import { DEFAULT_PROMPTS } from "../../src/paths.js";
import { buildChartPages, buildChartSvg, CHART_WIDTH, formatFigure, outlineTexts, wrapText } from "../../src/core/charts/svg-chart.js";
import type { ChartInput } from "../../src/core/charts/input.js";
import { inflateSync } from "node:zlib";
import { chartFontsLoaded, fontMeasure, parsedFaces, shapedLayout, simpleLayout } from "../../src/app/charts/fonts.js";
import { drawChart } from "../../src/app/charts/chart-service.js";
import { communeChart, districtChart, oneAreaChart, provinceChart, thirtyAreasChart, zerosChart } from "../support/chart-inputs.js";
import { FULL_FORM_ANSWERS, GROUP, Harness } from "../support/harness.js";
import { docxText } from "../support/docx-text.js";

const prompts = loadPrompts(DEFAULT_PROMPTS);
const measure = await fontMeasure();
/** Where the tests leave the images they draw, for a person to look at. */
const OUT = join("test-output", "charts");

interface Box {
  text: string;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** Every text of the SVG as the box it covers, measured with the font it is drawn in. */
function textBoxes(svg: string): Box[] {
  const boxes: Box[] = [];
  for (const m of svg.matchAll(/<text x="([\d.]+)" y="([\d.]+)" font-size="(\d+)"( font-weight="700")?( text-anchor="(\w+)")?[^>]*>([^<]*)<\/text>/g)) {
    const [, x, y, size, bold, , anchor, raw] = m;
    const text = raw!.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c)));
    const w = measure.width(text, Number(size), !!bold);
    const left = anchor === "end" ? Number(x) - w : Number(x);
    // Ascenders with Vietnamese marks reach about 0.95 em above the baseline, descenders 0.25 em below.
    boxes.push({ text, x0: left, x1: left + w, y0: Number(y) - Number(size) * 0.95, y1: Number(y) + Number(size) * 0.25 });
  }
  return boxes;
}

function overlaps(boxes: Box[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      if (a.x0 < b.x1 - 0.5 && b.x0 < a.x1 - 0.5 && a.y0 < b.y1 - 0.5 && b.y0 < a.y1 - 0.5) out.push(`“${a.text}” × “${b.text}”`);
    }
  }
  return out;
}

const SAMPLES: Record<string, () => ChartInput> = {
  commune: communeChart,
  "one-area": oneAreaChart,
  thirty: thirtyAreasChart,
  zeros: zerosChart,
  district: districtChart,
  province: provinceChart,
};

describe("summary chart", () => {
  it("the overlap check itself sees two labels on top of each other", () => {
    const svg = '<text x="10" y="30" font-size="20">Ấp Bến Đò</text><text x="40" y="36" font-size="17">3.850</text>';
    expect(overlaps(textBoxes(svg))).toHaveLength(1);
  });

  for (const [name, make] of Object.entries(SAMPLES)) {
    it(`${name}: no label overlaps another or leaves the picture; 1.200 px wide, under 300 KB`, async () => {
      const pages = await drawChart(make(), prompts);
      mkdirSync(OUT, { recursive: true });
      for (const [i, chart] of pages.entries()) {
      writeFileSync(join(OUT, `${name}${i ? `-${i + 1}` : ""}.png`), chart.png);
      const boxes = textBoxes(chart.svg);
      expect(boxes.length).toBeGreaterThan(10);
      expect(overlaps(boxes)).toEqual([]);
      for (const b of boxes) {
        expect(b.x0, b.text).toBeGreaterThanOrEqual(0);
        expect(b.x1, b.text).toBeLessThanOrEqual(CHART_WIDTH);
        expect(b.y1, b.text).toBeLessThanOrEqual(chart.height);
      }
      expect(chart.width).toBe(1200);
      expect(chart.png.subarray(1, 4).toString("ascii")).toBe("PNG");
      expect(chart.png.readUInt32BE(16)).toBe(1200);
      expect(chart.png.readUInt32BE(20)).toBe(chart.height);
      expect(chart.png.length).toBeLessThan(300 * 1024);
      }
    });
  }

  it("a chart of more rows than one picture holds comes in pages on one scale, numbered on", () => {
    const pages = buildChartPages(provinceChart(), prompts.chart, measure);
    expect(pages).toHaveLength(3);
    const texts = pages.map((p) => textBoxes(p.svg).map((b) => b.text));
    expect(texts[0]).toContain("Tỉnh Đồng Nai — kết quả tháng 11/2026 (trang 1/3)");
    expect(texts[0]).toContain("25.");
    expect(texts[0]).not.toContain("26.");
    expect(texts[1]).toContain("26.");
    expect(texts[2]).toContain("75.");
    // Every page has the same scale: bar length per attendee is the same wherever the bar is.
    const ratios = pages.flatMap((p) =>
      [...p.svg.matchAll(/<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)" height="15" fill="#1f4e8c"\/><text[^>]*>([\d.]+) · \d+ buổi<\/text>/g)].map(
        (m) => Number(m[1]) / Number(m[2]!.replace(/\./g, "")),
      ),
    );
    expect(ratios.length).toBeGreaterThan(30);
    for (const r of ratios) expect(r).toBeCloseTo(ratios[0]!, 2);
  });

  it("writes figures the Vietnamese way and keeps every diacritic", () => {
    const { svg } = buildChartSvg(communeChart(), prompts.chart, measure);
    const texts = textBoxes(svg).map((b) => b.text);
    expect(texts).toContain("Tổ dân phố số 12 Khu tái");
    expect(texts).toContain("định cư Đồng Xoài Mới");
    expect(texts).toContain("Toàn xã Tân Khai");
    expect(texts).toContain("1.044 · 34 buổi");
    expect(texts).toContain("59,3% · 16/27 vụ");
    expect(texts).toContain("Đã chi: 19,8 triệu");
    expect(texts).toContain("Đang nhập 3/7");
    expect(formatFigure("money", 15_000_000, prompts.chart)).toBe("15 triệu");
    expect(formatFigure("money", 1_250_000_000, prompts.chart)).toBe("1,25 tỷ");
    expect(formatFigure("money", 500_000, prompts.chart)).toBe("500 nghìn");
    expect(formatFigure("count", 3850, prompts.chart)).toBe("3.850");
    expect(formatFigure("percentage", 200 / 3, prompts.chart)).toBe("66,7%");
  });

  it("draws a reported zero as a hairline and a missing figure as a dash", () => {
    const { svg } = buildChartSvg(zerosChart(), prompts.chart, measure);
    expect(svg).toMatch(/<rect x="[\d.]+" y="[\d.]+" width="2" height="15" fill="#1f4e8c"\/>/);
    expect(textBoxes(svg).filter((b) => b.text === "—").length).toBeGreaterThan(3);
    // No previous period: no legend for it and no thin bars.
    expect(svg).not.toContain("thanh mảnh");
    expect(svg).not.toContain("#dce5f1");
  });

  it("wraps a long name on two lines and shortens what still does not fit", () => {
    const lines = wrapText(measure, "Khu phố Nguyễn Thị Minh Khai Phường Bến Nghé Quận Một Thành phố Hồ Chí Minh", 260, 19);
    expect(lines).toHaveLength(2);
    expect(lines[1]!.endsWith("…")).toBe(true);
    for (const l of lines) expect(measure.width(l, 19)).toBeLessThanOrEqual(260);
    expect(wrapText(measure, "Ấp Bến Đò", 260, 19)).toEqual(["Ấp Bến Đò"]);
  });

  it("draws every text as the outline of its glyphs, placed where the text would be", async () => {
    const fonts = await chartFontsLoaded();
    const { svg } = buildChartSvg(communeChart(), prompts.chart, measure);
    const outlined = outlineTexts(svg, fonts);
    expect(outlined).not.toContain("<text");
    const texts = textBoxes(svg).filter((b) => b.text.trim() !== "");
    const paths = [...outlined.matchAll(/<path transform="translate\(([\d.-]+) ([\d.-]+)\) scale\(([\d.]+)\)" fill="(#[0-9a-f]{6})" d="M/g)];
    expect(paths).toHaveLength(texts.length);
    // Each outline starts at its text's left edge (right-aligned numbers included) and baseline.
    texts.forEach((t, i) => expect(Number(paths[i]![1])).toBeCloseTo(t.x0, 1));
    // "Ấp Bến Đò" at 19 px: its outline holds a contour for every letter and mark, more than the letters alone.
    const one = fonts.outline("Ấp Bến Đò", 0, 0, { size: 19, bold: false, anchor: "start", fill: "#000000" });
    expect((one.match(/[Mm]/g) ?? []).length).toBeGreaterThan(8);
    expect(fonts.outline("   ", 0, 0, { size: 19, bold: false, anchor: "start", fill: "#000000" })).toBe("");
  });

  it("lays out plain text (Vietnamese in NFC, figures) exactly as the shaper does, glyph for glyph", async () => {
    const faces = await parsedFaces();
    const texts = new Set(["fi fl ffi office", "Ỷ Ỹ Ỵ ặ Ẫ ữ Đắk Lắk", "“Vì người nghèo” 12,5% · 1.234.567 đ", "AVA WAV To Ty Yê", "Khánh Hòa — Hà Tĩnh…"]);
    for (const make of Object.values(SAMPLES)) for (const page of buildChartPages(make(), prompts.chart, measure)) for (const b of textBoxes(page.svg)) texts.add(b.text);
    expect(texts.size).toBeGreaterThan(300);
    for (const font of [faces.regular, faces.bold]) {
      for (const t of texts) {
        const nfc = t.normalize("NFC");
        const simple = simpleLayout(font, nfc);
        expect(simple, t).toBeDefined();
        const shaped = shapedLayout(font, nfc);
        expect(simple!.glyphs, t).toEqual(shaped.glyphs);
        simple!.xs.forEach((x, i) => expect(x, t).toBeCloseTo(shaped.xs[i]!, 6));
        expect(simple!.advance, t).toBeCloseTo(shaped.advance, 6);
      }
    }
    // Text with a combining mark (not NFC-composable) is left to the shaper.
    expect(simpleLayout(faces.regular, "x\u0301")).toBeUndefined();
  });

  it("puts ink where the title is in the picture (the outlines are drawn, with no font loaded)", async () => {
    const [page] = await drawChart(communeChart(), prompts);
    const png = page!.png;
    // Decode the PNG the encoder wrote: 8-bit RGBA rows, each with filter byte 0.
    let at = 8;
    const idat: Buffer[] = [];
    while (at < png.length) {
      const len = png.readUInt32BE(at);
      if (png.toString("latin1", at + 4, at + 8) === "IDAT") idat.push(png.subarray(at + 8, at + 8 + len));
      at += 12 + len;
    }
    const raw = inflateSync(Buffer.concat(idat));
    expect(png[25]).toBe(6);
    const stride = page!.width * 4 + 1;
    const dark = (x0: number, y0: number, x1: number, y1: number) => {
      let n = 0;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (raw[y * stride + 1 + x * 4]! < 100) n++;
      return n;
    };
    // The title's first words, 32 px bold from (32, 32); the white margin above it.
    expect(dark(32, 36, 300, 64)).toBeGreaterThan(500);
    expect(dark(0, 0, 1200, 20)).toBe(0);
  });

  it("rejects a chart that names a figure the form does not have", () => {
    const form = prompts.forms[0]!;
    const broken = { ...form, chart: [{ title: "X", bars: [{ field: "kk_kho_khan" }] }] };
    return import("../../src/core/forms/check-form.js").then(({ checkForm }) => {
      expect(checkForm(broken).map((p) => p.path)).toContain("chart[0].bars[0].field");
    });
  });
});

describe("chart from the stored reports", () => {
  const tu = { id: "101", name: "Tư" };
  const hanh = { id: "102", name: "Hạnh" };
  const minh = { id: "103", name: "Minh" };
  let h: Harness;
  afterEach(() => h?.close());

  async function fill(who: { id: string; name: string }, answers: string[]) {
    await h.say(who, "/baocao");
    for (const a of answers) await h.say(who, a);
  }

  it("reads each area's figures and state from the same summary as /tonghop, and goes into the commune draft", async () => {
    h = new Harness();
    h.link(GROUP, "25747");
    h.grant(minh, "commune_staff", "25747");
    h.grant(tu, "reporter", "25747-01");
    h.grant(hanh, "reporter", "25747-02");
    await fill(tu, FULL_FORM_ANSWERS);
    await h.say(hanh, "/baocao");
    await h.say(hanh, "8 buổi, 420 người");

    const input = h.core.documents.charts.input({ unit: "25747", form: "mttq_dinh_ky", period: "2026-M11" })!;
    expect(input.rowLevel).toBe("area");
    expect(input.submitted).toBe(1);
    expect(input.total).toBe(8);
    const [benDo, cayDau] = input.rows;
    expect(benDo!.name).toBe("Ấp Bến Đò");
    expect(benDo!.status).toMatchObject({ kind: "area", state: "submitted" });
    expect(benDo!.values).toMatchObject({ tt_luot_nguoi: 3850, hg_ty_le_thanh: (100 * 10) / 15, qvnn_van_dong: 15_000_000, qvnn_chi: 10_000_000 });
    // Part-way: its figures do not count yet.
    expect(cayDau!.status).toMatchObject({ kind: "area", state: "in_progress" });
    expect(cayDau!.values).toBeUndefined();
    expect(input.totals.values).toMatchObject({ tt_luot_nguoi: 3850 });
    expect(input.previousLabel).toBeUndefined();

    const [msg] = await h.say(minh, "/tonghop");
    const zip = await JSZip.loadAsync(msg!.file!.bytes);
    const media = Object.keys(zip.files).filter((f) => f.startsWith("word/media/"));
    expect(media).toHaveLength(1);
    const png = await zip.file(media[0]!)!.async("nodebuffer");
    expect(png.readUInt32BE(16)).toBe(1200);
    const xml = await zip.file("word/document.xml")!.async("string");
    expect(xml).toContain('descr="Biểu đồ kết quả tháng 11/2026 của xã Tân Khai: 1/8 khu dân cư đã nộp báo cáo."');
    const text = await docxText(msg!.file!.bytes);
    expect(text).toContain("Biểu đồ: kết quả tháng 11/2026 của các khu dân cư");
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, "commune-draft.docx"), msg!.file!.bytes);
  });

  it("a district's chart has one row per commune with its completeness", async () => {
    h = new Harness();
    h.grant(tu, "reporter", "25747-01");
    h.link(GROUP, "25747");
    await fill(tu, FULL_FORM_ANSWERS);
    const district = h.core.db.prepare<[], { code: string }>("SELECT code FROM units WHERE level IN ('district','province') ORDER BY level = 'district' DESC LIMIT 1").get()!;
    const input = h.core.documents.charts.input({ unit: district.code, form: "mttq_dinh_ky", period: "2026-M11" })!;
    expect(input.rowLevel).toBe("commune");
    const tanKhai = input.rows.find((r) => r.name === "Xã Tân Khai")!;
    expect(tanKhai.status).toEqual({ kind: "group", submitted: 1, total: 8 });
    expect(tanKhai.values).toMatchObject({ tt_luot_nguoi: 3850 });
    expect(input.rows.filter((r) => r.values === undefined).length).toBe(input.rows.length - 1);
  });
});
