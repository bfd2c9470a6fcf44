// The shape of a form definition (prompts/forms/*.yaml). Forms are data: adding an indicator means adding a
// field here in YAML, never TypeScript. Every user-visible string of a form lives in its file.
import { z } from "zod";
import { reportTextsSchema } from "../report/texts.js";

const id = z.string().regex(/^[a-z][a-z0-9_]*$/, "chỉ dùng chữ thường không dấu, số và dấu _");
const text = z.string().min(1);
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "giờ dạng HH:MM, ví dụ 08:00");

/** Skip logic: a field or section applies only when this holds on earlier answers. */
export const conditionSchema = z.strictObject({
  field: id,
  gt: z.number().optional(),
  equals: z.union([z.string(), z.number(), z.boolean()]).optional(),
});
export type Condition = z.infer<typeof conditionSchema>;

/**
 * A figure this form takes from another form's periods instead of asking it (a six-month report's sessions
 * are the sum of the monthly reports'): counts and money are summed over that form's periods inside this
 * period, a percentage, choice or yes/no takes the latest, and only what the unit submitted counts.
 */
export const takenFromSchema = z.strictObject({ form: id, field: id });
export type TakenFrom = z.infer<typeof takenFromSchema>;

const optionSchema = z.strictObject({ value: id, label: text, keywords: z.array(z.string()).default([]) });

const baseField = {
  id,
  label: text,
  /** Question asked when this field is asked on its own (every field but one taken `from` another form). */
  question: text.optional(),
  /** Taken from another form's reports, never asked (see takenFromSchema). */
  from: takenFromSchema.optional(),
  /**
   * A slow-changing figure (mediators, law bookcases): asked, with the unit's last figure offered. `true`: its
   * previous report of this form; `{ form, field }`: also that form's reports inside this period, the latest first.
   */
  offer_last: z.union([z.literal(true), takenFromSchema]).optional(),
  example: text.optional(),
  hint: text.optional(),
  optional: z.boolean().default(false),
  when: conditionSchema.optional(),
  /** Words put before the figure when it is echoed back ("chi" → "chi 10.000.000 đồng"), so an answer with
   * several figures of the same unit reads unambiguously. */
  echo: text.optional(),
  /**
   * Words typed before the figure that name it in a message with several numbers ("thành 10", "chi 5 triệu"),
   * without diacritics. The field's echo words count as keywords too.
   */
  keywords: z.array(z.string()).default([]),
  /** Words typed after the figure that name it ("12 buổi", "350 người"). */
  units: z.array(z.string()).default([]),
  /**
   * Words typed after the figure that fit it without naming it, because other figures share them ("người" for
   * voters and delegates); the field's own unit counts as one unless it is in `units`.
   */
  shared_units: z.array(z.string()).default([]),
};

/**
 * Where a figure is plausible. A figure outside is not stored on the person's word alone: the bot says its
 * reading and asks. For money this also decides what a bare "20" means (20 nghìn or 20 triệu).
 */
const plausibleSchema = z
  .strictObject({ min: z.number().min(0).optional(), max: z.number().positive().optional() })
  .optional();

export const fieldSchema = z.discriminatedUnion("kind", [
  z.strictObject({ ...baseField, kind: z.literal("count"), unit: text, plausible: plausibleSchema }),
  z.strictObject({ ...baseField, kind: z.literal("money"), unit: z.literal("đồng").default("đồng"), plausible: plausibleSchema }),
  z.strictObject({ ...baseField, kind: z.literal("percentage"), unit: z.literal("%").default("%"), plausible: plausibleSchema }),
  z.strictObject({ ...baseField, kind: z.literal("yesno") }),
  z.strictObject({ ...baseField, kind: z.literal("choice"), options: z.array(optionSchema).min(2) }),
  z.strictObject({ ...baseField, kind: z.literal("text"), max_length: z.number().int().positive().default(2000) }),
]);
export type Field = z.infer<typeof fieldSchema>;
export type FieldKind = Field["kind"];

/** Values derived from answers; never asked, always recomputed (so sums of parts stay exact). */
export const derivedSchema = z.strictObject({
  id,
  label: text,
  kind: z.enum(["percentage", "count", "money"]),
  unit: z.string().default(""),
  /** ratio: 100 * numerator / denominator; difference: first minus the rest. */
  ratio: z.tuple([id, id]).optional(),
  difference: z.array(id).min(2).optional(),
  /** Words naming this figure when a person types it anyway ("2 vụ đang giải quyết"): it is computed, not asked. */
  keywords: z.array(z.string()).default([]),
});
export type Derived = z.infer<typeof derivedSchema>;

export const ruleSchema = z.discriminatedUnion("type", [
  /** Hard: the sum of `left` may not exceed `right`. */
  z.strictObject({ type: z.literal("not_greater"), left: z.array(id).min(1), right: id, message: text }),
  /** Soft: numerator / denominator above `max` is questioned. */
  z.strictObject({
    type: z.literal("ratio_max"),
    numerator: id,
    denominator: id,
    max: z.number().positive(),
    message: text,
  }),
]);
export type Rule = z.infer<typeof ruleSchema>;

const sentenceSchema = z.strictObject({ when: conditionSchema.optional(), text });

export const sectionSchema = z.strictObject({
  id,
  title: text,
  /** Short name for compact summaries ("Tuyên truyền"). */
  short: text,
  when: conditionSchema.optional(),
  /** One question for several figures at once; names them in `together`. */
  prompt: text.optional(),
  prompt_example: text.optional(),
  together: z.array(id).default([]),
  fields: z.array(fieldSchema).min(1),
  derived: z.array(derivedSchema).default([]),
  rules: z.array(ruleSchema).default([]),
  /** How the section reads in the report draft. */
  report: z.strictObject({
    sentences: z.array(sentenceSchema).default([]),
    /** The same section in a commune's (or higher) summary report; defaults to `sentences`. */
    summary_sentences: z.array(sentenceSchema).optional(),
    /** Said when the section has nothing to report ("không phát sinh"). */
    empty: text,
  }),
  /**
   * How the figures this section takes from other reports are told to the leader before the first question,
   * e.g. "tổ chức {tt_so_buoi} buổi tuyên truyền với {tt_luot_nguoi} lượt người"; without it, label and value.
   */
  known: text.optional(),
  /** A short line for the completion summary, e.g. "Tuyên truyền {tt_so_buoi} buổi/{tt_luot_nguoi} lượt". */
  summary: text.optional(),
});
export type Section = z.infer<typeof sectionSchema>;

/** One panel of the summary chart: bars of one or two figures per unit, on a shared scale. */
export const chartPanelSchema = z.strictObject({
  title: text,
  /** The figures drawn as bars (numeric fields or derived values); a label tells two bars apart. */
  bars: z.array(z.strictObject({ field: id, label: text.optional() })).min(1).max(2),
  /** Written after each unit's figure, e.g. "{tt_so_buoi} buổi". */
  note: text.optional(),
});
export type ChartPanel = z.infer<typeof chartPanelSchema>;

/** The unit levels that fill a form: residential areas (their leaders), or communes (their staff). */
export const REPORTING_LEVELS = ["area", "commune"] as const;
export type ReportingLevel = (typeof REPORTING_LEVELS)[number];

/**
 * Parts of prompts/report.yaml a form replaces for its own drafts (a voter-contact draft does not say
 * "công tác Mặt trận tháng"): any key of the `area` frame (one reporting unit's draft), of the `summary` frame
 * (the draft over the units below), and the download names in `files`. What is not given comes from report.yaml.
 */
export const reportFrameSchema = z.strictObject({
  area: reportTextsSchema.shape.area.partial().optional(),
  summary: reportTextsSchema.shape.summary.partial().optional(),
  files: reportTextsSchema.shape.files.partial().optional(),
});
export type ReportFrame = z.infer<typeof reportFrameSchema>;

/** "17/10": a day and month of every year (29/02 is refused: it does not come every year). */
const dayMonth = z
  .string()
  .regex(/^\d{1,2}\/\d{1,2}$/, "ngày/tháng, ví dụ 17/10")
  .refine((v) => {
    const [d, m] = v.split("/").map(Number) as [number, number];
    return m >= 1 && m <= 12 && d >= 1 && d <= [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  }, "ngày/tháng không có thật (ví dụ đúng: 17/10)");

/** Kinds whose deadline counts days after their last day; the calendar kinds name a day of a month. */
const DATED_PERIOD_KINDS: readonly string[] = ["week", "round", "campaign"];

/**
 * The periods a form reports. Calendar kinds (month … year) follow a cut-off rule and fall due on a day of a
 * month; `week` (ISO, Monday–Sunday), `round` (opened by staff with /moky) and `campaign` (fixed day-months
 * every year) fall due `days_after_end` days after their last day.
 */
export const periodSchema = z
  .strictObject({
    kind: z.enum(["month", "quarter", "half", "nine_months", "year", "week", "round", "campaign"]),
    cutoff: z.enum(["nd09", "calendar"]).default("calendar"),
    deadline: z.union([
      z.strictObject({ day: z.number().int().min(1).max(31), month_offset: z.number().int().min(0).max(3) }),
      z.strictObject({ days_after_end: z.number().int().min(0).max(90) }),
    ]),
    /** campaign: the yearly window and the title its label starts with. */
    campaign: z.strictObject({ start: dayMonth, end: dayMonth, title: text }).optional(),
    /** round: how many days a round lasts when /moky names no dates (from the day it is opened). */
    round: z.strictObject({ days: z.number().int().min(1).max(366).default(7) }).optional(),
  })
  .superRefine((p, ctx) => {
    const dated = DATED_PERIOD_KINDS.includes(p.kind);
    if (dated && !("days_after_end" in p.deadline)) ctx.addIssue({ code: "custom", path: ["deadline"], message: `kỳ ${p.kind} tính hạn theo số ngày sau ngày cuối: deadline: { days_after_end: 1 }` });
    if (!dated && !("day" in p.deadline)) ctx.addIssue({ code: "custom", path: ["deadline"], message: `kỳ ${p.kind} tính hạn theo ngày của tháng: deadline: { day: 16, month_offset: 0 }` });
    if (p.kind === "campaign" && !p.campaign) ctx.addIssue({ code: "custom", path: ["campaign"], message: 'kỳ campaign cần campaign: { start: "17/10", end: "18/11", title: "…" }' });
    if (p.kind !== "campaign" && p.campaign) ctx.addIssue({ code: "custom", path: ["campaign"], message: "campaign chỉ dùng cho kind: campaign" });
    if (p.kind !== "round" && p.round) ctx.addIssue({ code: "custom", path: ["round"], message: "round chỉ dùng cho kind: round" });
  });

export const formSchema = z.strictObject({
  id,
  /**
   * How staff and leaders name the report kind in commands (`/baocao txct`, `/tonghop thang`): lower-case
   * letters and digits without diacritics, starting with a letter; unique across forms.
   */
  short: z.string().regex(/^[a-z][a-z0-9]{0,11}$/, "tên ngắn chỉ gồm chữ thường không dấu và số (tối đa 12 ký tự), bắt đầu bằng chữ, ví dụ thang"),
  /** The report kind as people read it in choices and progress boards ("Báo cáo tháng"). */
  name: text,
  /** Which units fill it: `area` (the areas' leaders, in the commune's group) or `commune` (the commune's staff). */
  applies_to: z.array(z.enum(REPORTING_LEVELS)).min(1).default(["area"]),
  /**
   * When leaders are offered the period: from `days_before_deadline` days before its deadline until the
   * deadline. Without it the period is offered all the time (as the monthly report).
   */
  collect: z
    .strictObject({
      days_before_deadline: z.number().int().min(1).max(400),
      /**
       * Which periods of its kind the form collects, by their number in the year (for a six-month report,
       * `[1]`: the first six months only, the year being reported by the annual form). All when absent.
       */
      periods: z.array(z.number().int().min(1).max(12)).min(1).optional(),
    })
    .optional(),
  /** This form's own wording of the draft frame, merged over prompts/report.yaml. */
  report_frame: reportFrameSchema.optional(),
  title: text,
  /** Subject line of the report draft, followed by the period label. */
  subject: text,
  period: periodSchema,
  warnings: z
    .strictObject({ jump_factor: z.number().positive().default(10), jump_min_previous: z.number().min(0).default(1) })
    .default({ jump_factor: 10, jump_min_previous: 1 }),
  /** Reminders: a schedule relative to the deadline, quiet hours, and how soon a person may be pinged again. */
  reminders: z
    .strictObject({
      cooldown_hours: z.number().positive().default(12),
      quiet_hours: z.strictObject({ from: clock, to: clock }).default({ from: "21:00", to: "07:00" }),
      schedule: z
        .array(
          z.strictObject({
            id,
            /** Days from the deadline: -2 is two days before, 0 the day itself, 1 the day after. */
            days: z.number().int().min(-30).max(60),
            at: clock,
            /** ping_areas: the lagging areas' leaders in their group; notify_staff: the commune staff get the
             * list of late areas; notify_officer: the officers above get the list of late communes. */
            action: z.enum(["ping_areas", "notify_staff", "notify_officer"]),
          }),
        )
        .default([]),
    })
    .default({ cooldown_hours: 12, quiet_hours: { from: "21:00", to: "07:00" }, schedule: [] }),
  /** Free-text fields whose answers are carried into the report's difficulties and proposals parts. */
  difficulties_field: id.optional(),
  proposals_field: id.optional(),
  sections: z.array(sectionSchema).min(1),
  /** The main figures drawn in the summary chart (in the chat, the drafts and the web view), panel by panel. */
  chart: z.array(chartPanelSchema).max(6).default([]),
});
export type FormDef = z.infer<typeof formSchema>;
