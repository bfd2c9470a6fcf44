// The part of opentype.js (which ships no types) that the chart renderer uses: laying out text and reading the
// glyphs' outlines.
declare module "opentype.js" {
  export interface Glyph {
    index: number;
    advanceWidth: number;
    getPath(x: number, y: number, fontSize: number): Path;
  }
  export type PathCommand =
    | { type: "M" | "L"; x: number; y: number }
    | { type: "Q"; x1: number; y1: number; x: number; y: number }
    | { type: "C"; x1: number; y1: number; x2: number; y2: number; x: number; y: number }
    | { type: "Z" };
  export interface Path {
    /** In the y-down coordinates of SVG. */
    commands: PathCommand[];
  }
  /** The GPOS kerning lookups of a script (opaque here). */
  export type KerningLookups = unknown;
  export interface Font {
    unitsPerEm: number;
    charToGlyphIndex(ch: string): number;
    getKerningValue(left: number, right: number): number;
    position: {
      getDefaultScriptName(): string;
      getKerningTables(script: string, language?: string): KerningLookups | undefined;
      getKerningValue(lookups: KerningLookups, left: number, right: number): number;
    };
    glyphs: { get(index: number): Glyph };
    /** Calls back with each glyph of the shaped text and its pen position; returns the advance. */
    forEachGlyph(text: string, x: number, y: number, fontSize: number, options: { kerning?: boolean }, callback: (glyph: Glyph, x: number, y: number) => void): number;
  }
  export function parse(buffer: ArrayBuffer, options?: { lowMemory?: boolean }): Font;
  const opentype: { parse: typeof parse };
  export default opentype;
}
