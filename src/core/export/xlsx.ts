// A small .xlsx (Office Open XML SpreadsheetML) writer: one header row per sheet (bold, light fill, frozen),
// strings as shared strings, numbers as numeric cells (integers shown as "#,##0", other numbers as "#,##0.0"),
// column widths given or estimated from the content. The output is deterministic for the same input
// (fixed zip dates, no timestamps in docProps). Opens in Excel and LibreOffice.

import { zip, type ZipEntry } from "../zip.js";
import { xmlSafe } from "../xml-text.js";

export type Cell = string | number | null;

export interface Sheet {
  name: string;
  columns: Array<{ header: string; width?: number }>;
  rows: Cell[][];
}

/** Excel's limits. */
export const MAX_SHEET_NAME_LENGTH = 31;
export const MAX_CELL_TEXT_LENGTH = 32_767;
const MAX_ROWS = 1_048_576;
const MAX_COLUMNS = 16_384;

/** Indices into <cellXfs> of styles.xml (see STYLES_XML). */
export const STYLE = { default: 0, header: 1, integer: 2, decimal: 3, wrap: 4 } as const;
/** Custom number format for non-integers (ids below 164 are built in; 3 is "#,##0"). */
export const DECIMAL_FORMAT = "#,##0.0";

const NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships";
const REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

// ---------------------------------------------------------------------------------------------------------------
// Text

/** Cuts `s` to at most `max` UTF-16 code units without splitting a surrogate pair. */
function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = max;
  const last = s.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
  return s.slice(0, cut);
}

function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function escapeAttr(s: string): string {
  return escapeXml(s).replace(/"/g, "&quot;").replace(/'/g, "&apos;").replace(/\n/g, "&#10;").replace(/\t/g, "&#9;");
}

/** Already-cleaned text for element content. Excel reads "_xHHHH_" as an escaped character, so protect such text. */
function escapeCellText(s: string): string {
  return escapeXml(s.replace(/_(?=x[0-9A-Fa-f]{4}_)/g, "_x005F_"));
}

function textElement(s: string): string {
  const preserve = s !== s.trim() || /[\t\n]| {2}/.test(s);
  return preserve ? `<t xml:space="preserve">${escapeCellText(s)}</t>` : `<t>${escapeCellText(s)}</t>`;
}

// ---------------------------------------------------------------------------------------------------------------
// Sheet names

const SHEET_NAME_REPLACEMENTS: Record<string, string> = { "/": "-", "\\": "-", ":": "-", "[": "(", "]": ")", "*": "", "?": "" };

/**
 * Makes sheet names acceptable to Excel: NFC, no control characters, none of []:*?/\ (slashes and colons become
 * "-", brackets become parentheses, * and ? are dropped), no leading/trailing apostrophe or whitespace, not empty
 * ("Sheet1", ...), not the reserved "History", at most 31 characters, and unique ignoring case (" (2)", ...).
 */
export function sanitizeSheetNames(names: readonly string[]): string[] {
  const used = new Set<string>();
  const key = (s: string): string => s.toLocaleLowerCase("vi");
  return names.map((raw, i) => {
    let name = xmlSafe(raw.normalize("NFC"))
      .replace(/[\t\n]/g, " ")
      .replace(/[/\\:[\]*?]/g, (c) => SHEET_NAME_REPLACEMENTS[c] ?? "")
      .replace(/\s+/g, " ")
      .replace(/^[\s']+|[\s']+$/g, "");
    if (name === "") name = `Sheet${i + 1}`;
    if (key(name) === "history") name = `${name} (1)`;
    const fit = (base: string, suffix: string): string =>
      truncate(base, MAX_SHEET_NAME_LENGTH - suffix.length).replace(/[\s']+$/, "") + suffix;
    let candidate = fit(name, "");
    for (let n = 2; used.has(key(candidate)); n++) candidate = fit(name, ` (${n})`);
    used.add(key(candidate));
    return candidate;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Cells

/** "A", "B", ..., "Z", "AA", ... for a 0-based column index. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** Approximate displayed length in characters (for column widths). */
function displayLength(cell: Cell): number {
  if (cell === null) return 0;
  if (typeof cell === "number") {
    if (!Number.isFinite(cell)) return String(cell).length;
    return (Number.isInteger(cell) ? cell.toLocaleString("en-US") : cell.toLocaleString("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 })).length;
  }
  let max = 0;
  for (const line of cell.normalize("NFC").split(/\r\n?|\n/)) max = Math.max(max, [...line].length);
  return max;
}

function columnWidth(sheet: Sheet, col: number): number {
  const given = sheet.columns[col]?.width;
  if (given !== undefined && Number.isFinite(given) && given > 0) return Math.min(given, 255);
  let len = displayLength(sheet.columns[col]?.header ?? null) + 1; // header is bold
  for (const row of sheet.rows) len = Math.max(len, displayLength(row[col] ?? null));
  return Math.min(Math.max(len + 2, 8), 60);
}

class SharedStrings {
  private readonly index = new Map<string, number>();
  readonly list: string[] = [];
  count = 0;

  add(s: string): number {
    this.count++;
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.list.length;
      this.index.set(s, i);
      this.list.push(s);
    }
    return i;
  }

  xml(): string {
    const items = this.list.map((s) => `<si>${textElement(s)}</si>`).join("");
    return `${XML_DECL}<sst xmlns="${NS_MAIN}" count="${this.count}" uniqueCount="${this.list.length}">${items}</sst>`;
  }
}

/**
 * One <c> element, or "" for an empty cell. Strings are cleaned (see xmlSafe) and cut to Excel's 32,767
 * characters; an empty string is an empty cell. NaN and ±Infinity cannot be numeric cells and are written as text.
 */
function cellXml(ref: string, value: Cell, sst: SharedStrings, header: boolean): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" && Number.isFinite(value)) {
    const style = header ? STYLE.header : Number.isInteger(value) ? STYLE.integer : STYLE.decimal;
    return `<c r="${ref}" s="${style}"><v>${String(value)}</v></c>`;
  }
  const text = truncate(xmlSafe(String(value)), MAX_CELL_TEXT_LENGTH);
  if (text === "") return "";
  const style = header ? STYLE.header : text.includes("\n") ? STYLE.wrap : STYLE.default;
  const s = style === STYLE.default ? "" : ` s="${style}"`;
  return `<c r="${ref}"${s} t="s"><v>${sst.add(text)}</v></c>`;
}

function worksheetXml(sheet: Sheet, sst: SharedStrings, selected: boolean): string {
  const hasHeader = sheet.columns.length > 0;
  const allRows: Array<{ cells: readonly Cell[]; header: boolean }> = [];
  if (hasHeader) allRows.push({ cells: sheet.columns.map((c) => c.header), header: true });
  for (const cells of sheet.rows) allRows.push({ cells, header: false });
  if (allRows.length > MAX_ROWS) throw new RangeError(`Sheet "${sheet.name}": ${allRows.length} rows exceed Excel's ${MAX_ROWS}`);

  let width = sheet.columns.length;
  for (const row of sheet.rows) width = Math.max(width, row.length);
  if (width > MAX_COLUMNS) throw new RangeError(`Sheet "${sheet.name}": ${width} columns exceed Excel's ${MAX_COLUMNS}`);
  const letters = Array.from({ length: width }, (_, i) => columnLetter(i));

  const rowsXml: string[] = [];
  allRows.forEach(({ cells, header }, r) => {
    const rowNo = r + 1;
    let cellsXml = "";
    cells.forEach((value, c) => {
      cellsXml += cellXml(`${letters[c]}${rowNo}`, value, sst, header);
    });
    if (cellsXml !== "") rowsXml.push(`<row r="${rowNo}">${cellsXml}</row>`);
  });

  const dimension = width === 0 || allRows.length === 0 ? "A1" : `A1:${letters[width - 1]}${allRows.length}`;
  const tab = selected ? ' tabSelected="1"' : "";
  const view = hasHeader
    ? `<sheetView${tab} workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>` +
      `<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView>`
    : `<sheetView${tab} workbookViewId="0"/>`;
  const cols =
    width === 0
      ? ""
      : `<cols>${letters.map((_, i) => {
          const w = Math.round(columnWidth(sheet, i) * 100) / 100;
          return `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`;
        }).join("")}</cols>`;

  return (
    `${XML_DECL}<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
    `<dimension ref="${dimension}"/><sheetViews>${view}</sheetViews>` +
    `<sheetFormatPr defaultRowHeight="15"/>${cols}` +
    (rowsXml.length ? `<sheetData>${rowsXml.join("")}</sheetData>` : "<sheetData/>") +
    `<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>` +
    `</worksheet>`
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Package parts

const STYLES_XML =
  `${XML_DECL}<styleSheet xmlns="${NS_MAIN}">` +
  `<numFmts count="1"><numFmt numFmtId="164" formatCode="${escapeAttr(DECIMAL_FORMAT)}"/></numFmts>` +
  `<fonts count="2">` +
  `<font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>` +
  `<font><b/><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>` +
  `</fonts>` +
  `<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>` +
  `<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/><bgColor indexed="64"/></patternFill></fill></fills>` +
  `<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
  `<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
  `<cellXfs count="5">` +
  `<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` + // 0 default
  `<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1">` +
  `<alignment vertical="center" wrapText="1"/></xf>` + // 1 header
  `<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` + // 2 integer "#,##0"
  `<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` + // 3 decimal
  `<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>` + // 4 multi-line text
  `</cellXfs>` +
  `<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
  `<dxfs count="0"/><tableStyles count="0"/>` +
  `</styleSheet>`;

function contentTypesXml(sheetCount: number): string {
  const sheets = Array.from(
    { length: sheetCount },
    (_, i) =>
      `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
  ).join("");
  return (
    `${XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
    `<Default Extension="xml" ContentType="application/xml"/>` +
    `<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
    sheets +
    `<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
    `<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>` +
    `<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
    `<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>` +
    `</Types>`
  );
}

const ROOT_RELS_XML =
  `${XML_DECL}<Relationships xmlns="${NS_PKG_REL}">` +
  `<Relationship Id="rId1" Type="${REL_TYPE}/officeDocument" Target="xl/workbook.xml"/>` +
  `<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
  `<Relationship Id="rId3" Type="${REL_TYPE}/extended-properties" Target="docProps/app.xml"/>` +
  `</Relationships>`;

function workbookXml(names: readonly string[]): string {
  const sheets = names.map((n, i) => `<sheet name="${escapeAttr(n)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join("");
  return (
    `${XML_DECL}<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
    `<bookViews><workbookView activeTab="0"/></bookViews><sheets>${sheets}</sheets></workbook>`
  );
}

function workbookRelsXml(sheetCount: number): string {
  const sheets = Array.from(
    { length: sheetCount },
    (_, i) => `<Relationship Id="rId${i + 1}" Type="${REL_TYPE}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
  ).join("");
  return (
    `${XML_DECL}<Relationships xmlns="${NS_PKG_REL}">${sheets}` +
    `<Relationship Id="rId${sheetCount + 1}" Type="${REL_TYPE}/styles" Target="styles.xml"/>` +
    `<Relationship Id="rId${sheetCount + 2}" Type="${REL_TYPE}/sharedStrings" Target="sharedStrings.xml"/>` +
    `</Relationships>`
  );
}

function coreXml(title: string | undefined): string {
  const t = title === undefined ? "" : xmlSafe(title);
  return (
    `${XML_DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
    `xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ` +
    `xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    (t ? `<dc:title>${escapeXml(t)}</dc:title>` : "") +
    `</cp:coreProperties>`
  );
}

function appXml(names: readonly string[]): string {
  const titles = names.map((n) => `<vt:lpstr>${escapeXml(n)}</vt:lpstr>`).join("");
  return (
    `${XML_DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" ` +
    `xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">` +
    `<Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>` +
    `<HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant>` +
    `<vt:variant><vt:i4>${names.length}</vt:i4></vt:variant></vt:vector></HeadingPairs>` +
    `<TitlesOfParts><vt:vector size="${names.length}" baseType="lpstr">${titles}</vt:vector></TitlesOfParts>` +
    `<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>` +
    `<AppVersion>16.0300</AppVersion></Properties>`
  );
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * Writes a workbook with one worksheet per `Sheet`. Row 1 holds the column headers (when there are columns);
 * `rows` follow from row 2. Sheet names are sanitised (see sanitizeSheetNames). At least one sheet is required.
 */
export async function writeXlsx(sheets: Sheet[], opts?: { title?: string }): Promise<Buffer> {
  if (sheets.length === 0) throw new Error("writeXlsx: a workbook needs at least one sheet");
  const names = sanitizeSheetNames(sheets.map((s) => s.name));
  const sst = new SharedStrings();
  const worksheets = sheets.map((sheet, i) => worksheetXml(sheet, sst, i === 0));

  const entries: ZipEntry[] = [];
  const add = (path: string, data: string): void => {
    entries.push({ path, data });
  };
  add("[Content_Types].xml", contentTypesXml(sheets.length));
  add("_rels/.rels", ROOT_RELS_XML);
  add("docProps/core.xml", coreXml(opts?.title));
  add("docProps/app.xml", appXml(names));
  add("xl/workbook.xml", workbookXml(names));
  add("xl/_rels/workbook.xml.rels", workbookRelsXml(sheets.length));
  add("xl/styles.xml", STYLES_XML);
  add("xl/sharedStrings.xml", sst.xml());
  worksheets.forEach((xml, i) => add(`xl/worksheets/sheet${i + 1}.xml`, xml));

  return zip(entries);
}
