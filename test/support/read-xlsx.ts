// A minimal .xlsx reader for tests and CLI checks: understands what writeXlsx produces (and simple files from
// Excel/LibreOffice): shared strings, inline strings, formula string results, numbers, booleans (as 0/1).
// Each sheet is returned as a grid: the header row is row 0, empty cells are null, every row is padded to the
// sheet's width (the <dimension> or the widest row). No styles, dates or formulas are interpreted.

import { posix } from "node:path";
import JSZip from "jszip";
import type { Cell } from "../../src/core/export/xlsx.js";

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (m, e: string) => {
    if (e.startsWith("#x")) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith("#")) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? m;
  });
}

/** Text of <t> elements (runs concatenated, phonetic hints skipped), with Excel's "_xHHHH_" escapes decoded. */
function richText(xml: string): string {
  const body = xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, "");
  let out = "";
  for (const m of body.matchAll(/<t\b[^>]*?(?:\/>|>([\s\S]*?)<\/t>)/g)) out += decodeEntities(m[1] ?? "");
  return out.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function attr(attrs: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(attrs);
  if (!m) return undefined;
  return decodeEntities(m[1] ?? m[2] ?? "");
}

/** 0-based column and row of an "A1" reference. */
function parseRef(ref: string): { col: number; row: number } | undefined {
  const m = /^\$?([A-Za-z]{1,3})\$?(\d+)$/.exec(ref);
  if (!m || !m[1] || !m[2]) return undefined;
  let col = 0;
  for (const ch of m[1].toUpperCase()) col = col * 26 + (ch.charCodeAt(0) - 64);
  return { col: col - 1, row: Number(m[2]) - 1 };
}

async function part(zip: JSZip, path: string): Promise<string | undefined> {
  return zip.file(path)?.async("string");
}

/** Relationship id → package path, for the .rels of `source` (a path inside the package). */
async function relationships(zip: JSZip, source: string): Promise<Map<string, { type: string; path: string }>> {
  const dir = posix.dirname(source);
  const relsPath = posix.join(dir === "." ? "" : dir, "_rels", `${posix.basename(source)}.rels`);
  const xml = (await part(zip, relsPath)) ?? "";
  const out = new Map<string, { type: string; path: string }>();
  for (const m of xml.matchAll(/<Relationship\b([^>]*?)\/?>/g)) {
    const attrs = m[1] ?? "";
    const id = attr(attrs, "Id");
    const target = attr(attrs, "Target");
    if (!id || target === undefined || attr(attrs, "TargetMode") === "External") continue;
    const path = target.startsWith("/") ? target.slice(1) : posix.normalize(posix.join(dir, target));
    out.set(id, { type: attr(attrs, "Type") ?? "", path });
  }
  return out;
}

function cellValue(type: string | undefined, inner: string, shared: readonly string[]): Cell {
  const v = /<v\b[^>]*>([\s\S]*?)<\/v>/.exec(inner)?.[1];
  switch (type) {
    case "s":
      return v === undefined ? null : (shared[Number(v)] ?? null);
    case "inlineStr": {
      const is = /<is\b[^>]*>([\s\S]*?)<\/is>/.exec(inner)?.[1];
      return is === undefined ? null : richText(is);
    }
    case "str":
    case "e":
    case "d":
      return v === undefined ? null : decodeEntities(v);
    case "b":
      return v === undefined ? null : Number(v);
    default: {
      if (v === undefined || v.trim() === "") return null;
      const n = Number(v);
      return Number.isNaN(n) ? decodeEntities(v) : n;
    }
  }
}

function parseSheet(xml: string, shared: readonly string[]): Cell[][] {
  const grid: Cell[][] = [];
  let width = 0;
  let height = 0;
  const dim = /<dimension\b[^>]*\bref="([^"]*)"/.exec(xml)?.[1];
  const dimEnd = dim ? parseRef(dim.split(":").pop() ?? "") : undefined;
  if (dimEnd) {
    width = dimEnd.col + 1;
    height = dimEnd.row + 1;
  }

  let rowIndex = -1;
  for (const rm of xml.matchAll(/<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g)) {
    const r = attr(rm[1] ?? "", "r");
    rowIndex = r ? Number(r) - 1 : rowIndex + 1;
    let colIndex = -1;
    for (const cm of (rm[2] ?? "").matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attrs = cm[1] ?? "";
      const ref = attr(attrs, "r");
      const pos = ref ? parseRef(ref) : undefined;
      colIndex = pos ? pos.col : colIndex + 1;
      const value = cellValue(attr(attrs, "t"), cm[2] ?? "", shared);
      if (value === null) continue;
      const row = (grid[rowIndex] ??= []);
      row[colIndex] = value;
      width = Math.max(width, colIndex + 1);
      height = Math.max(height, rowIndex + 1);
    }
  }

  const out: Cell[][] = [];
  for (let r = 0; r < height; r++) {
    const src = grid[r] ?? [];
    out.push(Array.from({ length: width }, (_, c) => src[c] ?? null));
  }
  return out;
}

export async function readXlsx(buf: Buffer): Promise<Array<{ name: string; rows: Cell[][] }>> {
  const zip = await JSZip.loadAsync(buf);
  const rootRels = await relationships(zip, "");
  const workbookPath = [...rootRels.values()].find((r) => r.type.endsWith("/officeDocument"))?.path ?? "xl/workbook.xml";
  const workbook = await part(zip, workbookPath);
  if (workbook === undefined) throw new Error(`readXlsx: no workbook part (${workbookPath})`);
  const rels = await relationships(zip, workbookPath);

  const sstPath = [...rels.values()].find((r) => r.type.endsWith("/sharedStrings"))?.path;
  const sstXml = sstPath ? ((await part(zip, sstPath)) ?? "") : "";
  const shared = [...sstXml.matchAll(/<si\b[^>]*?(?:\/>|>([\s\S]*?)<\/si>)/g)].map((m) => richText(m[1] ?? ""));

  const sheets: Array<{ name: string; rows: Cell[][] }> = [];
  for (const m of workbook.matchAll(/<sheet\b([^>]*?)\/?>/g)) {
    const attrs = m[1] ?? "";
    const name = attr(attrs, "name") ?? "";
    const id = attr(attrs, "r:id");
    const path = id ? rels.get(id)?.path : undefined;
    const xml = path ? await part(zip, path) : undefined;
    if (xml === undefined) throw new Error(`readXlsx: sheet "${name}" has no worksheet part`);
    sheets.push({ name, rows: parseSheet(xml, shared) });
  }
  return sheets;
}
