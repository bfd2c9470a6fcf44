// ASCII slugs of round names and campaign titles for file names ("Tiếp xúc cử tri…" → "tiep-xuc-cu-tri…").
import { foldPeriodText } from "./period-words.js";

/** Lower-case ASCII words joined by "-", cut at a word boundary to at most `max` characters. */
export function fileSlugOf(text: string, max: number): string {
  const words = foldPeriodText(text).replace(/[^a-z0-9]+/g, " ").trim().split(" ").filter(Boolean);
  let out = "";
  for (const w of words) {
    const next = out ? `${out}-${w}` : w;
    if (next.length > max) break;
    out = next;
  }
  return out || "dot";
}
