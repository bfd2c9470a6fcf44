// Lists of names in a chat message, kept short: the first few, then "và N khu khác".
import { fill } from "../messages.js";
import type { Ctx } from "./context.js";

/** How many names a list shows before "và N khu khác". */
export const MAX_NAMES = 12;

/** "Ấp Bến Đò, Ấp Cây Dầu và 3 khu khác". */
export function names(ctx: Ctx, list: string[], max = MAX_NAMES): string {
  const shown = list.slice(0, max).join(", ");
  return list.length > max ? shown + fill(ctx.messages.summary_more, { n: list.length - max }) : shown;
}
