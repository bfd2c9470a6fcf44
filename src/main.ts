// Starts the bot. With TELEGRAM_BOT_TOKEN set it serves Telegram (long polling, or a webhook when
// TELEGRAM_WEBHOOK_URL is set); with ZALO_BOT_TOKEN, Zalo (getUpdates, or a webhook when ZALO_WEBHOOK_URL is
// set); both side by side on one database when both are set. Without either, a chat simulator runs in the
// terminal on the sample commune. One process per database: a second one exits at once, naming the database.
import { dirname, join } from "node:path";
import { offsetClock, systemClock } from "./core/clock.js";
import { readEnv } from "./config/env.js";
import { createCore } from "./app/create-core.js";
import { HttpServer } from "./app/http-server.js";
import { createLogger, masker } from "./app/logger.js";
import type { OutboxDrainer, Transport } from "./app/outbox.js";
import { FileLinkStore, serveFileLinks } from "./app/file-links.js";
import { WebView, serveWebView } from "./app/web/web-view.js";
import { startTelegram, type TelegramRuntime } from "./adapters/telegram/run-telegram.js";
import { startZalo, type ZaloRuntime } from "./adapters/zalo/run-zalo.js";
import { loadSimulatorTexts, runSimulator, seedSimulator } from "./adapters/simulator/simulator.js";
import { acquireInstanceLock } from "./store/instance-lock.js";
import { ParkedUpdates } from "./store/parked-updates.js";
import { SqlWorld } from "./store/sql-world.js";
import { WebLinkStore } from "./store/web-links.js";
import { FileLinkRows } from "./store/file-link-rows.js";
import { chatLookups } from "./store/chat-lookups.js";
import { DEFAULT_DATABASE, DEFAULT_PROMPTS, ROOT, SAMPLE_UNITS } from "./paths.js";

async function main(): Promise<void> {
  const env = readEnv();
  const simulator = !env.TELEGRAM_BOT_TOKEN && !env.ZALO_BOT_TOKEN;
  const secrets = [env.TELEGRAM_BOT_TOKEN, env.ZALO_BOT_TOKEN, env.TELEGRAM_WEBHOOK_SECRET, env.ZALO_WEBHOOK_SECRET].filter((s): s is string => !!s);
  // The simulator writes its own chat to the terminal; logs then only say what went wrong.
  const log = createLogger(env.LOG_LEVEL ?? (simulator ? "warn" : "info"), undefined, { secrets });
  const clock = env.BOT_CLOCK_START ? offsetClock(new Date(env.BOT_CLOCK_START)) : systemClock;
  const databasePath = env.DATABASE_PATH ?? (simulator ? join(ROOT, "data", "simulator.sqlite") : DEFAULT_DATABASE);
  const lock = acquireInstanceLock(databasePath);
  // The public address of the HTTP server, known once it listens (the port may be chosen then).
  let publicBase: string | undefined;
  const core = createCore({
    databasePath,
    promptsDir: env.PROMPTS_DIR ?? DEFAULT_PROMPTS,
    clock,
    log,
    web: { baseUrl: () => publicBase, hours: env.WEB_LINK_HOURS ?? 72 },
  });
  log.info({ database: databasePath }, "database open");

  if (simulator) {
    const texts = loadSimulatorTexts(env.PROMPTS_DIR ?? DEFAULT_PROMPTS);
    seedSimulator(core, SAMPLE_UNITS, texts);
    // Drafts land next to the database (data/drafts/ by default).
    await runSimulator(core, texts, { draftsDir: join(dirname(databasePath), "drafts") });
    core.close();
    lock.release();
    return;
  }

  const http = new HttpServer();
  let telegram: TelegramRuntime | undefined;
  let zalo: ZaloRuntime | undefined;
  let drainer: OutboxDrainer | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    core.reminders.stop();
    // Updates still being retried stay unconfirmed: the platform delivers them again after the restart.
    core.intake.close();
    await telegram?.stop();
    await zalo?.stop();
    await drainer?.stop();
    await http.close();
    core.close();
    lock.release();
    log.info("stopped");
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));

  const parked = new ParkedUpdates(core.db);
  http.healthFrom(() => ({
    status: "ok",
    outbox: drainer?.health() ?? { backlog: 0, oldestUnsentSeconds: null },
    lastUpdateAt: core.intake.lastUpdates(),
    parkedUpdates: parked.openCount(),
  }));

  // The HTTP server listens before the webhooks are registered, so the platforms never find it closed. It is on
  // whenever a platform is served: it also serves /healthz, the web view (/web links) and, for Zalo, the draft links.
  serveWebView(http, new WebView(new SqlWorld(core.db), new WebLinkStore(core.db), core.prompts, clock, core.documents));
  const port = await http.listen(env.PORT ?? 8080, env.HOST);
  publicBase = env.PUBLIC_BASE_URL ?? `http://127.0.0.1:${port}`;
  log.info({ port }, "http server listening");
  // Tests and process managers read this line to know where the webhook is served.
  process.stdout.write(`HTTP_PORT=${port}\n`);
  if (!env.PUBLIC_BASE_URL) log.warn("PUBLIC_BASE_URL is not set: web-view and draft links point to 127.0.0.1 and will not open on phones");
  const transports: Transport[] = [];
  if (env.TELEGRAM_BOT_TOKEN) {
    telegram = await startTelegram(
      {
        token: env.TELEGRAM_BOT_TOKEN,
        apiRoot: env.TELEGRAM_API_ROOT,
        webhookUrl: env.TELEGRAM_WEBHOOK_URL,
        webhookSecret: env.TELEGRAM_WEBHOOK_SECRET,
        menu: core.prompts.messages.commands_menu,
        groupPerMinute: env.OUTBOX_GROUP_PER_MINUTE ?? 20,
        groupMinGapMs: env.OUTBOX_GROUP_MIN_GAP_MS ?? 1000,
        globalPerSecond: env.TELEGRAM_GLOBAL_PER_SECOND ?? 25,
        messages: core.prompts.messages,
      },
      core.intake,
      log,
      http,
    );
    transports.push(telegram.transport);
  }
  if (env.ZALO_BOT_TOKEN) {
    // Zalo cannot send files: drafts are served by this process at unguessable, expiring links.
    const files = new FileLinkStore(new FileLinkRows(core.db), clock, {
      ttlMs: (env.FILE_LINK_HOURS ?? 72) * 3_600_000,
      baseUrl: () => publicBase!,
    });
    serveFileLinks(http, files);
    zalo = await startZalo(
      {
        token: env.ZALO_BOT_TOKEN,
        apiRoot: env.ZALO_API_ROOT,
        webhookUrl: env.ZALO_WEBHOOK_URL,
        webhookSecret: env.ZALO_WEBHOOK_SECRET,
        botName: env.ZALO_BOT_NAME,
        botLink: env.ZALO_BOT_LINK,
        groupPerMinute: env.OUTBOX_GROUP_PER_MINUTE ?? 20,
        groupMinGapMs: env.OUTBOX_GROUP_MIN_GAP_MS ?? 1000,
        globalPerSecond: env.ZALO_GLOBAL_PER_SECOND ?? 5,
      },
      { intake: core.intake, log, http, lookups: chatLookups(core.db, "zalo"), messages: core.prompts.messages, publishFile: (f) => files.issue(f) },
    );
    transports.push(zalo.transport);
  }
  drainer = core.startOutbox(transports);
  core.reminders.start(env.REMINDER_INTERVAL_MS ?? 60_000);
  log.info({ telegram: telegram?.mode, zalo: zalo?.mode }, "bot running");
}

main().catch((err: unknown) => {
  // Start-up errors (a database in use or read-only, bad settings, a refused token) are for a person to read.
  const mask = masker([process.env.TELEGRAM_BOT_TOKEN ?? "", process.env.ZALO_BOT_TOKEN ?? ""]);
  process.stderr.write(`${mask(err instanceof Error ? err.message : String(err))}\n`);
  process.exit(1);
});
