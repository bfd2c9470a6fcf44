// The chart's font: Noto Sans (regular and bold), shipped as TTF inside an npm package and read from
// node_modules, so every Vietnamese letter renders and nothing is fetched at run time. The same files measure
// the labels (opentype.js) and render them (resvg), so what is measured is what is drawn.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Font } from "opentype.js";
import type { TextMeasure } from "../../core/charts/svg-chart.js";

const require = createRequire(import.meta.url);

export const FONT_FILES = {
  regular: require.resolve("@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf"),
  bold: require.resolve("@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf"),
} as const;

let fonts: Promise<{ regular: Font; bold: Font }> | undefined;

/** Both faces, parsed once, on the first chart rather than at start-up. */
async function load(): Promise<{ regular: Font; bold: Font }> {
  const { default: opentype } = await import("opentype.js");
  const parse = (file: string): Font => {
    const bytes = readFileSync(file);
    return opentype.parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  };
  return { regular: parse(FONT_FILES.regular), bold: parse(FONT_FILES.bold) };
}

/** Text widths in the chart's font, NFC-normalised as resvg shapes it, with kerning. */
export async function fontMeasure(): Promise<TextMeasure> {
  const f = await (fonts ??= load());
  return {
    width: (text, size, bold) => (bold ? f.bold : f.regular).getAdvanceWidth(text.normalize("NFC"), size, { kerning: true }),
  };
}
