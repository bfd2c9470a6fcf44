// Reads the visible text of a .docx back: one line per paragraph, a table row as one line with its cells joined
// by " | " (the paragraphs of a cell joined by a space). Empty paragraphs are left out. Used by tests and the CLI.

import JSZip from "jszip";

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

export function decodeXmlEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (m, e: string) => {
    if (e.startsWith("#x")) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith("#")) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? m;
  });
}

/** A container collecting paragraph texts: the body, or a table cell. */
interface Cell {
  paragraphs: string[];
}
interface TableCtx {
  row: string[] | null;
}

/** Visible text of a WordprocessingML part (word/document.xml, a header, ...). */
export function wordXmlText(xml: string): string {
  const lines: string[] = [];
  const cells: Cell[] = []; // open table cells, innermost last
  const tables: TableCtx[] = [];
  let para: string | null = null;

  const emit = (text: string): void => {
    const cell = cells[cells.length - 1];
    if (cell) cell.paragraphs.push(text);
    else lines.push(text);
  };

  const tag = /<(\/?)(w:p|w:pPr|w:rPr|w:tbl|w:tr|w:tc|w:t|w:tab|w:br|w:cr|w:noBreakHyphen)(?=[\s/>])([^>]*?)(\/?)>/g;
  let m: RegExpExecArray | null;
  while ((m = tag.exec(xml)) !== null) {
    const closing = m[1] === "/";
    const name = m[2];
    const selfClosing = m[4] === "/";
    if (!closing && !selfClosing && (name === "w:pPr" || name === "w:rPr")) {
      // Properties hold tab stops (<w:tab w:val=...>) and such, never text: skip them whole.
      const end = xml.indexOf(`</${name}>`, tag.lastIndex);
      if (end >= 0) tag.lastIndex = end + name.length + 3;
      continue;
    }
    switch (name) {
      case "w:p":
        if (selfClosing) emit("");
        else if (!closing) para = "";
        else {
          emit(para ?? "");
          para = null;
        }
        break;
      case "w:t":
        if (!closing && !selfClosing) {
          const end = xml.indexOf("</w:t>", tag.lastIndex);
          if (end < 0) break;
          const text = decodeXmlEntities(xml.slice(tag.lastIndex, end));
          if (para !== null) para += text;
          tag.lastIndex = end + "</w:t>".length;
        }
        break;
      case "w:tab":
        if (!closing && para !== null) para += "\t";
        break;
      case "w:br":
      case "w:cr":
        if (!closing && para !== null) para += "\n";
        break;
      case "w:noBreakHyphen":
        if (!closing && para !== null) para += "-";
        break;
      case "w:tbl":
        if (!closing && !selfClosing) tables.push({ row: null });
        else if (closing) tables.pop();
        break;
      case "w:tr": {
        const t = tables[tables.length - 1];
        if (!t || selfClosing) break;
        if (!closing) t.row = [];
        else {
          if (t.row && t.row.some((c) => c !== "")) emit(t.row.join(" | "));
          t.row = null;
        }
        break;
      }
      case "w:tc": {
        if (selfClosing) break;
        if (!closing) cells.push({ paragraphs: [] });
        else {
          const cell = cells.pop();
          const text = (cell?.paragraphs ?? [])
            .map((p) => p.trim())
            .filter((p) => p !== "")
            .join(" ");
          tables[tables.length - 1]?.row?.push(text);
        }
        break;
      }
    }
  }
  return lines.filter((l) => l.trim() !== "").join("\n");
}

export async function docxText(buf: Buffer | Uint8Array): Promise<string> {
  const zip = await JSZip.loadAsync(buf);
  const part = zip.file("word/document.xml");
  if (!part) throw new Error("not a Word document: word/document.xml is missing");
  return wordXmlText(await part.async("string"));
}
