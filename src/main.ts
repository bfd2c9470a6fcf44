// Starts the bot. With TELEGRAM_BOT_TOKEN set it serves Telegram (long polling, or a webhook when
// TELEGRAM_WEBHOOK_URL is set); without it, a chat simulator runs in the terminal on the sample commune.
import { join } from "node:path";
import { offsetClock, systemClock } from "./core/clock.js";
import { readEnv } from "./config/env.js";
import { createCore } from "./app/create-core.js";
import { HttpServer } from "./app/http-server.js";
import { createLogger } from "./app/logger.js";
import type { OutboxDrainer } from "./app/outbox.js";
import { startTelegram, type TelegramRuntime } from "./adapters/telegram/run-telegram.js";
import { runSimulator, seedSimulator } from "./adapters/simulator/simulator.js";
import { DEFAULT_DATABASE, DEFAULT_PROMPTS, ROOT, SAMPLE_UNITS } from "./paths.js";

async function main(): Promise<void> {
  const env = readEnv();
  const simulator = !env.TELEGRAM_BOT_TOKEN;
  // The simulator writes its own chat to the terminal; logs then only say what went wrong.
  const log = createLogger(env.LOG_LEVEL ?? (simulator ? "warn" : "info"), simulator ? undefined : undefined);
  const clock = env.BOT_CLOCK_START ? offsetClock(new Date(env.BOT_CLOCK_START)) : systemClock;
  const core = createCore({
    databasePath: env.DATABASE_PATH ?? (simulator ? join(ROOT, "data", "simulator.sqlite") : DEFAULT_DATABASE),
    promptsDir: env.PROMPTS_DIR ?? DEFAULT_PROMPTS,
    clock,
    log,
  });

  if (simulator) {
    seedSimulator(core, SAMPLE_UNITS);
    await runSimulator(core, { draftsDir: join(ROOT, "data", "drafts") });
    core.close();
    return;
  }

  const http = new HttpServer();
  let telegram: TelegramRuntime | undefined;
  let drainer: OutboxDrainer | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    await telegram?.stop();
    await drainer?.stop();
    await http.close();
    core.close();
    log.info("stopped");
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));

  telegram = await startTelegram(
    {
      token: env.TELEGRAM_BOT_TOKEN!,
      apiRoot: env.TELEGRAM_API_ROOT,
      webhookUrl: env.TELEGRAM_WEBHOOK_URL,
      webhookSecret: env.TELEGRAM_WEBHOOK_SECRET,
      groupPerMinute: env.OUTBOX_GROUP_PER_MINUTE ?? 20,
      groupMinGapMs: env.OUTBOX_GROUP_MIN_GAP_MS ?? 1000,
    },
    core.handler,
    log,
    http,
  );
  drainer = core.startOutbox([telegram.transport]);
  if (telegram.mode === "webhook" || env.PORT !== undefined) {
    const port = await http.listen(env.PORT ?? 8080, env.HOST);
    log.info({ port }, "http server listening");
    // Tests and process managers read this line to know where the webhook is served.
    process.stdout.write(`HTTP_PORT=${port}\n`);
  }
  log.info({ mode: telegram.mode }, "bot running");
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
