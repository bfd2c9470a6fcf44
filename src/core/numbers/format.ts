/**
 * Writing numbers the way Vietnamese officials do: "." groups thousands, "," separates decimals
 * (3.850 · 66,7% · 15.000.000).
 *
 * Deliberately no toLocaleString/Intl: ICU data differs between machines and Node builds, and a
 * report must read the same wherever it was generated. Rounding is done on the decimal digits
 * (not on binary floats), so 1.005 rounds to 1,01 as a person would expect.
 */

const MAX_FRACTION_DIGITS = 20;

/** A finite number split into its exact shortest decimal digits. */
interface DecimalDigits {
  negative: boolean;
  /** Integer part without sign, at least "0". */
  int: string;
  /** Fraction digits, possibly empty. */
  frac: string;
}

/**
 * Splits a number into decimal digits using the shortest round-trip representation that
 * String() produces, expanding exponent forms such as "1e+21" or "1.5e-7".
 */
function toDecimalDigits(n: number): DecimalDigits {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(n));
  if (match === null) throw new RangeError(`Cannot format ${String(n)}`);
  const [, sign = "", intPart = "0", fracPart = "", exponent = "0"] = match;
  const digits = intPart + fracPart;
  const pointAt = intPart.length + Number(exponent);
  let int: string;
  let frac: string;
  if (pointAt <= 0) {
    int = "0";
    frac = "0".repeat(-pointAt) + digits;
  } else if (pointAt >= digits.length) {
    int = digits + "0".repeat(pointAt - digits.length);
    frac = "";
  } else {
    int = digits.slice(0, pointAt);
    frac = digits.slice(pointAt);
  }
  return { negative: sign === "-", int: int.replace(/^0+(?=\d)/, ""), frac };
}

/** Rounds half away from zero to `digits` fraction digits and drops trailing fraction zeros. */
function roundDigits(value: DecimalDigits, digits: number): DecimalDigits {
  if (value.frac.length <= digits) return { ...value, frac: value.frac.replace(/0+$/, "") };
  const kept = value.frac.slice(0, digits);
  let scaled = BigInt(value.int + kept);
  if ((value.frac[digits] ?? "0") >= "5") scaled += 1n;
  const text = scaled.toString().padStart(digits + 1, "0");
  const int = text.slice(0, text.length - digits);
  const frac = text.slice(text.length - digits).replace(/0+$/, "");
  return { negative: value.negative, int, frac };
}

/** "3850" → "3.850". */
function groupThousands(int: string): string {
  const head = int.length % 3 || 3;
  let out = int.slice(0, head);
  for (let at = head; at < int.length; at += 3) out += `.${int.slice(at, at + 3)}`;
  return out;
}

function render(value: DecimalDigits): string {
  const isZero = /^0*$/.test(value.int + value.frac);
  // "-0" would confuse a reader: a negative value that rounds to zero is printed as "0".
  const sign = value.negative && !isZero ? "-" : "";
  const fraction = value.frac === "" ? "" : `,${value.frac}`;
  return `${sign}${groupThousands(value.int)}${fraction}`;
}

function requireFinite(n: number, caller: string): void {
  if (!Number.isFinite(n)) throw new RangeError(`${caller}: expected a finite number, got ${String(n)}`);
}

function requireDigits(digits: number, caller: string): void {
  if (!Number.isInteger(digits) || digits < 0 || digits > MAX_FRACTION_DIGITS) {
    throw new RangeError(`${caller}: digits must be an integer from 0 to ${MAX_FRACTION_DIGITS}`);
  }
}

/**
 * An integer with "." thousands separators: 3850 → "3.850", -1733 → "-1.733".
 * Non-integers are rounded half away from zero. Throws RangeError on NaN or ±Infinity, because
 * printing "NaN" into an official report would hide an upstream bug.
 */
export function formatInt(n: number | bigint): string {
  if (typeof n === "bigint") {
    const negative = n < 0n;
    return render({ negative, int: (negative ? -n : n).toString(), frac: "" });
  }
  requireFinite(n, "formatInt");
  // Most figures are whole counts: String() gives their digits exactly, there is nothing to round.
  if (Number.isSafeInteger(n)) return n < 0 ? `-${groupThousands(String(-n))}` : groupThousands(String(n));
  return render(roundDigits(toDecimalDigits(n), 0));
}

/**
 * A decimal with "," as decimal separator, rounded half away from zero to at most `digits`
 * fraction digits; trailing zeros are dropped: (66.666, 1) → "66,7", (50, 1) → "50", (83.3, 2) → "83,3".
 */
export function formatDecimal(n: number, digits = 1): string {
  requireFinite(n, "formatDecimal");
  requireDigits(digits, "formatDecimal");
  return render(roundDigits(toDecimalDigits(n), digits));
}

/** A percentage already expressed in percent: 66.666 → "66,7%", 100 → "100%". */
export function formatPercent(n: number, digits = 1): string {
  requireFinite(n, "formatPercent");
  requireDigits(digits, "formatPercent");
  return `${formatDecimal(n, digits)}%`;
}

/** An amount in đồng, without unit: 15000000 → "15.000.000". Fractions of a đồng are rounded. */
export function formatMoney(n: number | bigint): string {
  if (typeof n === "number") requireFinite(n, "formatMoney");
  return formatInt(n);
}

/**
 * An amount as people say it, for questions about its size: 20000 → "20 nghìn", 1500000 → "1,5 triệu",
 * 2000000000 → "2 tỷ", 500 → "500 đồng". Amounts that are not a round number of the unit keep their đồng.
 */
export function formatMoneySpoken(n: number): string {
  requireFinite(n, "formatMoneySpoken");
  // [unit, name, smallest step shown]: 1.500.000 is "1,5 triệu", 20.500 "20,5 nghìn", 1.234.567 stays in đồng.
  const units: Array<[number, string, number]> = [[1e9, "tỷ", 1e6], [1e6, "triệu", 1e3], [1e3, "nghìn", 100]];
  for (const [size, word, step] of units) {
    if (Math.abs(n) >= size && Number.isInteger(n / step)) return `${formatDecimal(n / size, 3)} ${word}`;
  }
  return `${formatMoney(n)} đồng`;
}
