// The shape of prompts/report.yaml: the frame of every report draft (header, parts, closing, appendix).
import { z } from "zod";

const text = z.string().min(1);

export const reportTextsSchema = z.strictObject({
  area: z.strictObject({
    parent_body: text,
    issuing_body: text,
    number_line: text,
    title: text,
    subject: text,
    intro: z.array(text),
    results_heading: text,
    difficulties_heading: text,
    proposals_heading: text,
    none: text,
    closing: text,
    recipients: z.array(text).min(1),
    signature: z.array(text).min(1),
    appendix_title: text,
    appendix_subtitle: text,
  }),
  compare: z.strictObject({ up: text, down: text, same: text }),
  table: z.strictObject({
    columns: z.array(text),
    columns_no_previous: z.array(text),
    money_unit: text,
    percent_unit: text,
    not_applicable: text,
  }),
});

export type ReportTexts = z.infer<typeof reportTextsSchema>;
