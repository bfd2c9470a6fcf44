// The shape of prompts/report.yaml: the frame of every report draft (header, parts, closing, appendix).
import { z } from "zod";
import type { ReportFrame } from "../forms/schema.js";

const text = z.string().min(1);

/** What every draft has: the ND 30 header, title, opening, closing, recipients, signature and appendix titles. */
const frame = {
  parent_body: text,
  issuing_body: text,
  number_line: text,
  title: text,
  subject: text,
  intro: z.array(text),
  results_heading: text,
  proposals_heading: text,
  none: text,
  closing: text,
  recipients: z.array(text).min(1),
  signature: z.array(text).min(1),
  /** Printed where the signer's name goes when it is not known, for the officer to write in. */
  signer_line: text,
  appendix_title: text,
  appendix_subtitle: text,
};

export const reportTextsSchema = z.strictObject({
  area: z.strictObject({
    ...frame,
    difficulties_heading: text,
    /** Where figures taken from another report kind come from ({sections}, {reports}, {done}, {missing_part}). */
    taken_note: text,
    taken_missing: text,
  }),
  summary: z.strictObject({
    ...frame,
    completeness: text,
    missing_part: text,
    completeness_members: text,
    member_item: text,
    members_missing: text,
    member_missing_item: text,
    member_missing_all: text,
    included: text,
    targets_heading: text,
    target_line: text,
    evaluation_heading: text,
    strengths_heading: text,
    weaknesses_heading: text,
    to_fill: text,
    next_heading: text,
    from_unit: text,
    /** Above a commune, in place of each reporting unit's own words (their number grows with the tree). */
    texts_below: text,
    total_column: text,
    target_column: text,
    achieved_column: text,
    base: text,
    compare_base: text,
    compare_base_members: text,
    column_missing: text,
    column_part: text,
    /** Exempt units: "{unit} được miễn báo cáo kỳ này (lý do: {reason})."; of some months only; many, as a count; the column header. */
    exempt_item: text,
    exempt_item_members: text,
    exempt_count: text,
    column_exempt: text,
    yes_note: text,
    mean_note: text,
    compare_title: text,
    compare_title_year: text,
    compare_columns: z.array(text).length(6),
    compare_note: text,
    compare_note_members: text,
    column_count: text,
    /** The same for a summary: each unit's figures come from its own submitted reports ({sections}, {reports}). */
    taken_note: text,
  }),
  export: z.strictObject({
    figures_sheet: text,
    history_sheet: text,
    unit_code: text,
    unit_name: text,
    status: text,
    total_row: text,
    history_columns: z.array(text).length(8),
    sources: z.strictObject({ edit: text, staff: text }),
    states: z.strictObject({ accepted: text, submitted: text, returned: text, in_progress: text, not_started: text, exempt: text }),
  }),
  files: z.strictObject({ area: text, summary: text, export: text }),
  levels: z.strictObject({ province: text, district: text, commune: text, area: text }),
  compare: z.strictObject({ up: text, down: text, same: text }),
  compare_year: z.strictObject({ up: text, down: text, same: text }),
  table: z.strictObject({
    columns: z.array(text),
    columns_no_previous: z.array(text),
    money_unit: text,
    percent_unit: text,
    not_applicable: text,
    note: text,
  }),
});

export type ReportTexts = z.infer<typeof reportTextsSchema>;

/** The report texts a form's drafts use: its own `report_frame` merged over prompts/report.yaml, key by key. */
export function withFormFrame(texts: ReportTexts, frame: ReportFrame | undefined): ReportTexts {
  if (!frame) return texts;
  return {
    ...texts,
    area: { ...texts.area, ...frame.area },
    summary: { ...texts.summary, ...frame.summary },
    files: { ...texts.files, ...frame.files },
  };
}
