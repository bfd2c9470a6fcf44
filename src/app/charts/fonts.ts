// The chart's font: Noto Sans (regular and bold), shipped as TTF inside an npm package and read from
// node_modules, so every Vietnamese letter renders and nothing is fetched at run time. The same parsed faces
// measure the labels and draw them: each text is laid out here (opentype.js: shaping, kerning) and drawn as the
// glyphs' outlines, so what is measured is exactly what is drawn, the picture is the same on every machine, and
// the renderer needs no fonts at all (loading them cost resvg more than drawing the whole picture).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Font, PathCommand } from "opentype.js";
import type { TextMeasure } from "../../core/charts/svg-chart.js";

const require = createRequire(import.meta.url);

export const FONT_FILES = {
  regular: require.resolve("@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf"),
  bold: require.resolve("@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf"),
} as const;

/** A text laid out at the em size: its glyphs and where each starts, and its advance, in font units. */
interface Layout {
  glyphs: number[];
  xs: number[];
  advance: number;
}

/** SVG path data of outline commands, in whole font units (a thousandth of the em: far finer than a pixel). */
function pathData(commands: PathCommand[]): string {
  const n = (v: number): string => String(Math.round(v));
  let d = "";
  let at = "";
  for (const c of commands) {
    switch (c.type) {
      case "Z":
        d += "Z";
        break;
      case "M":
        at = `${n(c.x)} ${n(c.y)}`;
        d += `M${at}`;
        break;
      case "L": {
        // The outlines repeat the point they are at as a line of no length: left out.
        const to = `${n(c.x)} ${n(c.y)}`;
        if (to !== at) d += `L${to}`;
        at = to;
        break;
      }
      case "Q":
        at = `${n(c.x)} ${n(c.y)}`;
        d += `Q${n(c.x1)} ${n(c.y1)} ${at}`;
        break;
      case "C":
        at = `${n(c.x)} ${n(c.y)}`;
        d += `C${n(c.x1)} ${n(c.y1)} ${n(c.x2)} ${n(c.y2)} ${at}`;
        break;
    }
  }
  return d;
}

/** Laid-out texts kept per face; a chart measures the same labels many times (wrapping, every page). */
const MAX_LAYOUTS = 20_000;

/** One face: layouts and glyph outlines computed once, in font units. */
class Face {
  private readonly layouts = new Map<string, Layout>();
  private readonly outlines = new Map<number, string>();
  readonly unitsPerEm: number;

  constructor(
    private readonly font: Font,
    /** Prefix of the ids of this face's glyph definitions. */
    readonly id: string,
  ) {
    this.unitsPerEm = font.unitsPerEm;
  }

  /** NFC, as the text is shaped; kerning on. */
  layout(text: string): Layout {
    let l = this.layouts.get(text);
    if (!l) {
      const glyphs: number[] = [];
      const xs: number[] = [];
      const advance = this.font.forEachGlyph(text.normalize("NFC"), 0, 0, this.unitsPerEm, { kerning: true }, (g, x) => {
        glyphs.push(g.index);
        xs.push(x);
      });
      l = { glyphs, xs, advance };
      if (this.layouts.size >= MAX_LAYOUTS) this.layouts.clear();
      this.layouts.set(text, l);
    }
    return l;
  }

  /** A glyph's outline as SVG path data in font units, y pointing down, origin on the baseline ("" for a space). */
  outline(glyph: number): string {
    let d = this.outlines.get(glyph);
    if (d === undefined) {
      d = pathData(this.font.glyphs.get(glyph).getPath(0, 0, this.unitsPerEm).commands);
      this.outlines.set(glyph, d);
    }
    return d;
  }
}

/** What a chart's texts are drawn with. */
export interface ChartFonts extends TextMeasure {
  /**
   * `<text>` as outlines: a group placed at (x, baseline) and scaled to `size`, with a `<use>` of each glyph; the
   * glyphs it uses are added to `used` (their definitions come from `defs`).
   */
  outline(text: string, x: number, baseline: number, o: { size: number; bold: boolean; anchor: "start" | "end" | "middle"; fill: string }, used: Set<string>): string;
  /** `<path>` definitions of the glyphs named in `used`. */
  defs(used: Set<string>): string;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

function chartFonts(regular: Face, bold: Face): ChartFonts {
  const face = (b?: boolean) => (b ? bold : regular);
  const byId = new Map([regular, bold].map((f) => [f.id, f]));
  return {
    width: (text, size, b) => {
      const f = face(b);
      return (f.layout(text).advance * size) / f.unitsPerEm;
    },
    outline(text, x, baseline, o, used) {
      const f = face(o.bold);
      const l = f.layout(text);
      const scale = o.size / f.unitsPerEm;
      const left = o.anchor === "end" ? x - l.advance * scale : o.anchor === "middle" ? x - (l.advance * scale) / 2 : x;
      let uses = "";
      for (let i = 0; i < l.glyphs.length; i++) {
        const g = l.glyphs[i]!;
        if (f.outline(g) === "") continue;
        const id = `${f.id}${g}`;
        used.add(id);
        uses += `<use href="#${id}" x="${Math.round(l.xs[i]!)}"/>`;
      }
      return uses ? `<g transform="translate(${round2(left)} ${round2(baseline)}) scale(${scale})" fill="${o.fill}">${uses}</g>` : "";
    },
    defs(used) {
      let out = "";
      for (const id of used) {
        const f = byId.get(id[0]!)!;
        out += `<path id="${id}" d="${f.outline(Number(id.slice(1)))}"/>`;
      }
      return out;
    },
  };
}

let fonts: Promise<ChartFonts> | undefined;

/** Both faces, parsed once, on the first chart rather than at start-up. */
async function load(): Promise<ChartFonts> {
  const { default: opentype } = await import("opentype.js");
  const parse = (file: string): Font => {
    const bytes = readFileSync(file);
    return opentype.parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  };
  return chartFonts(new Face(parse(FONT_FILES.regular), "r"), new Face(parse(FONT_FILES.bold), "b"));
}

/** The chart's faces: text widths (NFC-normalised, with kerning) and the outlines they are drawn with. */
export async function chartFontsLoaded(): Promise<ChartFonts> {
  return (fonts ??= load());
}

/** Text widths in the chart's font, NFC-normalised, with kerning. */
export async function fontMeasure(): Promise<TextMeasure> {
  return chartFontsLoaded();
}
