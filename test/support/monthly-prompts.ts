// A prompts directory with the monthly report alone: prompts/ as shipped, its forms/ holding only
// mttq-dinh-ky.yaml. Tests of the monthly report's own behaviour (its wording names no report kind, /baocao goes
// straight in) run on it, as a commune that reports only monthly would; the shipped set of report kinds is
// tested on prompts/ itself (report-kinds tests, the forms' end-to-end test).
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_PROMPTS } from "../../src/paths.js";

/** The monthly form's file, the one kept. */
export const MONTHLY_FORM_FILE = "mttq-dinh-ky.yaml";

function monthlyOnly(): string {
  const dir = mkdtempSync(join(tmpdir(), "baocao-prompts-thang-"));
  cpSync(DEFAULT_PROMPTS, dir, { recursive: true });
  for (const name of readdirSync(join(dir, "forms"))) if (name !== MONTHLY_FORM_FILE) rmSync(join(dir, "forms", name));
  return dir;
}

/** Created once per test process. */
export const MONTHLY_PROMPTS = monthlyOnly();
