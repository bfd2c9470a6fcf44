// Runs the administration command line (`npm run cli -- …`) as a child process against a database file.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "../../src/paths.js";

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `env` adds to the child's environment (e.g. BOT_CLOCK_START to set its clock). */
export function runCli(args: string[], databasePath: string, env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "src", "cli", "main.ts"), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DATABASE_PATH: databasePath, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
