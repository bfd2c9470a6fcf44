// /chitieu [loại] and /chitieu [loại] <số> <giá trị>: the yearly targets of the group's unit for a report kind;
// summaries then say "đạt …% chỉ tiêu năm".
import { formatValue, formatWithUnit } from "../../forms/format-value.js";
import { readField, settledValue } from "../../forms/read-answer.js";
import { localDate } from "../../local-time.js";
import { fill } from "../../messages.js";
import { tableFigures } from "../../report/figures.js";
import type { CommandHandler } from "../context.js";
import { personOf, reply } from "../context.js";
import { oversightUnit, staffKind } from "../staff-scope.js";

export const chitieu: CommandHandler = (ctx, ev, args, picked) => {
  const m = ctx.messages;
  const unit = oversightUnit(ctx, ev, "/chitieu");
  if (!unit.ok) return unit.refusal;
  // "/chitieu 2 150" sets the second target: a number here is never the report kind.
  const kind = staffKind(ctx, ev, unit.value, "/chitieu", args, picked?.form, { numbers: false });
  if (!kind.ok) return kind.refusal;
  const { form, rest } = kind.value;
  const year = Number(localDate(ctx.now).slice(0, 4));
  const figures = tableFigures(form).filter((x) => x.figure.kind === "count" || x.figure.kind === "money").map((x) => x.figure);
  const current = ctx.world.targets(unit.value.code, form.id, year);
  const match = /^(\d+)\s+(.+)$/.exec(rest);
  if (match) {
    const f = figures[Number(match[1]) - 1];
    if (!f) return [reply(ev, fill(m.edit_unknown, { n: match[1] }))];
    const field = form.sections.flatMap((s) => s.fields).find((x) => x.id === f.id)!;
    const read = readField(field, match[2]!, m, form);
    const value = settledValue(read, f.id);
    if (value === undefined && !read.ok) return [reply(ev, read.error)];
    if (typeof value !== "number") return [reply(ev, fill(m.bad_count, { example: "150" }))];
    return [
      { type: "set_target", unit: unit.value.code, form: form.id, year, field: f.id, value, by: personOf(ev) },
      reply(ev, fill(m.targets_done, { year, label: f.label, value: formatWithUnit(f, value, m) })),
    ];
  }
  const lines = figures.map((f, i) =>
    fill(m.targets_line, { n: i + 1, label: f.label, unit: "unit" in f ? String(f.unit) : "", value: f.id in current ? formatValue(f, current[f.id]!, m) : m.targets_unset }),
  );
  const title = ctx.forms.length > 1 ? fill(m.targets_title_kind, { year, unit: unit.value.name, name: form.name, short: form.short }) : fill(m.targets_title, { year, unit: unit.value.name });
  return [reply(ev, [title, ...lines].join("\n"))];
};
