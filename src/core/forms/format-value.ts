// How a stored value reads, in chat and in the report: Vietnamese number formats everywhere.
import { formatDecimal, formatInt, formatMoney } from "../numbers/format.js";
import type { Messages } from "../messages.js";
import { clipUnits } from "../text.js";
import type { Value } from "../types.js";
import type { Derived, Field } from "./schema.js";

/** The bare figure: "3.850", "15.000.000", "66,7", "có", a choice label, or the text itself. */
export function formatValue(field: Field | Derived, value: Value | null | undefined, m: Messages): string {
  if (value === null || value === undefined) return m.value_none;
  switch (field.kind) {
    case "count":
      return typeof value === "number" ? formatInt(value) : String(value);
    case "money":
      return typeof value === "number" ? formatMoney(value) : String(value);
    case "percentage":
      return typeof value === "number" ? formatDecimal(value, 1) : String(value);
    case "yesno":
      return value === true ? m.value_yes : m.value_no;
    case "choice":
      return field.options.find((o) => o.value === value)?.label ?? String(value);
    case "text":
      return String(value);
  }
}

/** The figure with its unit, as echoed back in chat: "12 buổi", "15.000.000 đồng", "66,7%". */
export function formatWithUnit(field: Field | Derived, value: Value | null | undefined, m: Messages): string {
  const bare = formatValue(field, value, m);
  if (value === null || value === undefined) return bare;
  switch (field.kind) {
    case "count":
    case "money":
      return field.unit ? `${bare} ${field.unit}` : bare;
    case "percentage":
      return `${bare}%`;
    case "text":
      return `“${bare.length > 60 ? `${clipUnits(bare, 57)}…` : bare}”`;
    default:
      return bare;
  }
}

/** How an accepted answer is echoed: with its unit, and its echo words when the form gives some. */
export function echoOf(field: Field, value: Value | null | undefined, m: Messages): string {
  const shown = formatWithUnit(field, value, m);
  return field.echo ? `${field.echo} ${shown}` : shown;
}
