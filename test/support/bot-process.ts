// Runs the real bot as a child process, compiled (`node dist/main.js`, built by the tests' global setup) the way
// `npm start` and production run it, so end-to-end tests exercise start-up, signals and restarts exactly as in
// production.
import { spawn, type ChildProcess } from "node:child_process";
import { MONTHLY_PROMPTS } from "./monthly-prompts.js";
import { createServer } from "node:net";
import { join } from "node:path";
import { ROOT } from "../../src/paths.js";

export interface BotProcess {
  child: ChildProcess;
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

export function startBotProcess(env: Record<string, string>): BotProcess {
  let out = "";
  const child = spawn(process.execPath, [join(ROOT, "dist", "main.js")], {
    cwd: ROOT,
    // The HTTP server is always on: by default on a port of the system's choosing, on loopback only.
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "warn", PORT: "0", HOST: "127.0.0.1", PROMPTS_DIR: MONTHLY_PROMPTS, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    child,
    output: () => out,
    async kill(signal: NodeJS.Signals = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

export async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
