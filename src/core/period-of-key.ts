// A stored period key back to its period, for every kind: calendar kinds and weeks from the key alone, a
// campaign ("2026-C") from its form's window, a round ("R12") from the stored rounds.
import { campaignSpec } from "./forms/form-periods.js";
import type { FormDef } from "./forms/schema.js";
import { campaignOf, parsePeriodKey, type Period } from "./periods.js";
import { periodOfRound } from "./rounds.js";
import type { World } from "./world.js";

/** The period a key of `form` stands for; undefined for a key it cannot have (or a round never opened). */
export function periodOfKey(world: Pick<World, "round" | "rounds">, form: FormDef, key: string): Period | undefined {
  const k = key.trim();
  const round = /^R(\d{1,9})$/.exec(k);
  if (round) return form.period.kind === "round" ? periodOfRound(world, form, Number(round[1])) : undefined;
  const campaign = /^(\d{4})-C$/.exec(k);
  if (campaign) {
    const spec = campaignSpec(form);
    return spec ? campaignOf(spec, Number(campaign[1])) : undefined;
  }
  return parsePeriodKey(k);
}
