// The chart's font: Noto Sans (regular and bold), shipped as TTF inside an npm package and read from
// node_modules, so every Vietnamese letter renders and nothing is fetched at run time. The same parsed faces
// measure the labels and draw them: each text is laid out here (opentype.js: shaping, kerning) and drawn as the
// glyphs' outlines, so what is measured is exactly what is drawn, the picture is the same on every machine, and
// the renderer needs no fonts at all (loading them cost resvg more than drawing the whole picture).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Font, PathCommand } from "opentype.js";
import type { TextMeasure, TextOutliner } from "../../core/charts/svg-chart.js";

const require = createRequire(import.meta.url);

export const FONT_FILES = {
  regular: require.resolve("@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf"),
  bold: require.resolve("@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf"),
} as const;

/** A text laid out at the em size: its glyphs and where each starts, and its advance, in font units. */
export interface Layout {
  glyphs: number[];
  xs: number[];
  advance: number;
}

/**
 * A glyph's outline as relative SVG path data in whole font units (a thousandth of the em: far finer than a
 * pixel), y pointing down, so that glyphs join into one path by a move between them: `first` is where its
 * outline starts and `end` where the pen rests after it (the start of its last contour), from its origin.
 */
interface GlyphOutline {
  body: string;
  first: [number, number];
  end: [number, number];
}

function glyphOutline(commands: PathCommand[]): GlyphOutline {
  const n = Math.round;
  let body = "";
  let first: [number, number] | undefined;
  // The pen and the start of the contour it is on, in whole units.
  let px = 0;
  let py = 0;
  let sx = 0;
  let sy = 0;
  const rel = (x: number, y: number) => `${n(x) - px} ${n(y) - py}`;
  for (const c of commands) {
    switch (c.type) {
      case "M":
        if (first) body += `m${rel(c.x, c.y)}`;
        else first = [n(c.x), n(c.y)];
        px = sx = n(c.x);
        py = sy = n(c.y);
        break;
      case "L":
        // The outlines repeat the point they are at as a line of no length: left out.
        if (n(c.x) !== px || n(c.y) !== py) body += `l${rel(c.x, c.y)}`;
        break;
      case "Q":
        body += `q${rel(c.x1, c.y1)} ${rel(c.x, c.y)}`;
        break;
      case "C":
        body += `c${rel(c.x1, c.y1)} ${rel(c.x2, c.y2)} ${rel(c.x, c.y)}`;
        break;
      case "Z":
        body += "z";
        px = sx;
        py = sy;
        continue;
    }
    if (c.type !== "M") {
      px = n(c.x);
      py = n(c.y);
    }
  }
  return { body, first: first ?? [0, 0], end: [px, py] };
}

/** The text laid out by opentype.js: its full shaping (substitutions and positioning), with kerning. */
export function shapedLayout(font: Font, text: string): Layout {
  const glyphs: number[] = [];
  const xs: number[] = [];
  const advance = font.forEachGlyph(text, 0, 0, font.unitsPerEm, { kerning: true }, (g, x) => {
    glyphs.push(g.index);
    xs.push(x);
  });
  return { glyphs, xs, advance };
}

/**
 * The same layout without shaping, for text whose every character has its own glyph and no combining mark
 * (Vietnamese in NFC, figures, punctuation): each character's glyph, its advance and the kerning with the next.
 * For such text the faces substitute nothing, so it equals shapedLayout (a test holds the two to each other),
 * at a twentieth of the time; undefined when the text needs shaping.
 */
export function simpleLayout(font: Font, text: string): Layout | undefined {
  if (/\p{M}/u.test(text)) return undefined;
  const indexes: number[] = [];
  for (const ch of text) {
    const i = font.charToGlyphIndex(ch);
    if (!i) return undefined;
    indexes.push(i);
  }
  const kerning = font.position.getKerningTables(font.position.getDefaultScriptName());
  const xs: number[] = [];
  let x = 0;
  for (let k = 0; k < indexes.length; k++) {
    xs.push(x);
    x += font.glyphs.get(indexes[k]!).advanceWidth;
    if (k < indexes.length - 1) x += kerning ? font.position.getKerningValue(kerning, indexes[k]!, indexes[k + 1]!) : font.getKerningValue(indexes[k]!, indexes[k + 1]!);
  }
  return { glyphs: indexes, xs, advance: x };
}

/** Laid-out texts kept per face; a chart measures the same labels many times (wrapping, every page). */
const MAX_LAYOUTS = 20_000;

/** One face: layouts and glyph outlines computed once, in font units. */
class Face {
  private readonly layouts = new Map<string, Layout>();
  private readonly outlines = new Map<number, GlyphOutline | undefined>();
  readonly unitsPerEm: number;

  constructor(
    private readonly font: Font,
    /** Prefix of the ids of this face's glyph definitions. */
    readonly id: string,
  ) {
    this.unitsPerEm = font.unitsPerEm;
  }

  /** NFC, kerning on: the simple layout when it applies (see simpleLayout), else opentype.js's shaping. */
  layout(text: string): Layout {
    let l = this.layouts.get(text);
    if (!l) {
      const nfc = text.normalize("NFC");
      l = simpleLayout(this.font, nfc) ?? shapedLayout(this.font, nfc);
      if (this.layouts.size >= MAX_LAYOUTS) this.layouts.clear();
      this.layouts.set(text, l);
    }
    return l;
  }

  /** A glyph's outline (none for a space). */
  outline(glyph: number): GlyphOutline | undefined {
    if (!this.outlines.has(glyph)) {
      const o = glyphOutline(this.font.glyphs.get(glyph).getPath(0, 0, this.unitsPerEm).commands);
      this.outlines.set(glyph, o.body === "" && o.first[0] === 0 && o.first[1] === 0 ? undefined : o);
    }
    return this.outlines.get(glyph);
  }
}

/** What a chart's texts are drawn with: their widths, and their outlines (TextOutliner). */
export type ChartFonts = TextMeasure & TextOutliner;

const round2 = (n: number): number => Math.round(n * 100) / 100;

function chartFonts(regular: Face, bold: Face): ChartFonts {
  const face = (b?: boolean) => (b ? bold : regular);
  return {
    width: (text, size, b) => {
      const f = face(b);
      return (f.layout(text).advance * size) / f.unitsPerEm;
    },
    outline(text, x, baseline, o) {
      const f = face(o.bold);
      const l = f.layout(text);
      const scale = o.size / f.unitsPerEm;
      const left = o.anchor === "end" ? x - l.advance * scale : o.anchor === "middle" ? x - (l.advance * scale) / 2 : x;
      // One path for the whole text: each glyph's outline, moved to from where the one before left the pen.
      let d = "";
      let px = 0;
      let py = 0;
      for (let i = 0; i < l.glyphs.length; i++) {
        const g = f.outline(l.glyphs[i]!);
        if (!g) continue;
        const ox = Math.round(l.xs[i]!);
        d += `${d ? "m" : "M"}${ox + g.first[0] - px} ${g.first[1] - py}${g.body}`;
        px = ox + g.end[0];
        py = g.end[1];
      }
      return d ? `<path transform="translate(${round2(left)} ${round2(baseline)}) scale(${scale})" fill="${o.fill}" d="${d}"/>` : "";
    },
  };
}

let faces: Promise<{ regular: Font; bold: Font }> | undefined;
let fonts: Promise<ChartFonts> | undefined;

/** Both faces as opentype.js parsed them, once, on the first chart rather than at start-up. */
export async function parsedFaces(): Promise<{ regular: Font; bold: Font }> {
  return (faces ??= (async () => {
    const { default: opentype } = await import("opentype.js");
    const parse = (file: string): Font => {
      const bytes = readFileSync(file);
      // Glyphs are read from the file when first used: a chart uses a few hundred of the faces' thousands, and
      // parsing them all held 25 MB of heap for nothing.
      return opentype.parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, { lowMemory: true });
    };
    return { regular: parse(FONT_FILES.regular), bold: parse(FONT_FILES.bold) };
  })());
}

async function load(): Promise<ChartFonts> {
  const f = await parsedFaces();
  return chartFonts(new Face(f.regular, "r"), new Face(f.bold, "b"));
}

/** The chart's faces: text widths (NFC-normalised, with kerning) and the outlines they are drawn with. */
export async function chartFontsLoaded(): Promise<ChartFonts> {
  return (fonts ??= load());
}

/** Text widths in the chart's font, NFC-normalised, with kerning. */
export async function fontMeasure(): Promise<TextMeasure> {
  return chartFontsLoaded();
}
