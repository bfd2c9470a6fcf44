/**
 * Digit literals as people type them: "3850", "3.850", "3,850", "3 850", "15.000.000", "2,5", "3.850,5".
 * A dot before three digits groups thousands; a comma before three digits may group thousands or be the
 * Vietnamese decimal comma, so both readings are kept for the caller to weigh.
 */
import { dec, type Dec } from "./decimal.js";
import { isGlued, type Token } from "./tokens.js";

/** Digit groups glued by separators: "3.850,5" → groups ["3", "850", "5"], separators [".", ","]. */
export interface Literal {
  groups: string[];
  separators: string[];
  next: number;
}

/** The digit groups starting at `start`; with `spaceGrouping`, "3 850" is one literal. */
export function readLiteral(tokens: readonly Token[], start: number, spaceGrouping: boolean): Literal {
  const groups = [tokens[start]?.raw ?? ""];
  const separators: string[] = [];
  let pos = start + 1;
  for (;;) {
    const sep = tokens[pos];
    const digits = tokens[pos + 1];
    const glued = sep !== undefined && digits !== undefined && isGlued(sep) && isGlued(digits);
    if (!glued || sep.kind !== "punct" || (sep.raw !== "." && sep.raw !== ",") || digits.kind !== "digits") break;
    separators.push(sep.raw);
    groups.push(digits.raw);
    pos += 2;
  }
  if (spaceGrouping && separators.length === 0) pos = readSpaceGroups(tokens, pos, groups, separators);
  return { groups, separators, next: pos };
}

/** "3 850", "1 500 000": groups of exactly three digits after a single space. */
function readSpaceGroups(tokens: readonly Token[], pos: number, groups: string[], separators: string[]): number {
  const first = groups[0] ?? "";
  if (first.length > 3 || first.startsWith("0")) return pos;
  for (;;) {
    const next = tokens[pos];
    if (next === undefined || next.kind !== "digits" || next.raw.length !== 3 || next.gap !== " ") return pos;
    // "3 850,5" or "3 850.000" mixes styles; leave the rest for the normal reading.
    const after = tokens[pos + 1];
    if (after !== undefined && isGlued(after) && (after.raw === "." || after.raw === ",") && continuesAsNumber(tokens, pos + 1)) return pos;
    separators.push(" ");
    groups.push(next.raw);
    pos++;
  }
}

/** Whether groups after the first are thousands groups: "3.850", "15.000.000", "1,500". */
function isThousandsGrouping(groups: readonly string[]): boolean {
  const [first = "", ...rest] = groups;
  // "0.500" is a decimal, never a thousands grouping.
  return first.length >= 1 && first.length <= 3 && !first.startsWith("0") && rest.every((g) => g.length === 3);
}

function decimalOf(intDigits: string, fracDigits: string): Dec {
  return dec(BigInt(intDigits + fracDigits), -fracDigits.length);
}

/**
 * The values of a literal, most likely first, or undefined when it cannot be read ("1.2.3", "1.23.456").
 * A dot before three digits groups thousands (3.850, 15.000.000, 1.500k); a comma before three digits may
 * group thousands (3,850) or be the Vietnamese decimal comma (1,500 triệu = 1,5 triệu), so both are given;
 * any other lone separator is a decimal point (2,5 · 1.5); "3.850,5" and "3,850.5" are 3850.5.
 */
export function interpretLiteral(literal: Literal, decimalFirst: boolean): { value: Dec; alts: Dec[] } | undefined {
  const { groups, separators } = literal;
  const [first = "", ...rest] = groups;
  const one = (value: Dec) => ({ value, alts: [] });
  if (separators.length === 0) return one(dec(BigInt(first)));
  if (separators.every((s) => s === " ")) return one(dec(BigInt(groups.join(""))));

  const single = separators.length === 1;
  if (single && decimalFirst) {
    const value = decimalOf(first, rest[0] ?? "");
    return separators[0] === "," && isThousandsGrouping(groups) ? { value, alts: [dec(BigInt(groups.join("")))] } : one(value);
  }
  const sameSeparator = separators.every((s) => s === separators[0]);
  if (sameSeparator && isThousandsGrouping(groups)) {
    const thousands = dec(BigInt(groups.join("")));
    return single && separators[0] === "," ? { value: thousands, alts: [decimalOf(first, rest[0] ?? "")] } : one(thousands);
  }
  const last = separators[separators.length - 1];
  const leading = separators.slice(0, -1);
  const intGroups = groups.slice(0, -1);
  const mixedStyle = leading.length > 0 && leading.every((s) => s === leading[0] && s !== last);
  if (mixedStyle && isThousandsGrouping(intGroups)) return one(decimalOf(intGroups.join(""), groups[groups.length - 1] ?? ""));
  if (single) return one(decimalOf(first, rest[0] ?? ""));
  return undefined;
}

/** Whether a separator glued to digits follows ("5,5"), so the digits are a literal of their own. */
export function continuesAsNumber(tokens: readonly Token[], pos: number): boolean {
  const t = tokens[pos];
  const digits = tokens[pos + 1];
  return t !== undefined && isGlued(t) && (t.raw === "." || t.raw === ",") && digits?.kind === "digits" && isGlued(digits);
}
