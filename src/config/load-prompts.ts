// Reads prompts/ at start-up and validates everything with zod. Errors name the file and the field so a
// person editing YAML sees exactly what to fix; the bot refuses to start on any of them.
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { formSchema, type FormDef } from "../core/forms/schema.js";
import { checkForm, formSetProblems, takenProblems } from "../core/forms/check-form.js";
import { messagesSchema, type Messages } from "../core/messages.js";
import { reportTextsSchema, type ReportTexts } from "../core/report/texts.js";
import { chartTextsSchema, type ChartTexts } from "../core/charts/texts.js";
import { webTextsSchema, type WebTexts } from "../core/web/texts.js";

export interface Prompts {
  forms: FormDef[];
  messages: Messages;
  report: ReportTexts;
  /** Words drawn in the summary charts (prompts/chart.yaml). */
  chart: ChartTexts;
  /** Words of the web view (prompts/web.yaml). */
  web: WebTexts;
}

export class PromptError extends Error {
  constructor(readonly problems: string[]) {
    super(`Lỗi trong thư mục prompts/:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "PromptError";
  }
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>(
    (acc, seg) => (typeof seg === "number" ? `${acc}[${seg}]` : acc ? `${acc}.${String(seg)}` : String(seg)),
    "",
  );
}

function readYaml(file: string, shown: string, problems: string[]): unknown {
  try {
    return parseYaml(readFileSync(file, "utf8"));
  } catch (err) {
    problems.push(`${shown}: không đọc được YAML (${(err as Error).message.split("\n")[0]})`);
    return undefined;
  }
}

function validate<T extends z.ZodType>(schema: T, data: unknown, shown: string, problems: string[]): z.infer<T> | undefined {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    problems.push(`${shown}: ${formatPath(issue.path) || "(gốc)"}: ${issue.message}`);
  }
  return undefined;
}

/** Reads one more YAML file of prompts/ (an adapter's own wording) with the same file-and-field errors. */
export function loadPromptFile<T extends z.ZodType>(file: string, schema: T): z.infer<T> {
  const problems: string[] = [];
  const shown = relative(process.cwd(), file) || file;
  const data = validate(schema, readYaml(file, shown, problems), shown, problems);
  if (problems.length > 0 || data === undefined) throw new PromptError(problems);
  return data;
}

export function loadPrompts(dir: string): Prompts {
  const problems: string[] = [];
  const shown = (file: string) => relative(process.cwd(), file) || file;

  const reportFile = join(dir, "report.yaml");
  const report = validate(reportTextsSchema, readYaml(reportFile, shown(reportFile), problems), shown(reportFile), problems);
  const messagesFile = join(dir, "messages.yaml");
  const messages = validate(messagesSchema, readYaml(messagesFile, shown(messagesFile), problems), shown(messagesFile), problems);

  const formsDir = join(dir, "forms");
  const forms: FormDef[] = [];
  const formFiles = new Map<string, string>();
  for (const name of readdirSync(formsDir).filter((n) => /\.ya?ml$/.test(n)).sort()) {
    const file = join(formsDir, name);
    const data = readYaml(file, shown(file), problems);
    if (data === undefined) continue;
    const form = validate(formSchema, data, shown(file), problems);
    if (!form) continue;
    const cross = checkForm(form);
    if (forms.some((f) => f.id === form.id)) problems.push(`${shown(file)}: id: mã biểu mẫu “${form.id}” bị trùng`);
    if (report) cross.push(...formSetProblems(form, forms, report));
    cross.forEach((p) => problems.push(`${shown(file)}: ${p.path}: ${p.message}`));
    if (cross.length === 0) {
      forms.push(form);
      formFiles.set(form.id, file);
    }
  }
  // Figures taken from another form are checked once every form is read (the other may come later).
  for (const form of [...forms]) {
    const file = formFiles.get(form.id)!;
    const taken = takenProblems(form, forms);
    taken.forEach((p) => problems.push(`${shown(file)}: ${p.path}: ${p.message}`));
    if (taken.length > 0) forms.splice(forms.indexOf(form), 1);
  }
  if (forms.length === 0 && problems.length === 0) problems.push(`${shown(formsDir)}: không có biểu mẫu nào`);

  const chartFile = join(dir, "chart.yaml");
  const chart = validate(chartTextsSchema, readYaml(chartFile, shown(chartFile), problems), shown(chartFile), problems);

  const webFile = join(dir, "web.yaml");
  const web = validate(webTextsSchema, readYaml(webFile, shown(webFile), problems), shown(webFile), problems);

  if (problems.length > 0 || !messages || !report || !chart || !web) throw new PromptError(problems);
  return { forms, messages, report, chart, web };
}
