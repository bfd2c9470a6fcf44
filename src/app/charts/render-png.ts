// SVG → PNG in-process with resvg (Rust, prebuilt per platform inside its npm package), with only the
// chart's own fonts: the picture is the same on every machine, whatever fonts it has installed.
import { Resvg } from "@resvg/resvg-js";
import { CHART_FONT_FAMILY } from "../../core/charts/svg-chart.js";
import { FONT_FILES } from "./fonts.js";
import { encodePng } from "./png.js";

/** Renders an SVG at its own size to PNG bytes. */
export function renderPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    font: { fontFiles: [FONT_FILES.regular, FONT_FILES.bold], loadSystemFonts: false, defaultFontFamily: CHART_FONT_FAMILY },
    shapeRendering: 2,
    textRendering: 1,
  });
  const image = resvg.render();
  return encodePng(image.pixels, image.width, image.height);
}
