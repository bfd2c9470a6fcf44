import JSZip from "jszip";
import { beforeAll, describe, expect, it } from "vitest";
import { sampleReport } from "../../scripts/sample-docx.js";
import { docxText, wordXmlText } from "../support/docx-text.js";
import type { ReportDocument } from "../../src/core/report/document.js";
import { breakHeaderLine, estimateTextWidth, renderDocx } from "../../src/core/report/render-docx.js";

async function parts(buf: Buffer): Promise<Record<string, string>> {
  const zip = await JSZip.loadAsync(buf);
  const out: Record<string, string> = {};
  for (const name of Object.keys(zip.files)) {
    const f = zip.file(name);
    if (f && /\.(xml|rels)$/.test(name)) out[name] = await f.async("string");
  }
  return out;
}

/** Asserts that each needle occurs in `text`, in the order given. */
function expectInOrder(text: string, needles: readonly string[]): void {
  let from = 0;
  for (const needle of needles) {
    const at = text.indexOf(needle, from);
    expect(at, `"${needle}" after position ${from}`).toBeGreaterThanOrEqual(0);
    from = at + needle.length;
  }
}

const tables = (xml: string): string[] => xml.match(/<w:tbl>[\s\S]*?<\/w:tbl>/g) ?? [];
const sectPrs = (xml: string): string[] => xml.match(/<w:sectPr>[\s\S]*?<\/w:sectPr>/g) ?? [];

describe("renderDocx", () => {
  let buf: Buffer;
  let xml: Record<string, string>;
  let doc: string;
  let text: string;

  beforeAll(async () => {
    buf = await renderDocx(sampleReport());
    xml = await parts(buf);
    doc = xml["word/document.xml"] ?? "";
    text = await docxText(buf);
  });

  it("produces a Word file", () => {
    expect(buf.subarray(0, 2).toString("latin1")).toBe("PK");
    expect(doc).toContain("<w:body>");
  });

  it("reads back header, title, figures, closing, recipients and signature in order", () => {
    expectInOrder(text, [
      "ỦY BAN MTTQ VIỆT NAM",
      "XÃ TÂN KHAI",
      "BAN CÔNG TÁC MẶT TRẬN",
      "ẤP BẾN ĐÒ",
      "Số:",
      "/BC-BCTMT",
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "Độc lập - Tự do - Hạnh phúc",
      "Bến Đò, ngày 24 tháng 11 năm 2026",
      "\nBÁO CÁO\n",
      "Kết quả công tác Mặt trận tháng 11/2026",
      "Thực hiện Kế hoạch số 12/KH-MTTQ",
      "I. KẾT QUẢ THỰC HIỆN",
      "1. Công tác tuyên truyền, vận động",
      "thu hút 3.850 lượt người",
      "- Tuyên truyền qua hệ thống loa truyền thanh của ấp: 20 lượt;",
      "a) Xây dựng khu dân cư văn hóa",
      "đạt 66,7%",
      "STT | Nội dung | Số lượng | Tỷ lệ",
      "2 | Hòa giải thành | 2 | 66,7%",
      "II. ĐÁNH GIÁ CHUNG",
      "III. PHƯƠNG HƯỚNG THÁNG 12/2026",
      "Trên đây là báo cáo kết quả công tác Mặt trận tháng 11/2026",
      "Nơi nhận:",
      "- Ban Thường trực UBMTTQ xã;",
      "- Chi bộ ấp;",
      "- Lưu: VT.",
      "TM. BAN CÔNG TÁC MẶT TRẬN",
      "TRƯỞNG BAN",
      "Nguyễn Văn Hùng",
      "PHỤ LỤC SỐ LIỆU",
      "(Kèm theo Báo cáo kết quả công tác Mặt trận tháng 11/2026",
      "2 | Lượt người dự tuyên truyền | Lượt | 40.000 | 3.850 | 37.900 | 94,8",
    ]);
  });

  it("puts one paragraph per line and decodes entities", () => {
    const lines = text.split("\n");
    expect(lines).toContain("BÁO CÁO");
    expect(lines).toContain("I. KẾT QUẢ THỰC HIỆN");
    expect(lines).toContain("- Vận động Quỹ “Vì người nghèo” năm 2027;");
    expect(text).not.toMatch(/&(amp|lt|gt|quot|apos|#\d+);/);
    expect(text).not.toContain("<");
  });

  it("uses Times New Roman everywhere, 14 pt body, Vietnamese language", () => {
    const styles = xml["word/styles.xml"] ?? "";
    const defaults = styles.match(/<w:docDefaults>[\s\S]*?<\/w:docDefaults>/)?.[0] ?? "";
    expect(defaults).toContain('w:ascii="Times New Roman"');
    expect(defaults).toContain('w:hAnsi="Times New Roman"');
    expect(defaults).toContain('w:cs="Times New Roman"');
    expect(defaults).toContain('<w:sz w:val="28"/>');
    expect(defaults).toContain('w:val="vi-VN"');
    // No run anywhere names another font.
    for (const [name, part] of Object.entries(xml)) {
      if (!name.startsWith("word/") || name.includes("theme")) continue;
      for (const m of part.matchAll(/w:(?:ascii|hAnsi|cs|eastAsia)="([^"]+)"/g)) {
        expect(m[1], name).toBe("Times New Roman");
      }
      expect(part, name).not.toMatch(/w:(?:ascii|hAnsi)Theme=/);
    }
    // The theme's fonts too, for anything that falls back to them.
    const theme = Object.entries(xml).find(([n]) => n.startsWith("word/theme/"))?.[1] ?? "";
    expect(theme).toContain('<a:latin typeface="Times New Roman"');
  });

  it("lays out A4 portrait with ND 30 margins and justified, indented body text", () => {
    const first = sectPrs(doc)[0] ?? "";
    expect(first).toContain('<w:pgSz w:w="11906" w:h="16838" w:orient="portrait"/>');
    expect(first).toMatch(/<w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701"/);
    // The intro paragraph: justified, 1.27 cm first line, 6 pt after, 1.2 lines.
    const intro = doc.match(/<w:p>(?:(?!<\/w:p>)[\s\S])*?Thực hiện Kế hoạch số 12[\s\S]*?<\/w:p>/)?.[0] ?? "";
    expect(intro).toContain('<w:jc w:val="both"/>');
    expect(intro).toContain('w:firstLine="720"');
    expect(intro).toMatch(/<w:spacing[^>]*w:after="120"/);
    expect(intro).toMatch(/<w:spacing[^>]*w:line="288"/);
  });

  it("numbers pages from page 2, centred at the top", () => {
    const first = sectPrs(doc)[0] ?? "";
    expect(first).toContain("<w:titlePg/>");
    const rels = xml["word/_rels/document.xml.rels"] ?? "";
    const target = (type: string): string => {
      const id = first.match(new RegExp(`<w:headerReference w:type="${type}" r:id="(\\w+)"`))?.[1] ?? "?";
      const file = rels.match(new RegExp(`Id="${id}"[^>]*Target="([^"]+)"`))?.[1] ??
        rels.match(new RegExp(`Target="([^"]+)"[^>]*Id="${id}"`))?.[1];
      return xml[`word/${file}`] ?? "";
    };
    const def = target("default");
    const firstHeader = target("first");
    expect(def).toMatch(/PAGE/);
    expect(def).toContain('<w:jc w:val="center"/>');
    expect(firstHeader).toContain("<w:hdr");
    expect(firstHeader).not.toMatch(/PAGE|<w:t[ >]/);
  });

  it("draws the header and closing tables without any border", () => {
    const all = tables(doc);
    const header = all[0] ?? "";
    expect(header).toContain("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    const borders = header.match(/<w:tblBorders>[\s\S]*?<\/w:tblBorders>/)?.[0] ?? "";
    for (const side of ["top", "left", "bottom", "right", "insideH", "insideV"]) {
      expect(borders).toMatch(new RegExp(`<w:${side} w:val="none"`));
    }
    expect(header).not.toMatch(/<w:tcBorders>(?:(?!<\/w:tcBorders>)[\s\S])*w:val="single"/);
    // 40/60 columns
    expect(header).toContain('<w:gridCol w:w="3742"/><w:gridCol w:w="5613"/>');

    const closing = all.find((t) => t.includes("Nơi nhận:")) ?? "";
    expect(closing).toContain('<w:insideV w:val="none"');
    expect(closing).not.toContain('w:val="single"');
  });

  it("puts short rules under the issuing body, the motto and the subject", () => {
    // Empty paragraphs with a bottom border.
    const rules = doc.match(/<w:pBdr><w:bottom w:val="single"[^>]*\/><\/w:pBdr>/g) ?? [];
    expect(rules.length).toBe(3);
  });

  it("renders data tables with borders, a bold repeated header row and right-aligned figures", () => {
    const data = tables(doc).find((t) => t.includes("Hòa giải thành")) ?? "";
    expect(data).toContain('<w:insideH w:val="single"');
    expect(data).toContain("<w:tblHeader/>");
    const headerRow = data.match(/<w:tr>[\s\S]*?<\/w:tr>/)?.[0] ?? "";
    expect(headerRow).toContain("<w:b/>");
    expect(headerRow).not.toContain('<w:jc w:val="right"/>');
    const row = data.match(/<w:tr>(?:(?!<\/w:tr>)[\s\S])*Hòa giải thành[\s\S]*?<\/w:tr>/)?.[0] ?? "";
    expect(row).toContain('<w:jc w:val="right"/>');
    // 13 pt, single-spaced, no indent: the cells' paragraph style, declared once in styles.xml.
    const style = row.match(/<w:pStyle w:val="(\w+)"\/>/)?.[1] ?? "?";
    const styleXml = (xml["word/styles.xml"] ?? "").match(new RegExp(`<w:style [^>]*w:styleId="${style}"[\\s\\S]*?</w:style>`))?.[0] ?? "";
    expect(styleXml).toContain('<w:sz w:val="26"/>');
    expect(styleXml).toMatch(/<w:spacing[^>]*w:after="0"[^>]*w:line="240"/);
    expect(styleXml).toContain('w:firstLine="0"');
    expect(row).not.toMatch(/<w:sz w:val="(?!26)\d+"\/>/);
    // The cells' padding, once for the table.
    expect(data).toMatch(/<w:tblCellMar><w:top w:type="dxa" w:w="30"\/><w:left w:type="dxa" w:w="80"\/>/);
    // widths 1:5:2:2 of 9355
    expect(data).toMatch(/<w:gridCol w:w="935"\/><w:gridCol w:w="4677"\/><w:gridCol w:w="1871"\/><w:gridCol w:w="1872"\/>/);
  });

  it("starts the appendix in a new landscape section when asked", async () => {
    const [first, appendix] = sectPrs(doc);
    expect(first).toBeDefined();
    expect(appendix).toContain('<w:type w:val="nextPage"/>');
    expect(appendix).toContain('<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>');
    // The appendix table spans the landscape text width.
    const table = tables(doc).find((t) => t.includes("Lũy kế")) ?? "";
    expect(table).toContain('<w:tblW w:type="dxa" w:w="14287"/>');

    const portraitDoc = (await parts(await renderDocx(sampleReport({ landscapeAppendix: false }))))["word/document.xml"] ?? "";
    const portrait = sectPrs(portraitDoc);
    expect(portrait).toHaveLength(2);
    expect(portrait[1]).toContain('<w:pgSz w:w="11906" w:h="16838" w:orient="portrait"/>');
    // On the narrower page the "STT" column is widened so that the word is not broken, and stays centred.
    const narrow = tables(portraitDoc).find((t) => t.includes("Lũy kế")) ?? "";
    const grid = [...narrow.matchAll(/<w:gridCol w:w="(\d+)"\/>/g)].map((m) => Number(m[1]));
    expect(grid.reduce((a, b) => a + b, 0)).toBe(9355);
    expect(grid[0]).toBeGreaterThanOrEqual(700);
    const firstRow = narrow.match(/<w:tr>(?:(?!<\/w:tr>)[\s\S])*Số buổi tuyên truyền[\s\S]*?<\/w:tr>/)?.[0] ?? "";
    expect(firstRow.match(/<w:jc w:val="(\w+)"\/>/)?.[1]).toBe("center");

    const noAppendix: ReportDocument = { ...sampleReport(), appendix: undefined };
    const plain = await renderDocx(noAppendix);
    expect(sectPrs((await parts(plain))["word/document.xml"] ?? "")).toHaveLength(1);
    expect(await docxText(plain)).not.toContain("PHỤ LỤC");
  });

  it("sets the document properties", () => {
    const core = xml["docProps/core.xml"] ?? "";
    expect(core).toContain("<dc:title>Kết quả công tác Mặt trận tháng 11/2026</dc:title>");
    expect(core).not.toMatch(/<dc:creator>[^<]+<\/dc:creator>/);
  });

  it("copes with a minimal report", async () => {
    const minimal: ReportDocument = {
      header: { parentBody: "", issuingBody: "Ban công tác Mặt trận ấp A", numberLine: "Số: /BC", placeAndDate: "A, ngày 1 tháng 1 năm 2026" },
      title: "BÁO CÁO",
      subject: "Thử <nghiệm> & \"kiểm tra\"",
      intro: [],
      body: [{ kind: "table", table: { columns: [], rows: [["1"], ["2", "3"]] } }],
      closing: "",
      recipients: [],
      signature: { authority: ["Trưởng ban"], signer: "" },
    };
    const out = await docxText(await renderDocx(minimal));
    expectInOrder(out, ["BAN CÔNG TÁC MẶT TRẬN ẤP A", "BÁO CÁO", 'Thử <nghiệm> & "kiểm tra"', "1 |", "2 | 3", "Nơi nhận:", "TRƯỞNG BAN"]);
  });
});

describe("renderDocx: closing, table titles and notes, forbidden characters", () => {
  /** The paragraph (<w:p>…</w:p>) whose text contains `needle`. */
  const paragraphWith = (xml: string, needle: string): string =>
    (xml.match(/<w:p>(?:(?!<\/w:p>)[\s\S])*<\/w:p>/g) ?? []).find((p) => wordXmlText(p).includes(needle)) ?? "";

  it("left-aligns Nơi nhận and its recipients (a justified short line stretches its spaces)", async () => {
    const doc = (await parts(await renderDocx(sampleReport())))["word/document.xml"]!;
    for (const needle of ["Nơi nhận:", "- Ban Thường trực UBMTTQ xã;", "- Lưu: VT."]) {
      expect(paragraphWith(doc, needle), needle).toContain('<w:jc w:val="left"/>');
    }
    // The body stays justified.
    expect(paragraphWith(doc, "Toàn ấp có 412/450 hộ")).toContain('<w:jc w:val="both"/>');
  });

  it("writes a table's title above it and its notes below it", async () => {
    const report = sampleReport();
    report.appendix!.table = { ...report.appendix!.table, title: "So sánh với tháng 10/2026", notes: ["Ghi chú: “-” là không có số liệu."] };
    const text = await docxText(await renderDocx(report));
    expectInOrder(text, ["PHỤ LỤC SỐ LIỆU", "So sánh với tháng 10/2026", "STT | Chỉ tiêu", "5 | Quỹ “Vì người nghèo”", "Ghi chú: “-” là không có số liệu."]);
  });

  it("drops characters XML forbids from every text, the document properties included", async () => {
    const report = sampleReport();
    report.subject = "Kết quả\uFFFE công tác";
    report.body = [{ kind: "paragraph", runs: ["Thiếu\u0000 kinh\u0007 phí\uFFFF \uD800hạn chế"] }];
    const xml = await parts(await renderDocx(report));
    for (const [name, part] of Object.entries(xml)) expect(part, name).not.toMatch(/[\u0000-\u0008\uFFFE\uFFFF\uD800-\uDFFF]/);
    expect(wordXmlText(xml["word/document.xml"]!)).toContain("Thiếu kinh phí hạn chế");
    expect(xml["docProps/core.xml"]).toContain("Kết quả công tác");
  });
});

describe("breakHeaderLine", () => {
  it("breaks a long line before the administrative unit", () => {
    expect(breakHeaderLine("ỦY BAN MTTQ VIỆT NAM XÃ TÂN KHAI", 3686, 13, false)).toEqual([
      "ỦY BAN MTTQ VIỆT NAM",
      "XÃ TÂN KHAI",
    ]);
    expect(breakHeaderLine("BAN THƯỜNG TRỰC ỦY BAN MTTQ VIỆT NAM THỊ XÃ CHƠN THÀNH", 3686, 13, true)).toEqual([
      "BAN THƯỜNG TRỰC",
      "ỦY BAN MTTQ VIỆT NAM",
      "THỊ XÃ CHƠN THÀNH",
    ]);
  });

  it("keeps lines that fit and honours explicit breaks", () => {
    expect(breakHeaderLine("ỦY BAN NHÂN DÂN", 3686, 13, false)).toEqual(["ỦY BAN NHÂN DÂN"]);
    expect(breakHeaderLine("ỦY BAN NHÂN DÂN\nHUYỆN NHÀ BÈ", 9000, 13, false)).toEqual(["ỦY BAN NHÂN DÂN", "HUYỆN NHÀ BÈ"]);
  });

  it("estimates a width letter by letter as the plain rule says, whatever the text", () => {
    // The rule, written plainly: marks dropped, đ as d, then an em width for each character.
    const plain = (text: string, size: number, bold: boolean): number => {
      const base = text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, (c) => (c === "đ" ? "d" : "D"));
      let em = 0;
      for (const ch of base) {
        if (ch === " ") em += 0.25;
        else if (/[A-Z]/.test(ch)) em += "IJ".includes(ch) ? 0.36 : "MW".includes(ch) ? 0.92 : 0.7;
        else if (/[a-z]/.test(ch)) em += "iljft".includes(ch) ? 0.3 : "mw".includes(ch) ? 0.75 : 0.48;
        else if (/[0-9]/.test(ch)) em += 0.5;
        else em += 0.33;
      }
      return Math.round(em * size * 20 * (bold ? 1.06 : 1));
    };
    const samples = [
      "Độc lập - Tự do - Hạnh phúc",
      "ỦY BAN MTTQ VIỆT NAM XÃ BẮC TÂY",
      "Số lượt người tham dự: 28.750.000 đồng (66,7%)",
      "Phường Quang Thạnh (17/35 khu dân cư)",
      "x\u0301 e\u0323\u0302 ĐđĐ",
      "emoji 😀 and 𝔸 outside the BMP",
      "lone \ud800 high, lone \udc00 low, \ud83d at the end \ud83d",
      "Tab\tand\nnew line, “quotes” – dashes … IJMW iljftmw 0123456789",
      "",
    ];
    for (const text of samples) for (const [size, bold] of [[13, false], [14, true], [12, false]] as const) {
      expect(estimateTextWidth(text, size, bold), text).toBe(plain(text, size, bold));
    }
  });

  it("estimates widths close to Times New Roman's", () => {
    // Measured in LibreOffice: about 3170 twips.
    const w = estimateTextWidth("Độc lập - Tự do - Hạnh phúc", 13, true);
    expect(w).toBeGreaterThan(2900);
    expect(w).toBeLessThan(3450);
  });
});

describe("wordXmlText", () => {
  it("skips paragraph properties and decodes entities", () => {
    const xml =
      '<w:body><w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t xml:space="preserve">A &amp; B </w:t></w:r>' +
      '<w:r><w:tab/><w:t>&#273;&#x1EA1;i &lt;x&gt;</w:t></w:r></w:p><w:p/><w:p><w:r><w:t>C</w:t><w:br/><w:t>D</w:t></w:r></w:p>' +
      "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p><w:p><w:r><w:t>y</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc><w:tc><w:p><w:r><w:t>z</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body>";
    expect(wordXmlText(xml)).toBe("A & B \tđại <x>\nC\nD\nx y |  | z");
  });
});
