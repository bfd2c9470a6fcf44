import { loadPrompts } from "/work/main/src/config/load-prompts.js";
import { DEFAULT_PROMPTS } from "/work/main/src/paths.js";
import { drawChart } from "/work/main/src/app/charts/chart-service.js";
import { communeChart, provinceChart } from "/work/main/test/support/chart-inputs.js";
import { Resvg } from "@resvg/resvg-js";
import { FONT_FILES } from "/work/main/src/app/charts/fonts.js";
import { CHART_FONT_FAMILY } from "/work/main/src/core/charts/svg-chart.js";
import { encodePng } from "/work/main/src/app/charts/png.js";
import { deflateSync } from "node:zlib";
const prompts = loadPrompts(DEFAULT_PROMPTS);
await drawChart(communeChart(), prompts);
for (const [name, input] of [["commune", communeChart()], ["province", provinceChart()]] as const) {
  let t = performance.now();
  const charts = await drawChart(input as any, prompts);
  console.log(name, "drawChart total", (performance.now() - t).toFixed(0), "ms", charts.length);
  const svg = charts[0].svg;
  t = performance.now();
  const r = new Resvg(svg, { font: { fontFiles: [FONT_FILES.regular, FONT_FILES.bold], loadSystemFonts: false, defaultFontFamily: CHART_FONT_FAMILY }, shapeRendering: 2, textRendering: 1 });
  const t1 = performance.now();
  const img = r.render();
  const t2 = performance.now();
  const png = encodePng(img.pixels, img.width, img.height);
  const t3 = performance.now();
  const own = img.asPng();
  const t4 = performance.now();
  console.log(name, `new Resvg ${(t1-t).toFixed(0)} render ${(t2-t1).toFixed(0)} encode ${(t3-t2).toFixed(0)} (${png.length}) asPng ${(t4-t3).toFixed(0)} (${own.length})`);
  for (const level of [1, 6]) { const t5 = performance.now(); const p = deflateSync(Buffer.alloc(img.width*img.height*3, 255), { level }); console.log(" deflate white lvl", level, (performance.now()-t5).toFixed(0)); }
}
