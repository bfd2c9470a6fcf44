import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { readXlsx } from "../support/read-xlsx.js";
import { type Sheet, columnLetter, sanitizeSheetNames, writeXlsx } from "../../src/core/export/xlsx.js";

async function parts(buf: Buffer): Promise<Record<string, string>> {
  const zip = await JSZip.loadAsync(buf);
  const out: Record<string, string> = {};
  for (const [name, f] of Object.entries(zip.files)) if (!f.dir) out[name] = await f.async("string");
  return out;
}

function part(p: Record<string, string>, name: string): string {
  const xml = p[name];
  if (xml === undefined) throw new Error(`missing part ${name}`);
  return xml;
}

/** The <xf> elements of <cellXfs>, in order (their index is the s="" of a cell). */
function cellXfs(styles: string): string[] {
  const block = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(styles)?.[1] ?? "";
  return block.match(/<xf\b[^>]*?(?:\/>|>[\s\S]*?<\/xf>)/g) ?? [];
}

function listOf(styles: string, tag: string, item: string): string[] {
  const block = new RegExp(`<${tag}\\b[^>]*>([\\s\\S]*?)</${tag}>`).exec(styles)?.[1] ?? "";
  return block.match(new RegExp(`<${item}\\b[^>]*?(?:/>|>[\\s\\S]*?</${item}>)`, "g")) ?? [];
}

const attrOf = (el: string, name: string): string | undefined => new RegExp(`\\b${name}="([^"]*)"`).exec(el)?.[1];

/** The s="" style of the cell with reference `ref` in a worksheet. */
function styleOf(sheetXml: string, ref: string): number | undefined {
  const c = new RegExp(`<c r="${ref}"[^>]*>`).exec(sheetXml)?.[0];
  if (!c) return undefined;
  return Number(attrOf(c, "s") ?? "0");
}

const households: Sheet = {
  name: "Hộ nghèo",
  columns: [{ header: "Xã/phường", width: 30 }, { header: "Số hộ" }, { header: "Tỷ lệ (%)" }],
  rows: [
    ["Phường Điện Biên Phủ", 3850, 12.5],
    ["Xã Ứng Hòa — thôn Đồng Tiến", 1_234_567, 0.25],
    ["Tổng cộng", null, -3.75],
  ],
};

describe("writeXlsx / readXlsx round trip", () => {
  it("keeps Vietnamese text, numbers as numbers, the header as row 0", async () => {
    const [sheet] = await readXlsx(await writeXlsx([households], { title: "Báo cáo quý I/2025" }));
    expect(sheet?.name).toBe("Hộ nghèo");
    expect(sheet?.rows).toEqual([
      ["Xã/phường", "Số hộ", "Tỷ lệ (%)"],
      ["Phường Điện Biên Phủ", 3850, 12.5],
      ["Xã Ứng Hòa — thôn Đồng Tiến", 1234567, 0.25],
      ["Tổng cộng", null, -3.75],
    ]);
    expect(typeof sheet?.rows[1]?.[1]).toBe("number");
  });

  it("keeps empty cells, sparse rows and fully empty rows in place", async () => {
    const sheet: Sheet = {
      name: "Trống",
      columns: [{ header: "A" }, { header: "" }, { header: "C" }],
      rows: [[null, "x", null], [], [1, null, ""], [null, null, 2]],
    };
    const [read] = await readXlsx(await writeXlsx([sheet]));
    expect(read?.rows).toEqual([
      ["A", null, "C"],
      [null, "x", null],
      [null, null, null],
      [1, null, null], // an empty string is an empty cell
      [null, null, 2],
    ]);
  });

  it("writes several sheets in order, with sanitised, unique names", async () => {
    const sheets: Sheet[] = [
      households,
      { name: "Kỳ 01/2025: [tháng]*?", columns: [{ header: "x" }], rows: [[1]] },
      { name: "hộ NGHÈO", columns: [{ header: "y" }], rows: [[2]] },
      { name: "Danh sách các khu dân cư trên địa bàn xã Hòa Bình", columns: [{ header: "z" }], rows: [["ok"]] },
      { name: "   ", columns: [{ header: "e" }], rows: [] },
    ];
    const read = await readXlsx(await writeXlsx(sheets));
    const names = read.map((s) => s.name);
    expect(names).toEqual(["Hộ nghèo", "Kỳ 01-2025- (tháng)", "hộ NGHÈO (2)", "Danh sách các khu dân cư trên đ", "Sheet5"]);
    for (const n of names) {
      expect(n.length).toBeLessThanOrEqual(31);
      expect(n).not.toMatch(/[[\]:*?/\\]/);
    }
    expect(read[1]?.rows).toEqual([["x"], [1]]);
    expect(read[2]?.rows).toEqual([["y"], [2]]);
    expect(read[4]?.rows).toEqual([["e"]]);
  });

  it("sanitises sheet names: length, reserved name, apostrophes, duplicates after truncation", () => {
    const long = "Báo cáo tổng hợp kết quả công tác Mặt trận năm 2025";
    const [a, b, c, d, e] = sanitizeSheetNames([long, long, "History", "'Quý 1'", "Tab\tname\u0007"]);
    expect(a).toBe("Báo cáo tổng hợp kết quả công t");
    expect(b).toBe("Báo cáo tổng hợp kết quả cô (2)");
    expect(b?.length).toBe(31);
    expect(c).toBe("History (1)");
    expect(d).toBe("Quý 1");
    expect(e).toBe("Tab name");
    // decomposed (NFD) input is normalised, so it collides with the NFC one
    expect(sanitizeSheetNames(["Hộ", "Hộ".normalize("NFD")])).toEqual(["Hộ", "Hộ (2)"]);
  });

  it("escapes markup characters and strips control characters", async () => {
    const nasty = `a<b>&c"d'e </sheetData> &amp; ]]>`;
    const sheet: Sheet = {
      name: "Esc<&>\"'x",
      columns: [{ header: `<Tiêu đề & "x">` }],
      rows: [
        [nasty],
        ["ctl\u0000\u0001\u0008\u000B\u000C\u001F\u007F\u0085|end"],
        ["dòng 1\r\ndòng 2\rdòng 3\ttab"],
        ["  leading and trailing  "],
        ["_x0041_ literal"],
        ["lone \uD800 surrogate, pair 😀"],
      ],
    };
    const buf = await writeXlsx([sheet]);
    const [read] = await readXlsx(buf);
    expect(read?.name).toBe("Esc<&>\"'x");
    expect(read?.rows).toEqual([
      [`<Tiêu đề & "x">`],
      [nasty],
      ["ctl|end"],
      ["dòng 1\ndòng 2\ndòng 3\ttab"],
      ["  leading and trailing  "],
      ["_x0041_ literal"],
      ["lone  surrogate, pair 😀"],
    ]);
    const p = await parts(buf);
    for (const [name, xml] of Object.entries(p)) {
      expect(xml, name).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/);
      expect(xml, name).not.toContain("</sheetData> &amp;");
    }
    expect(part(p, "xl/sharedStrings.xml")).toContain("a&lt;b&gt;&amp;c\"d'e &lt;/sheetData&gt; &amp;amp; ]]&gt;");
    expect(part(p, "xl/sharedStrings.xml")).toContain('<t xml:space="preserve">  leading and trailing  </t>');
    expect(part(p, "xl/sharedStrings.xml")).toContain("_x005F_x0041_ literal");
    expect(part(p, "xl/workbook.xml")).toContain('name="Esc&lt;&amp;&gt;&quot;&apos;x"');
  });

  it("reads large, negative and tiny numbers back exactly", async () => {
    const values = [0, -1, 2 ** 53 - 1, 1e21, 1e-7, Math.PI, -1234.5];
    const [read] = await readXlsx(
      await writeXlsx([{ name: "n", columns: values.map((_, i) => ({ header: `c${i}` })), rows: [values] }]),
    );
    expect(read?.rows[1]).toEqual(values);
  });

  it("writes the same bytes for the same input", async () => {
    const a = await writeXlsx([households], { title: "t" });
    await new Promise((r) => setTimeout(r, 1100));
    const b = await writeXlsx([households], { title: "t" });
    expect(a.equals(b)).toBe(true);
  });

  it("rejects an empty workbook", async () => {
    await expect(writeXlsx([])).rejects.toThrow(/at least one sheet/);
  });
});

describe("writeXlsx package structure", () => {
  it("has all the parts, content types and relationships, and no folder entries", async () => {
    const buf = await writeXlsx([households, { name: "Hai", columns: [{ header: "h" }], rows: [] }], { title: "Báo cáo & tổng hợp" });
    const zip = await JSZip.loadAsync(buf);
    expect(Object.keys(zip.files)).toEqual([
      "[Content_Types].xml",
      "_rels/.rels",
      "docProps/core.xml",
      "docProps/app.xml",
      "xl/workbook.xml",
      "xl/_rels/workbook.xml.rels",
      "xl/styles.xml",
      "xl/sharedStrings.xml",
      "xl/worksheets/sheet1.xml",
      "xl/worksheets/sheet2.xml",
    ]);
    for (const f of Object.values(zip.files)) expect(f.date.toISOString()).toBe("1980-01-01T00:00:00.000Z");
    const p = await parts(buf);
    for (const xml of Object.values(p)) expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>')).toBe(true);
    const ct = part(p, "[Content_Types].xml");
    for (const name of ["/xl/workbook.xml", "/xl/worksheets/sheet1.xml", "/xl/worksheets/sheet2.xml", "/xl/styles.xml", "/xl/sharedStrings.xml", "/docProps/core.xml", "/docProps/app.xml"]) {
      expect(ct).toContain(`PartName="${name}"`);
    }
    expect(ct).toContain("spreadsheetml.sheet.main+xml");
    expect(part(p, "_rels/.rels")).toContain('Target="xl/workbook.xml"');
    const wbRels = part(p, "xl/_rels/workbook.xml.rels");
    expect(wbRels).toContain('Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"');
    expect(wbRels).toContain('Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"');
    expect(wbRels).toContain('Target="styles.xml"');
    expect(wbRels).toContain('Target="sharedStrings.xml"');
    expect(part(p, "xl/workbook.xml")).toContain('<sheet name="Hai" sheetId="2" r:id="rId2"/>');
    expect(part(p, "docProps/core.xml")).toContain("<dc:title>Báo cáo &amp; tổng hợp</dc:title>");
    // UTF-8 bytes, not character references
    const raw = await zip.file("xl/sharedStrings.xml")?.async("nodebuffer");
    expect(raw?.includes(Buffer.from("Phường Điện Biên Phủ", "utf8"))).toBe(true);
  });

  it("uses shared strings with correct counts", async () => {
    const p = await parts(await writeXlsx([{ name: "s", columns: [{ header: "a" }, { header: "b" }], rows: [["a", "x"], ["x", 1]] }]));
    const sst = part(p, "xl/sharedStrings.xml");
    expect(sst).toContain('count="5" uniqueCount="3"');
    const sheet = part(p, "xl/worksheets/sheet1.xml");
    expect(sheet).toContain('<c r="A2" t="s"><v>0</v></c>'); // "a" shared with the header
    expect(sheet).toContain('<c r="B2" t="s"><v>2</v></c>');
    expect(sheet).toContain('<c r="A3" t="s"><v>2</v></c>');
  });

  it("freezes the header row, styles it bold with a fill, and sets column widths", async () => {
    const p = await parts(await writeXlsx([households]));
    const sheet = part(p, "xl/worksheets/sheet1.xml");
    expect(sheet).toContain('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>');
    expect(sheet).toContain('<dimension ref="A1:C4"/>');
    // element order required by the schema
    const order = ["<dimension", "<sheetViews", "<sheetFormatPr", "<cols", "<sheetData", "<pageMargins"].map((t) => sheet.indexOf(t));
    expect(order.every((at, i) => at >= 0 && (i === 0 || at > (order[i - 1] ?? -1)))).toBe(true);

    const cols = sheet.match(/<col [^>]*\/>/g) ?? [];
    expect(cols).toHaveLength(3);
    expect(cols[0]).toBe('<col min="1" max="1" width="30" customWidth="1"/>');
    const autoWidth = Number(attrOf(cols[2] ?? "", "width"));
    expect(autoWidth).toBeGreaterThanOrEqual(8);
    expect(autoWidth).toBeLessThanOrEqual(60);

    const styles = part(p, "xl/styles.xml");
    const xfs = cellXfs(styles);
    const fonts = listOf(styles, "fonts", "font");
    const fills = listOf(styles, "fills", "fill");
    expect(attrOf(styles.match(/<cellXfs [^>]*>/)?.[0] ?? "", "count")).toBe(String(xfs.length));
    expect(attrOf(styles.match(/<fonts [^>]*>/)?.[0] ?? "", "count")).toBe(String(fonts.length));
    expect(attrOf(styles.match(/<fills [^>]*>/)?.[0] ?? "", "count")).toBe(String(fills.length));
    for (const ref of ["A1", "B1", "C1"]) {
      const xf = xfs[styleOf(sheet, ref) ?? -1] ?? "";
      const font = fonts[Number(attrOf(xf, "fontId"))] ?? "";
      const fill = fills[Number(attrOf(xf, "fillId"))] ?? "";
      expect(font, ref).toContain("<b/>");
      expect(fill, ref).toContain('patternType="solid"');
      expect(attrOf(xf, "applyFont")).toBe("1");
      expect(attrOf(xf, "applyFill")).toBe("1");
    }
    // data cells are not bold
    const dataXf = xfs[styleOf(sheet, "A2") ?? -1] ?? "";
    expect(fonts[Number(attrOf(dataXf, "fontId"))]).not.toContain("<b/>");
  });

  it("writes numbers as numeric cells: integers as #,##0, others as #,##0.0", async () => {
    const p = await parts(await writeXlsx([households]));
    const sheet = part(p, "xl/worksheets/sheet1.xml");
    const styles = part(p, "xl/styles.xml");
    const xfs = cellXfs(styles);

    const b2 = /<c r="B2"[^>]*>[\s\S]*?<\/c>/.exec(sheet)?.[0] ?? "";
    expect(b2).not.toContain("t=");
    expect(b2).toContain("<v>3850</v>");
    expect(attrOf(xfs[styleOf(sheet, "B2") ?? -1] ?? "", "numFmtId")).toBe("3"); // built-in "#,##0"
    expect(attrOf(xfs[styleOf(sheet, "B2") ?? -1] ?? "", "applyNumberFormat")).toBe("1");

    const c2 = /<c r="C2"[^>]*>[\s\S]*?<\/c>/.exec(sheet)?.[0] ?? "";
    expect(c2).not.toContain("t=");
    expect(c2).toContain("<v>12.5</v>");
    const decimalFmt = attrOf(xfs[styleOf(sheet, "C2") ?? -1] ?? "", "numFmtId");
    expect(Number(decimalFmt)).toBeGreaterThanOrEqual(164);
    expect(styles).toContain(`<numFmt numFmtId="${decimalFmt}" formatCode="#,##0.0"/>`);

    // text cells carry no number format
    expect(attrOf(xfs[styleOf(sheet, "A2") ?? -1] ?? "", "numFmtId")).toBe("0");
    // the empty cell is not written at all
    expect(sheet).not.toContain('r="B4"');
  });

  it("does not freeze anything on a sheet without columns", async () => {
    const p = await parts(await writeXlsx([{ name: "x", columns: [], rows: [[1, "a"]] }]));
    const sheet = part(p, "xl/worksheets/sheet1.xml");
    expect(sheet).not.toContain("<pane");
    expect(sheet).toContain('<c r="A1" s="2"><v>1</v></c>');
  });
});

describe("columnLetter", () => {
  it("counts like Excel", () => {
    expect([0, 25, 26, 51, 52, 701, 702, 16383].map(columnLetter)).toEqual(["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA", "XFD"]);
  });
});
