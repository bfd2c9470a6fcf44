// Why one update costs more than its parts measured in a loop: the same call (reading the count answer the
// per-update samples send) timed back to back, and after the processor has run something else for a while (a
// busy wait, so no sleep or power state is involved). On a virtual machine the second is several times the
// first — caches and branch predictors go cold across the host's interruptions — and every update a bot handles
// comes after such a gap (its wait for the network), so its cost is the cold one.
import { loadPrompts } from "../../src/config/load-prompts.js";
import { readTogether } from "../../src/core/reading/read-step.js";
import { DEFAULT_PROMPTS } from "../../src/paths.js";
import { figure, median, type Figure } from "./figures.js";
import { FORM_ID } from "./world.js";

const GAP_MS = 1;

export function measureColdReading(section: string, text: string, samples: number): Figure {
  const prompts = loadPrompts(DEFAULT_PROMPTS);
  const form = prompts.forms.find((f) => f.id === FORM_ID)!;
  const part = form.sections.find((s) => s.together && s.together.length > 1)!;
  const fields = part.fields.filter((f) => part.together!.includes(f.id));
  const read = () => {
    const t0 = performance.now();
    const r = readTogether(part, fields, text, prompts.messages, form);
    if (!r.ok) throw new Error(`bench: "${text}" did not read: ${JSON.stringify(r)}`);
    return performance.now() - t0;
  };
  for (let i = 0; i < 2_000; i++) read();
  const warm = Array.from({ length: samples }, read);
  const cold = Array.from({ length: samples }, () => {
    const until = performance.now() + GAP_MS;
    while (performance.now() < until) {
      // busy: the processor stays awake, only time passes
    }
    return read();
  });
  return figure({
    id: "latency.cold-reading.median",
    section,
    name: `reading "${text}" after ${GAP_MS} ms of other work, median`,
    value: median(cold) * 1000,
    unit: "µs",
    note: "the same call as the baseline; the bot's every update comes after such a gap (for reference)",
    baselines: [{ name: "the same reading, back to back", value: median(warm) * 1000, unit: "µs" }],
  });
}
