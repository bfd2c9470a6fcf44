// "<khu>" in a command: an area (or any reporting unit) named by its number in /tiendo, its code, or its name
// typed with or without diacritics ("ben do" for "Ấp Bến Đò"), and the words after it.
import { foldText } from "../numbers/normalize.js";
import type { Unit } from "../types.js";

/** The unit named at the start of `args` among `units` (numbered from 1 in their order), and the rest. */
export function matchArea(units: Unit[], args: string): { area: Unit; rest: string } | undefined {
  const words = args.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return undefined;
  const first = words[0]!;
  if (/^\d+$/.test(first) && Number(first) >= 1 && Number(first) <= units.length) {
    return { area: units[Number(first) - 1]!, rest: words.slice(1).join(" ") };
  }
  const byCode = units.find((a) => a.code === first);
  if (byCode) return { area: byCode, rest: words.slice(1).join(" ") };
  for (let k = Math.min(words.length, 6); k >= 1; k--) {
    const phrase = foldText(words.slice(0, k).join(" "));
    const hit = units.find((a) => {
      const name = foldText(a.name);
      return name === phrase || name.endsWith(` ${phrase}`);
    });
    if (hit) return { area: hit, rest: words.slice(k).join(" ") };
  }
  return undefined;
}
