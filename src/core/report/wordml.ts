// WordprocessingML written as text: the few elements the drafts use (paragraphs, runs, tables, an inline
// picture, section properties), each with its properties in the order the schema requires. Writing the XML
// directly costs microseconds a table cell where an object model costs tens, which is most of a draft's time
// once it has an appendix of a hundred communes.
import { xmlSafe } from "../xml-text.js";

/** Text for XML content or an attribute: the forbidden characters dropped, the special ones escaped. */
export function esc(text: string): string {
  return xmlSafe(text).replace(/[&<>"]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&quot;"));
}

export type Align = "left" | "center" | "right" | "both";

export interface RunProps {
  bold?: boolean;
  italic?: boolean;
  /** Half-points; left out to take the paragraph style's. */
  halfPoints?: number;
}

/** `<w:rPr>` of a run or a style ("" when it has none). */
export function runProps(p: RunProps): string {
  let x = "";
  if (p.bold) x += "<w:b/><w:bCs/>";
  if (p.italic) x += "<w:i/><w:iCs/>";
  if (p.halfPoints !== undefined) x += `<w:sz w:val="${p.halfPoints}"/><w:szCs w:val="${p.halfPoints}"/>`;
  return x ? `<w:rPr>${x}</w:rPr>` : "";
}

/** A run of text, spaces kept. */
export function run(text: string, p: RunProps = {}): string {
  return `<w:r>${runProps(p)}<w:t xml:space="preserve">${esc(text)}</w:t></w:r>`;
}

export interface Spacing {
  before?: number;
  after?: number;
  line?: number;
  rule?: "auto" | "exact";
}

export interface ParagraphProps {
  style?: string;
  keepNext?: boolean;
  /** A bottom border (a short rule drawn under an empty paragraph), size in eighths of a point. */
  bottomBorder?: number;
  spacing?: Spacing;
  indent?: { left?: number; right?: number; firstLine?: number };
  align?: Align;
  /** 0-based, for the navigation pane. */
  outlineLevel?: number;
}

function attrs(values: Record<string, number | string | undefined>): string {
  let x = "";
  for (const [k, v] of Object.entries(values)) if (v !== undefined) x += ` ${k}="${v}"`;
  return x;
}

/** `<w:pPr>` children, in schema order. */
export function paragraphProps(p: ParagraphProps): string {
  let x = "";
  if (p.style) x += `<w:pStyle w:val="${p.style}"/>`;
  if (p.keepNext) x += "<w:keepNext/>";
  if (p.bottomBorder !== undefined) x += `<w:pBdr><w:bottom w:val="single" w:color="000000" w:sz="${p.bottomBorder}" w:space="0"/></w:pBdr>`;
  if (p.spacing) {
    const s = p.spacing;
    x += `<w:spacing${attrs({ "w:after": s.after, "w:before": s.before, "w:line": s.line, "w:lineRule": s.line === undefined ? undefined : (s.rule ?? "auto") })}/>`;
  }
  if (p.indent) x += `<w:ind${attrs({ "w:left": p.indent.left, "w:right": p.indent.right, "w:firstLine": p.indent.firstLine })}/>`;
  if (p.align) x += `<w:jc w:val="${p.align}"/>`;
  if (p.outlineLevel !== undefined) x += `<w:outlineLvl w:val="${p.outlineLevel}"/>`;
  return x;
}

/** A paragraph of runs (already written); `sectPr` ends a section with it. */
export function paragraph(p: ParagraphProps, runs: string, sectPr = ""): string {
  const props = paragraphProps(p) + sectPr;
  return `<w:p>${props ? `<w:pPr>${props}</w:pPr>` : ""}${runs}</w:p>`;
}

export type Border = { style: "none" } | { style: "single"; size: number };

function border(side: string, b: Border): string {
  return b.style === "none" ? `<w:${side} w:val="none" w:color="auto" w:sz="0"/>` : `<w:${side} w:val="single" w:color="000000" w:sz="${b.size}"/>`;
}

export interface CellMargins {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

function margins(tag: string, m: CellMargins): string {
  return `<w:${tag}><w:top w:type="dxa" w:w="${m.top}"/><w:left w:type="dxa" w:w="${m.left}"/><w:bottom w:type="dxa" w:w="${m.bottom}"/><w:right w:type="dxa" w:w="${m.right}"/></w:${tag}>`;
}

export interface TableProps {
  width: number;
  columns: readonly number[];
  borders: Border;
  /** Every cell's padding, unless a cell has its own. */
  cellMargins?: CellMargins;
}

/** A fixed-layout table of rows (already written). */
export function table(p: TableProps, rows: string): string {
  const sides = ["top", "left", "bottom", "right", "insideH", "insideV"].map((s) => border(s, p.borders)).join("");
  const grid = p.columns.map((w) => `<w:gridCol w:w="${w}"/>`).join("");
  return (
    `<w:tbl><w:tblPr><w:tblW w:type="dxa" w:w="${p.width}"/><w:tblBorders>${sides}</w:tblBorders><w:tblLayout w:type="fixed"/>` +
    `${p.cellMargins ? margins("tblCellMar", p.cellMargins) : ""}</w:tblPr><w:tblGrid>${grid}</w:tblGrid>${rows}</w:tbl>`
  );
}

/** A row that never splits across pages; a header row is repeated on each page. */
export function row(cells: string, header = false): string {
  return `<w:tr><w:trPr><w:cantSplit/>${header ? "<w:tblHeader/>" : ""}</w:trPr>${cells}</w:tr>`;
}

export interface CellProps {
  width: number;
  vAlign: "top" | "center";
  /** No border on any side (the layout tables). */
  noBorders?: boolean;
  margins?: CellMargins;
}

/** A cell of paragraphs (already written; a cell needs at least one). */
export function cell(p: CellProps, paragraphs: string): string {
  const none: Border = { style: "none" };
  const borders = p.noBorders ? `<w:tcBorders>${["top", "left", "bottom", "right"].map((s) => border(s, none)).join("")}</w:tcBorders>` : "";
  return `<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="${p.width}"/>${borders}${p.margins ? margins("tcMar", p.margins) : ""}<w:vAlign w:val="${p.vAlign}"/></w:tcPr>${paragraphs || "<w:p/>"}</w:tc>`;
}

/** EMU (English Metric Units) per twip: pictures are sized in EMU. */
export const EMU_PER_TWIP = 635;

/** An inline picture, `rId` its relationship, `id` unique in the document. */
export function picture(o: { rId: string; id: number; cx: number; cy: number; name: string; descr: string }): string {
  const name = esc(o.name);
  const descr = esc(o.descr);
  return (
    `<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="${o.cx}" cy="${o.cy}"/>` +
    `<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:docPr id="${o.id}" name="${name}" descr="${descr}" title="${name}"/>` +
    `<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>` +
    `<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>` +
    `<pic:nvPicPr><pic:cNvPr id="${o.id}" name="${name}" descr="${descr}"/><pic:cNvPicPr><a:picLocks noChangeAspect="1" noChangeArrowheads="1"/></pic:cNvPicPr></pic:nvPicPr>` +
    `<pic:blipFill><a:blip r:embed="${o.rId}"/><a:srcRect/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>` +
    `<pic:spPr bwMode="auto"><a:xfrm><a:off x="0" y="0"/><a:ext cx="${o.cx}" cy="${o.cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>` +
    `</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>`
  );
}

export interface SectionProps {
  headers: { default: string; first?: string };
  /** Starts on a new page (every section but the first). */
  nextPage?: boolean;
  landscape: boolean;
  /** A4 in twips, portrait. */
  page: { width: number; height: number };
  margin: { top: number; right: number; bottom: number; left: number; header: number; footer: number };
  /** Pages numbered from this one (the first section). */
  startPage?: number;
  /** The first page has its own header. */
  titlePage: boolean;
}

/** `<w:sectPr>`: the last paragraph of a section carries it, the last section's closes the body. */
export function sectionProps(s: SectionProps): string {
  const [w, h] = s.landscape ? [s.page.height, s.page.width] : [s.page.width, s.page.height];
  const m = s.margin;
  return (
    `<w:sectPr><w:headerReference w:type="default" r:id="${s.headers.default}"/>` +
    (s.headers.first ? `<w:headerReference w:type="first" r:id="${s.headers.first}"/>` : "") +
    (s.nextPage ? '<w:type w:val="nextPage"/>' : "") +
    `<w:pgSz w:w="${w}" w:h="${h}" w:orient="${s.landscape ? "landscape" : "portrait"}"/>` +
    `<w:pgMar w:top="${m.top}" w:right="${m.right}" w:bottom="${m.bottom}" w:left="${m.left}" w:header="${m.header}" w:footer="${m.footer}" w:gutter="0"/>` +
    (s.startPage !== undefined ? `<w:pgNumType w:start="${s.startPage}"/>` : "") +
    (s.titlePage ? "<w:titlePg/>" : "") +
    '<w:docGrid w:linePitch="360"/></w:sectPr>'
  );
}
