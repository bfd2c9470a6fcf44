import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The project root, wherever the process was started from. */
export const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
export const DEFAULT_DATABASE = join(ROOT, "data", "baocao.sqlite");
export const DEFAULT_PROMPTS = join(ROOT, "prompts");
export const SAMPLE_UNITS = join(ROOT, "data", "sample-units.csv");
