// vitest global setup: compiles src/ to dist/ once per run (incremental, about a second), so that the
// end-to-end tests start the bot as production does — `node dist/main.js` — and pay no TypeScript transform at
// each of their many starts and restarts.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "../../src/paths.js";

export default function buildOnce(): void {
  execFileSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", join(ROOT, "tsconfig.build.json")], {
    cwd: ROOT,
    stdio: "inherit",
  });
}
