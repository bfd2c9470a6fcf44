/**
 * Exact decimals for reading figures: value = m × 10^e with a bigint mantissa, so "1,2345 triệu" is exactly
 * 1.234.500 and "66,7" stays 66,7 until the very end, never a binary-float approximation.
 */

/** value = m × 10^e, exact. */
export interface Dec {
  m: bigint;
  e: number;
}

export const pow10 = (k: number): bigint => 10n ** BigInt(k);

export function dec(m: bigint, e = 0): Dec {
  return { m, e };
}

export function addDec(a: Dec, b: Dec): Dec {
  const e = Math.min(a.e, b.e);
  return dec(a.m * pow10(a.e - e) + b.m * pow10(b.e - e), e);
}

/** a × 10^k. */
export function shiftDec(a: Dec, k: number): Dec {
  return dec(a.m, a.e + k);
}

/** Compares two decimals: negative, zero or positive like a sort comparator. */
export function compareDec(a: Dec, b: Dec): number {
  const e = Math.min(a.e, b.e);
  const x = a.m * pow10(a.e - e);
  const y = b.m * pow10(b.e - e);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function isIntegerDec(a: Dec): boolean {
  return a.e >= 0 || a.m % pow10(-a.e) === 0n;
}

export function isZeroDec(a: Dec): boolean {
  return a.m === 0n;
}

export function negateDec(a: Dec): Dec {
  return dec(-a.m, a.e);
}

/** The double nearest to the exact value (going through the decimal string: "66.7" → 66.7). */
export function decToNumber(a: Dec): number {
  if (a.e === 0) return Number(a.m);
  return Number(`${a.m}e${a.e}`);
}
