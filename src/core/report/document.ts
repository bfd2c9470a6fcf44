// A platform- and library-neutral description of a Vietnamese administrative report (ND 30/2020 layout).
// Report builders produce this tree; renderDocx turns it into a .docx. Keeping the tree plain data lets
// tests assert on content without opening Word files and keeps WordprocessingML in one place (render-docx.ts).

/** A run of text inside a paragraph. */
export type Inline = string | { text: string; bold?: boolean; italic?: boolean };

export type Block =
  /** level 1: "I. KẾT QUẢ ..." bold uppercase; level 2: "1. Công tác ..." bold; level 3: "a) ..." italic */
  | { kind: "heading"; level: 1 | 2 | 3; text: string }
  /** A justified body paragraph with a first-line indent. */
  | { kind: "paragraph"; runs: Inline[] }
  /** Lines that each start with "- " in the body. */
  | { kind: "bullets"; items: string[] }
  | { kind: "table"; table: Table }
  /** A picture (a chart) across the text width, with its alt text and an optional italic caption under it. */
  | { kind: "image"; image: ImageBlock };

/** A PNG and its size in pixels; the renderer scales it to the text width, keeping its proportions. */
export interface ImageBlock {
  /** The bytes, or a picture still being drawn: the renderer lays out and compresses the rest meanwhile. */
  png: Uint8Array | Promise<Uint8Array>;
  width: number;
  height: number;
  /** Read aloud by screen readers and shown when the picture cannot be. */
  alt: string;
  caption?: string;
}

export interface Table {
  /** A line above the table (bold), e.g. "So sánh với tháng 11/2026". */
  title?: string;
  /** Header row, rendered bold. */
  columns: string[];
  rows: string[][];
  /** Relative column widths; defaults to equal widths. */
  widths?: number[];
  /** Columns (by index) whose cells are right-aligned, typically the figures. */
  numericColumns?: number[];
  /** Lines under the table (italic): what its signs mean, the base of its figures. */
  notes?: string[];
}

export interface ReportDocument {
  header: {
    /** e.g. "ỦY BAN MTTQ VIỆT NAM XÃ TÂN KHAI" (uppercase, not bold) */
    parentBody: string;
    /** e.g. "BAN CÔNG TÁC MẶT TRẬN ẤP BẾN ĐÒ" (uppercase, bold, short rule under it) */
    issuingBody: string;
    /** e.g. "Số:     /BC-MTTQ" */
    numberLine: string;
    /** e.g. "Tân Khai, ngày 24 tháng 11 năm 2026" (italic) */
    placeAndDate: string;
  };
  /** "BÁO CÁO" */
  title: string;
  /** "Kết quả công tác Mặt trận tháng 11/2026" */
  subject: string;
  /** Opening paragraphs before the numbered parts. */
  intro: Inline[][];
  body: Block[];
  /** "Trên đây là báo cáo ..../." */
  closing: string;
  /** Recipient lines without the leading "- ", e.g. ["Ban Thường trực UBMTTQ xã;", "Lưu: VT."] */
  recipients: string[];
  signature: {
    /** Uppercase bold lines, e.g. ["TM. BAN CÔNG TÁC MẶT TRẬN", "TRƯỞNG BAN"] */
    authority: string[];
    /** Signer's name (bold); the builders put a line to write it on when it is not known. */
    signer: string;
  };
  /** Optional appendix on its own page (PHỤ LỤC SỐ LIỆU). */
  appendix?: {
    title: string;
    subtitle?: string;
    table: Table;
    /** Continuation tables when one is too wide for the page (same rows, further columns). */
    moreTables?: Table[];
    /** Use a landscape section when the table is wide. */
    landscape?: boolean;
  };
}
