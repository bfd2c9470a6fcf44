// SVG → PNG in-process with resvg (Rust, prebuilt per platform inside its npm package), with only the
// chart's own fonts: the picture is the same on every machine, whatever fonts it has installed. The native module
// is loaded on the first chart, not at start-up (it takes the best part of a second on a busy machine).
import { CHART_FONT_FAMILY } from "../../core/charts/svg-chart.js";
import { FONT_FILES } from "./fonts.js";
import { encodePng } from "./png.js";

let library: Promise<typeof import("@resvg/resvg-js")> | undefined;

/** Renders an SVG at its own size to PNG bytes. */
export async function renderPng(svg: string): Promise<Buffer> {
  const { Resvg } = await (library ??= import("@resvg/resvg-js"));
  const resvg = new Resvg(svg, {
    font: { fontFiles: [FONT_FILES.regular, FONT_FILES.bold], loadSystemFonts: false, defaultFontFamily: CHART_FONT_FAMILY },
    shapeRendering: 2,
    textRendering: 1,
  });
  const image = resvg.render();
  return encodePng(image.pixels, image.width, image.height);
}
