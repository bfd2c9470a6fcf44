// What the bot says when it is not sure of a reading: one short line with its reading and one question,
// with what it holds meanwhile. The structure (`ReadAsk`) travels in the form session, so the reply is read
// against the question that was asked.
import { formatMoneySpoken } from "../numbers/format.js";
import { echoOf, formatWithUnit } from "../forms/format-value.js";
import { fill, type Messages } from "../messages.js";
import type { Field } from "../forms/schema.js";
import type { Value } from "../types.js";

/** What the bot holds and expects while it asks about a reading. */
export interface ReadAsk {
  /** Figures read with certainty, held (not stored) while the rest is asked; stored with the reply. */
  kept: Record<string, Value>;
  /** A complete reading for the person to confirm with "có" (Có/Không); stored as it is. */
  confirm?: Record<string, Value>;
  /** The fields the question asks about: the reply is read as these. */
  fields?: string[];
  /** Money typed without a unit, per field: a reply of only "nghìn" or "triệu" completes it. */
  bare?: Record<string, number>;
  /** The reading is certain and only outside the field's usual band (the figure itself is not in doubt). */
  unusual?: boolean;
}

export interface Asked {
  text: string;
  ask: ReadAsk;
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** "12 buổi, 350 lượt người", "vận động 15.000.000 đồng, giúp 12 hộ": the figures as they will be stored. */
export function echoValues(fields: readonly Field[], values: Record<string, Value | null>, m: Messages): string {
  return fields
    .filter((f) => f.id in values && values[f.id] !== null)
    .map((f) => echoOf(f, values[f.id], m))
    .join(", ");
}

function held(fields: readonly Field[], kept: Record<string, Value>, m: Messages): string[] {
  const text = echoValues(fields, kept, m);
  return text ? [fill(m.read_held, { kept: text })] : [];
}

/** "Dạ, em hiểu là 12 buổi, đúng không ạ?" — stored on "có". */
export function confirmAsk(fields: readonly Field[], values: Record<string, Value>, notes: string[], m: Messages, unusual = false): Asked {
  const reading = echoValues(fields, values, m);
  const ask: ReadAsk = { kept: {}, confirm: values };
  if (unusual) ask.unusual = true;
  return { text: [...notes, fill(m.read_confirm, { reading })].join("\n"), ask };
}

/** How one option of a question about a field reads: "12 buổi", "20 nghìn". */
function optionText(field: Field, value: number, m: Messages): string {
  return field.kind === "money" ? formatMoneySpoken(value) : formatWithUnit(field, value, m);
}

/**
 * "Dạ, 10 buổi hay 12 buổi ạ?" (the field was asked on its own) or "Dạ, số vụ hòa giải thành là 2 vụ hay
 * 3 vụ ạ?" (asked among others). The reply is read as the field.
 */
export function whichAsk(
  field: Field,
  options: readonly number[],
  context: { fields: readonly Field[]; kept: Record<string, Value>; alone: boolean; notes?: string[]; bare?: number },
  m: Messages,
): Asked {
  const list = options.map((v) => optionText(field, v, m)).join(m.read_or);
  const question = context.alone ? fill(m.read_which_plain, { options: list }) : fill(m.read_which, { what: lowerFirst(field.label), options: list });
  const hint = field.kind === "money" && context.bare !== undefined ? [fill(m.read_scale_hint, { example: field.example ?? "" })] : [];
  const ask: ReadAsk = { kept: context.kept, fields: [field.id] };
  if (context.bare !== undefined) ask.bare = { [field.id]: context.bare };
  return { text: [...(context.notes ?? []), ...held(context.fields, context.kept, m), question, ...hint].join("\n"), ask };
}

/** Several amounts typed without a unit: "Dạ, vận động 20, chi 15 là nghìn đồng hay triệu đồng ạ?" */
export function scaleAsk(fields: readonly Field[], bare: Record<string, number>, kept: Record<string, Value>, m: Messages): Asked {
  const asked = fields.filter((f) => f.id in bare);
  const what = asked.map((f) => `${f.echo ?? lowerFirst(f.label)} ${bare[f.id]}`).join(", ");
  const example = asked[0]?.example ?? "";
  return {
    text: [...held(fields, kept, m), fill(m.read_scale_many, { what }), fill(m.read_scale_hint, { example })].join("\n"),
    ask: { kept, fields: asked.map((f) => f.id), bare },
  };
}

/** A figure that needs another first ("350 người" needs the number of sessions): hold it, ask the other. */
export function missingAsk(fields: readonly Field[], missing: Field, kept: Record<string, Value>, notes: string[], m: Messages): Asked {
  const example = missing.example ? [fill(m.example_line, { example: missing.example })] : [];
  return {
    text: [...notes, ...held(fields, kept, m), missing.question, ...example].join("\n"),
    ask: { kept, fields: [missing.id] },
  };
}
