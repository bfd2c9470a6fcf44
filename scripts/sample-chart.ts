// Draws the sample charts (the same inputs as test/unit/charts.test.ts) so a person can look at them:
//   npx tsx scripts/sample-chart.ts /tmp/charts      → commune.png, one-area.png, thirty.png, zeros.png, district.png, province*.png
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadPrompts } from "../src/config/load-prompts.js";
import { DEFAULT_PROMPTS } from "../src/paths.js";
import { drawChart } from "../src/app/charts/chart-service.js";
import { communeChart, districtChart, oneAreaChart, provinceChart, thirtyAreasChart, zerosChart } from "../test/support/chart-inputs.js";

const dir = process.argv[2] ?? "charts";
mkdirSync(dir, { recursive: true });
const prompts = loadPrompts(DEFAULT_PROMPTS);
const samples = { commune: communeChart(), "one-area": oneAreaChart(), thirty: thirtyAreasChart(), zeros: zerosChart(), district: districtChart(), province: provinceChart() };
for (const [name, input] of Object.entries(samples)) {
  const t = Date.now();
  (await drawChart(input, prompts)).forEach((chart, i) => {
    const file = `${name}${i > 0 ? `-${i + 1}` : ""}`;
    writeFileSync(join(dir, `${file}.png`), chart.png);
    writeFileSync(join(dir, `${file}.svg`), chart.svg);
    process.stdout.write(`${file}.png ${chart.width}×${chart.height} ${Math.round(chart.png.length / 1024)} KB ${Date.now() - t} ms\n`);
  });
}
