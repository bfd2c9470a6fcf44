// Renders a ReportDocument as a .docx laid out per Nghị định 30/2020/NĐ-CP (Phụ lục I): A4 portrait,
// Times New Roman, a borderless two-column header (issuing body | Quốc hiệu, Tiêu ngữ), the title and subject,
// the body, and a borderless closing block (Nơi nhận | signature). The WordprocessingML is written directly
// (wordml.ts) and packed with its parts (docx-package.ts): a draft over a hundred communes has thousands of
// table cells, and an object model per element made that seconds. Every text reaches the file through esc(),
// which drops the characters XML forbids.

import type { Block, ImageBlock, Inline, ReportDocument, Table as ReportTable } from "./document.js";
import { upper } from "./unit-names.js";
import { packDocx } from "./docx-package.js";
import {
  cell,
  EMU_PER_TWIP,
  paragraph,
  picture,
  row,
  run as textRun,
  sectionProps,
  table,
  type Align,
  type Border,
  type CellMargins,
  type ParagraphProps,
} from "./wordml.js";

// ---------------------------------------------------------------------------------------------------------------
// Page geometry (twips: 1/20 pt, 1440 per inch)

const mm = (v: number): number => Math.round((v * 1440) / 25.4);

/** A4 in twips, as Word writes it. */
export const A4 = { width: 11906, height: 16838 } as const;
export const MARGINS = { top: mm(20), bottom: mm(20), left: mm(30), right: mm(15) } as const;

const PORTRAIT_TEXT_WIDTH = A4.width - MARGINS.left - MARGINS.right; // 9355
const LANDSCAPE_TEXT_WIDTH = A4.height - MARGINS.left - MARGINS.right; // 14287

const FONT = "Times New Roman";

/** Half-points, as docx expects sizes. */
const pt = (v: number): number => v * 2;

const BODY_SIZE = 14;
const HEADER_SIZE = 13;
const TABLE_SIZE = 13;
const FIRST_LINE_INDENT = 720; // 1.27 cm
const AFTER = 120; // 6 pt
const LINE = 288; // 1.2 lines ("auto" line rule: 240 = single)

/** Cell padding of the layout (borderless) tables: small, so long header lines fit their column. */
const LAYOUT_CELL_MARGIN = 28;
/** Cell padding of data tables. */
const DATA_CELL_MARGIN = 80;

const NO_BORDERS: Border = { style: "none" };
/** Thin single lines (half a point) round and inside the data tables. */
const DATA_BORDERS: Border = { style: "single", size: 4 };


// ---------------------------------------------------------------------------------------------------------------
// Text width estimate, used to size the rules under the issuing body, the Tiêu ngữ and the subject.

/**
 * Rough width of a line of Times New Roman text in twips. Vietnamese diacritics do not change the width of the
 * base letter, so the text is decomposed and the marks dropped before measuring. Every word of every cell of a
 * draft's tables is measured (thousands in a province's appendix), so the letters are told apart by their codes.
 */
export function estimateTextWidth(text: string, sizePt: number, bold = false): number {
  const base = text.normalize("NFD");
  let em = 0;
  for (let i = 0; i < base.length; i++) {
    let c = base.charCodeAt(i);
    if (c >= 0x300 && c <= 0x36f) continue; // a combining mark
    if (c === 0x111) c = 0x64; // đ
    else if (c === 0x110) c = 0x44; // Đ
    if (c === 0x20) em += 0.25;
    else if (c >= 0x41 && c <= 0x5a) em += c === 0x49 || c === 0x4a ? 0.36 : c === 0x4d || c === 0x57 ? 0.92 : 0.7; // I J, M W
    else if (c >= 0x61 && c <= 0x7a) em += c === 0x69 || c === 0x6c || c === 0x6a || c === 0x66 || c === 0x74 ? 0.3 : c === 0x6d || c === 0x77 ? 0.75 : 0.48; // i l j f t, m w
    else if (c >= 0x30 && c <= 0x39) em += 0.5;
    else {
      em += 0.33;
      // A character outside the BMP is one character, written as two code units.
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < base.length) {
        const next = base.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) i++;
      }
    }
  }
  return Math.round(em * sizePt * 20 * (bold ? 1.06 : 1));
}

// ---------------------------------------------------------------------------------------------------------------
// Paragraph helpers

interface RunStyle {
  bold?: boolean;
  italic?: boolean;
  size?: number; // pt
}

/**
 * A run of text. Its font is the document's default (Times New Roman, set once in the styles) and its size is
 * written only when it differs from `base`, the size its paragraph's style gives: a draft has thousands of runs.
 */
function run(text: string, style: RunStyle = {}, base = BODY_SIZE): string {
  const size = style.size ?? base;
  return textRun(text, { bold: style.bold, italic: style.italic, halfPoints: size === base ? undefined : pt(size) });
}

function inlineRuns(runs: readonly Inline[], size = BODY_SIZE): string {
  return runs.map((r) => (typeof r === "string" ? run(r, { size }) : run(r.text, { bold: r.bold, italic: r.italic, size }))).join("");
}

/** Single-spaced, nothing before or after unless given. */
const single = (after = 0, before = 0): ParagraphProps["spacing"] => ({ before, after, line: 240, rule: "auto" });

/** A centred line of the header, title or signature: no indent, no space after. */
function centred(text: string, style: RunStyle, after = 0, before = 0): string {
  return paragraph({ spacing: single(after, before), indent: { firstLine: 0 }, align: "center" }, run(text, style));
}

/**
 * A short horizontal rule: an empty paragraph of tiny exact height with a bottom border, indented so that the
 * border is `width` twips long and centred in a space `available` twips wide.
 */
function rule(width: number, available: number, after = 0): string {
  const side = Math.max(0, Math.round((available - width) / 2));
  return paragraph(
    { bottomBorder: 6, spacing: { before: 0, after, line: 70, rule: "exact" }, indent: { left: side, right: side, firstLine: 0 }, align: "center" },
    run("", { size: 2 }),
  );
}

/** A justified body paragraph with the first-line indent. */
function bodyParagraph(runs: string, opts: { keepNext?: boolean; outlineLevel?: number } = {}): string {
  return paragraph(
    { keepNext: opts.keepNext, spacing: { before: 0, after: AFTER, line: LINE, rule: "auto" }, indent: { firstLine: FIRST_LINE_INDENT }, align: "both", outlineLevel: opts.outlineLevel },
    runs,
  );
}

function emptyLine(size = BODY_SIZE): string {
  return paragraph({ spacing: single(), indent: { firstLine: 0 } }, run("", { size }));
}

// ---------------------------------------------------------------------------------------------------------------
// Layout (borderless) tables

const LAYOUT_MARGINS: CellMargins = { top: 0, bottom: 0, left: LAYOUT_CELL_MARGIN, right: LAYOUT_CELL_MARGIN };

function layoutTable(widths: [number, number], cells: [string[], string[]]): string {
  const [a, b] = cells.map((paras, i) => cell({ width: widths[i]!, vAlign: "top", noBorders: true, margins: LAYOUT_MARGINS }, paras.join("")));
  return table({ width: widths[0] + widths[1], columns: widths, borders: NO_BORDERS }, row(a! + b!));
}

// Words that start an administrative unit's name: a long header line is best broken before them
// ("ỦY BAN MTTQ VIỆT NAM / XÃ TÂN KHAI", "BAN CÔNG TÁC MẶT TRẬN / ẤP BẾN ĐÒ").
const UNIT_WORDS = [
  ["ỦY", "BAN"],
  ["THỊ", "XÃ"],
  ["THỊ", "TRẤN"],
  ["THÀNH", "PHỐ"],
  ["KHU", "PHỐ"],
  ["XÃ"],
  ["PHƯỜNG"],
  ["HUYỆN"],
  ["QUẬN"],
  ["TỈNH"],
  ["ẤP"],
  ["THÔN"],
  ["SÓC"],
  ["BẢN"],
];

function unitStartsAt(words: readonly string[], i: number): boolean {
  // "XÃ" in "THỊ XÃ" and "PHỐ" in "THÀNH PHỐ" belong to the word before them.
  if (words[i - 1] === "THỊ" || words[i - 1] === "THÀNH" || words[i - 1] === "KHU") return false;
  return UNIT_WORDS.some((unit) => unit.every((w, k) => words[i + k] === w));
}

/**
 * Splits a header line that does not fit its column before an administrative unit, so that it wraps where a clerk
 * would break it. Explicit "\n" in the text are kept; what still does not fit is left to Word's own wrapping.
 */
export function breakHeaderLine(text: string, width: number, sizePt: number, bold: boolean): string[] {
  const fits = (s: string): boolean => estimateTextWidth(s, sizePt, bold) <= width * 0.98;
  const out: string[] = [];
  for (const part of text.split("\n")) {
    let words = part.trim().split(/\s+/).filter((w) => w !== "");
    while (words.length > 0 && !fits(words.join(" "))) {
      let cut = -1;
      for (let i = words.length - 1; i > 0; i--) {
        if (unitStartsAt(words, i) && fits(words.slice(0, i).join(" "))) {
          cut = i;
          break;
        }
      }
      if (cut < 0) break;
      out.push(words.slice(0, cut).join(" "));
      words = words.slice(cut);
    }
    if (words.length > 0) out.push(words.join(" "));
  }
  return out;
}

const NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
const MOTTO = "Độc lập - Tự do - Hạnh phúc";

const HEADER_LEFT = Math.round(PORTRAIT_TEXT_WIDTH * 0.4);
const HEADER_RIGHT = PORTRAIT_TEXT_WIDTH - HEADER_LEFT;
const HEADER_LEFT_INNER = HEADER_LEFT - 2 * LAYOUT_CELL_MARGIN;

/** The lines of the header's left column: the body above, and the issuing body (bold). */
function headerLines(h: ReportDocument["header"]): { parent: string[]; issuing: string[] } {
  return {
    parent: breakHeaderLine(upper(h.parentBody), HEADER_LEFT_INNER, HEADER_SIZE, false),
    issuing: breakHeaderLine(upper(h.issuingBody), HEADER_LEFT_INNER, HEADER_SIZE, true),
  };
}

function headerTable(h: ReportDocument["header"]): string {
  const left = HEADER_LEFT;
  const right = HEADER_RIGHT;
  const leftInner = HEADER_LEFT_INNER;
  const rightInner = right - 2 * LAYOUT_CELL_MARGIN;

  const leftCell: string[] = [];
  const { parent, issuing } = headerLines(h);
  for (const line of parent) leftCell.push(centred(line, { size: HEADER_SIZE }));
  for (const line of issuing) leftCell.push(centred(line, { size: HEADER_SIZE, bold: true }));
  // ND 30: a rule from 1/3 to 1/2 of the line above, centred under it.
  const issuingWidth = Math.min(
    leftInner,
    Math.max(0, ...issuing.map((line) => estimateTextWidth(line, HEADER_SIZE, true))),
  );
  leftCell.push(rule(Math.max(Math.round(leftInner * 0.3), Math.round(issuingWidth * 0.4)), leftInner, 120));
  leftCell.push(centred(h.numberLine, { size: HEADER_SIZE }));

  const rightCell: string[] = [
    centred(NATIONAL_NAME, { size: 12, bold: true }),
    centred(MOTTO, { size: 13, bold: true }),
    // ND 30: the rule under the Tiêu ngữ is as long as the Tiêu ngữ.
    rule(Math.min(rightInner, estimateTextWidth(MOTTO, 13, true)), rightInner, 120),
    centred(h.placeAndDate, { size: BODY_SIZE, italic: true }),
  ];

  return layoutTable([left, right], [leftCell, rightCell]);
}

// ---------------------------------------------------------------------------------------------------------------
// What the top of the first page takes, so that a picture right after the opening can be sized to what is left.

/** A line of Times New Roman is about 1.15 em high; `spacing`: the paragraph's line spacing (1.2 for body text). */
const lineHeight = (sizePt: number, spacing = 1): number => Math.round(sizePt * 20 * 1.15 * spacing);

/** Lines a paragraph takes in `width` twips; words wrap before a line is full, hence a tenth more. */
function linesOf(text: string, sizePt: number, width: number, opts: { bold?: boolean; indent?: number } = {}): number {
  return Math.max(1, Math.ceil((estimateTextWidth(text, sizePt, opts.bold) * 1.1 + (opts.indent ?? 0)) / width));
}

const TEXT_HEIGHT = A4.height - MARGINS.top - MARGINS.bottom;
/** What the estimate may miss: a line and a half of body text. */
const ESTIMATE_SLACK = Math.round(lineHeight(BODY_SIZE, LINE / 240) * 1.5);
const RULE_HEIGHT = 70;

/** Twips left on the first page under the header, the title and the opening (an estimate on the small side). */
export function firstPageRoom(doc: ReportDocument): number {
  const { parent, issuing } = headerLines(doc.header);
  const headerLine = (text: string, bold = false) => linesOf(text, HEADER_SIZE, HEADER_LEFT_INNER, { bold }) * lineHeight(HEADER_SIZE);
  const left = [...parent.map((l) => headerLine(l)), ...issuing.map((l) => headerLine(l, true)), RULE_HEIGHT + 120, headerLine(doc.header.numberLine)];
  const right = [lineHeight(12), lineHeight(13), RULE_HEIGHT + 120, linesOf(doc.header.placeAndDate, BODY_SIZE, HEADER_RIGHT) * lineHeight(BODY_SIZE)];
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const title = [doc.title || "BÁO CÁO", doc.subject].map((t) => linesOf(upper(t), BODY_SIZE, PORTRAIT_TEXT_WIDTH, { bold: true }) * lineHeight(BODY_SIZE));
  const intro = doc.intro.map((p) => {
    const text = p.map((r) => (typeof r === "string" ? r : r.text)).join("");
    return linesOf(text, BODY_SIZE, PORTRAIT_TEXT_WIDTH, { indent: FIRST_LINE_INDENT }) * lineHeight(BODY_SIZE, LINE / 240) + AFTER;
  });
  const used = Math.max(sum(left), sum(right)) + lineHeight(BODY_SIZE) + sum(title) + RULE_HEIGHT + 240 + sum(intro);
  return TEXT_HEIGHT - used - ESTIMATE_SLACK;
}

function closingTable(doc: ReportDocument): string {
  const left = Math.round(PORTRAIT_TEXT_WIDTH * 0.45);
  const right = PORTRAIT_TEXT_WIDTH - left;

  // Left-aligned, not justified: a justified short line stretches its spaces across the column.
  const leftCell: string[] = [
    paragraph({ spacing: single(0, 120), indent: { firstLine: 0 }, align: "left" }, run("Nơi nhận:", { bold: true, italic: true, size: 12 })),
    ...doc.recipients.map((r) => paragraph({ spacing: single(), indent: { firstLine: 0 }, align: "left" }, run(`- ${r.replace(/^\s*-\s*/, "")}`, { size: 11 }))),
  ];

  const rightCell: string[] = [
    ...doc.signature.authority.map((line, i) => centred(upper(line), { bold: true, size: BODY_SIZE }, 0, i === 0 ? 120 : 0)),
    emptyLine(),
    emptyLine(),
    emptyLine(),
    emptyLine(),
    centred(doc.signature.signer, { bold: true, size: BODY_SIZE }),
  ];

  return layoutTable([left, right], [leftCell, rightCell]);
}

// ---------------------------------------------------------------------------------------------------------------
// Data tables

/** Width a column needs so that none of its words (nor words joined by no-break spaces) is broken across lines. */
function minColumnWidth(t: ReportTable, i: number): number {
  const longest = (text: string, bold: boolean): number =>
    Math.max(0, ...text.split(/[ \t\n]+/).map((w) => estimateTextWidth(w, TABLE_SIZE, bold)));
  const header = longest(t.columns[i] ?? "", true);
  const cells = Math.max(0, ...t.rows.map((r) => longest(r[i] ?? "", false)));
  return Math.max(header, cells) + 2 * DATA_CELL_MARGIN + 60;
}

/**
 * Column widths in twips from the relative `widths`, widened where a column would break a word (a narrow "STT"
 * column, a figure like 28.750.000) at the expense of the others, when the table is wide enough for that.
 */
function columnWidths(t: ReportTable, total: number): number[] {
  const n = Math.max(t.columns.length, ...t.rows.map((r) => r.length), 1);
  const rel = Array.from({ length: n }, (_, i) => {
    const w = t.widths?.[i];
    return w !== undefined && Number.isFinite(w) && w > 0 ? w : 1;
  });
  const sum = rel.reduce((a, b) => a + b, 0);
  let widths = rel.map((w) => (w / sum) * total);

  const mins = widths.map((_, i) => minColumnWidth(t, i));
  if (mins.reduce((a, b) => a + b, 0) <= total) {
    // Fix the columns that are too narrow at their minimum and share what is left among the others, in proportion;
    // repeat, as shrinking the others may take some of them below their own minimum.
    const fixed = new Set<number>();
    for (let round = 0; round < n; round++) {
      const short = widths.flatMap((w, i) => (!fixed.has(i) && w < (mins[i] ?? 0) ? [i] : []));
      if (short.length === 0) break;
      for (const i of short) fixed.add(i);
      const fixedSum = [...fixed].reduce((a, i) => a + (mins[i] ?? 0), 0);
      const freeRel = rel.reduce((a, r, i) => (fixed.has(i) ? a : a + r), 0);
      widths = rel.map((r, i) => (fixed.has(i) ? (mins[i] ?? 0) : (r / freeRel) * (total - fixedSum)));
    }
  }

  const out = widths.map((w) => Math.floor(w));
  const last = out.length - 1;
  out[last] = (out[last] ?? 0) + total - out.reduce((a, b) => a + b, 0);
  return out;
}

/** The paragraph style of a data table's cells: 13 pt, single-spaced, no indent, nothing before or after. */
const CELL_STYLE = "BangSoLieu";
const DATA_MARGINS: CellMargins = { top: 30, bottom: 30, left: DATA_CELL_MARGIN, right: DATA_CELL_MARGIN };

function dataCell(text: string, width: number, opts: { bold?: boolean; align: Align }): string {
  // Left is the style's own alignment (the document's default is justified).
  const props: ParagraphProps = { style: CELL_STYLE, align: opts.align === "left" ? undefined : opts.align };
  const paras = text.split("\n").map((line) => paragraph(props, run(line, { bold: opts.bold }, TABLE_SIZE)));
  return cell({ width, vAlign: "center" }, paras.join(""));
}

function dataTable(t: ReportTable, total: number): string {
  const widths = columnWidths(t, total);
  const numeric = new Set(t.numericColumns ?? []);
  // The running-number column ("STT") is centred, as clerks do.
  const counter = new Set(t.columns.flatMap((c, i) => (/^\s*(s\.?\s*)?tt\s*$|^\s*số\s+tt\s*$/i.test(c) ? [i] : [])));
  const n = widths.length;
  const pad = (cells: readonly string[]): string[] => Array.from({ length: n }, (_, i) => cells[i] ?? "");

  let rows = "";
  if (t.columns.length > 0) rows += row(pad(t.columns).map((c, i) => dataCell(c, widths[i] ?? 0, { bold: true, align: "center" })).join(""), true);
  for (const r of t.rows) {
    rows += row(pad(r).map((c, i) => dataCell(c, widths[i] ?? 0, { align: counter.has(i) ? "center" : numeric.has(i) ? "right" : "left" })).join(""));
  }
  // Every cell's padding, once for the table.
  return table({ width: total, columns: widths, borders: DATA_BORDERS, cellMargins: DATA_MARGINS }, rows);
}

/** A data table with its title above and its notes below, when it has them. */
function titledTable(t: ReportTable, total: number): string[] {
  const out: string[] = [];
  if (t.title?.trim()) {
    out.push(paragraph({ keepNext: true, spacing: single(80), indent: { firstLine: 0 }, align: "left" }, run(t.title, { bold: true, size: TABLE_SIZE })));
  }
  out.push(dataTable(t, total));
  for (const [i, note] of (t.notes ?? []).entries()) {
    out.push(paragraph({ spacing: single(0, i === 0 ? 80 : 0), indent: { firstLine: 0 }, align: "left" }, run(note, { italic: true, size: 12 })));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Body

/** Pictures of the document, in order: their relationship ids are given as they are met. */
interface Pictures {
  images: Array<{ rId: string; png: Uint8Array | Promise<Uint8Array> }>;
}

/** `room`: for a picture, the height left for it and its caption on the page it starts (see firstPageRoom). */
function renderBlock(b: Block, pictures: Pictures, room?: number): string[] {
  switch (b.kind) {
    case "heading": {
      const style: RunStyle = b.level === 3 ? { italic: true } : { bold: true };
      return [bodyParagraph(run(b.text, style), { keepNext: true, outlineLevel: b.level - 1 })];
    }
    case "paragraph":
      return [bodyParagraph(inlineRuns(b.runs))];
    case "bullets":
      return b.items.map((item) => bodyParagraph(run(`- ${item.replace(/^\s*-\s*/, "")}`)));
    case "table":
      // A table right after a paragraph needs a little air below it too.
      return [...titledTable(b.table, PORTRAIT_TEXT_WIDTH), spacer()];
    case "image":
      return imageParagraphs(b.image, pictures, room);
  }
}

/** Twips per pixel at 96 dpi, the unit docx sizes pictures in. */
const TWIPS_PER_PX = 15;
/** Leaves room on the page for the caption and the lines around a tall picture. */
const MAX_IMAGE_HEIGHT = A4.height - MARGINS.top - MARGINS.bottom - 2400;

/** A picture shrunk to fit what is left of a page keeps at least this share of the text's width. */
const MIN_WIDTH_SHARE = 0.5;

/**
 * A centred picture as wide as the text (less when it would be taller than a page) and its caption. Given the
 * `room` left on its page, a picture taller than that is shrunk to fit it while it stays at least half as wide as
 * the text: otherwise Word moves it whole to the next page and leaves this one mostly blank.
 */
function imageParagraphs(img: ImageBlock, pictures: Pictures, room?: number): string[] {
  const widthFit = PORTRAIT_TEXT_WIDTH / (img.width * TWIPS_PER_PX);
  let scale = Math.min(widthFit, MAX_IMAGE_HEIGHT / (img.height * TWIPS_PER_PX));
  const space = room === undefined ? undefined : room - imageExtras(img);
  if (space !== undefined && img.height * TWIPS_PER_PX * scale > space) {
    const fit = space / (img.height * TWIPS_PER_PX);
    if (fit >= widthFit * MIN_WIDTH_SHARE) scale = fit;
  }
  const rId = `rIdImage${pictures.images.length + 1}`;
  pictures.images.push({ rId, png: img.png });
  const name = img.caption ?? img.alt;
  const px = (v: number) => Math.round(v * scale) * TWIPS_PER_PX * EMU_PER_TWIP;
  const out = [
    paragraph(
      { keepNext: !!img.caption, spacing: { before: 120, after: img.caption ? 60 : AFTER }, indent: { firstLine: 0 }, align: "center" },
      picture({ rId, id: pictures.images.length, cx: px(img.width), cy: px(img.height), name, descr: img.alt }),
    ),
  ];
  if (img.caption) out.push(paragraph({ spacing: { before: 0, after: AFTER }, indent: { firstLine: 0 }, align: "center" }, run(img.caption, { italic: true, size: 12 })));
  return out;
}

/** Twips a picture's paragraph and caption take besides the picture (their spacing and the caption's line). */
function imageExtras(img: ImageBlock): number {
  return 120 + (img.caption ? 60 + linesOf(img.caption, 12, PORTRAIT_TEXT_WIDTH) * lineHeight(12) + AFTER : AFTER);
}

function spacer(): string {
  return paragraph({ spacing: { before: 0, after: 0, line: 120, rule: "exact" }, indent: { firstLine: 0 } }, run("", { size: 6 }));
}

/** The page number, centred (pages are numbered from the second: the first has an empty header). */
const PAGE_NUMBER = paragraph(
  { spacing: { before: 0, after: 0 }, indent: { firstLine: 0 }, align: "center" },
  ["begin", "", "separate", "end"]
    .map((kind) => {
      const props = `<w:rPr><w:sz w:val="${pt(HEADER_SIZE)}"/><w:szCs w:val="${pt(HEADER_SIZE)}"/></w:rPr>`;
      return kind ? `<w:r>${props}<w:fldChar w:fldCharType="${kind}"/></w:r>` : `<w:r>${props}<w:instrText xml:space="preserve">PAGE</w:instrText></w:r>`;
    })
    .join(""),
);
const EMPTY_HEADER = paragraph({ indent: { firstLine: 0 } }, "");

const PAGE = { width: A4.width, height: A4.height };
const PAGE_MARGINS = { ...MARGINS, header: mm(10), footer: mm(10) };

/** The draft as a .docx file. */
export async function renderDocx(doc: ReportDocument): Promise<Buffer> {
  const pictures: Pictures = { images: [] };
  const headers = [
    { rId: "rIdHeader1", paragraphs: PAGE_NUMBER },
    { rId: "rIdHeader2", paragraphs: EMPTY_HEADER },
  ];
  const main: string[] = [
    headerTable(doc.header),
    emptyLine(),
    centred(upper(doc.title || "BÁO CÁO"), { bold: true, size: BODY_SIZE }),
    centred(doc.subject, { bold: true, size: BODY_SIZE }),
    rule(
      Math.max(1200, Math.round(Math.min(PORTRAIT_TEXT_WIDTH, estimateTextWidth(doc.subject, BODY_SIZE, true)) * 0.4)),
      PORTRAIT_TEXT_WIDTH,
      240,
    ),
    ...doc.intro.map((p) => bodyParagraph(inlineRuns(p))),
    // A picture right after the opening is sized to the rest of the first page.
    ...doc.body.flatMap((b, i) => renderBlock(b, pictures, i === 0 && b.kind === "image" ? firstPageRoom(doc) : undefined)),
  ];
  // Kept with the signature block, which never splits across pages.
  if (doc.closing.trim()) main.push(bodyParagraph(run(doc.closing), { keepNext: true }));
  main.push(closingTable(doc));

  const first = sectionProps({ headers: { default: "rIdHeader1", first: "rIdHeader2" }, landscape: false, page: PAGE, margin: PAGE_MARGINS, startPage: 1, titlePage: true });
  let body: string;
  if (!doc.appendix) {
    body = main.join("") + first;
  } else {
    // The first section ends with an empty paragraph that carries its properties (it follows a table).
    body = main.join("") + paragraph({}, "", first);
    const a = doc.appendix;
    const landscape = a.landscape === true;
    const children: string[] = [centred(upper(a.title), { bold: true, size: BODY_SIZE })];
    if (a.subtitle?.trim()) children.push(centred(a.subtitle, { italic: true, size: BODY_SIZE }));
    const width = landscape ? LANDSCAPE_TEXT_WIDTH : PORTRAIT_TEXT_WIDTH;
    children.push(emptyLine(), ...titledTable(a.table, width));
    // Wide data is split into several tables of the same rows; each gets a small gap before it.
    for (const more of a.moreTables ?? []) children.push(emptyLine(), ...titledTable(more, width));
    headers.push({ rId: "rIdHeader3", paragraphs: PAGE_NUMBER });
    body += children.join("") + sectionProps({ headers: { default: "rIdHeader3" }, nextPage: true, landscape, page: PAGE, margin: PAGE_MARGINS, titlePage: false });
  }

  return packDocx({
    body,
    headers,
    images: pictures.images,
    styles: {
      font: FONT,
      bodySize: pt(BODY_SIZE),
      language: "vi-VN",
      body: { after: AFTER, line: LINE },
      cellStyle: { id: CELL_STYLE, name: "Bảng số liệu", size: pt(TABLE_SIZE) },
    },
    title: doc.subject,
    subject: doc.subject,
  });
}
