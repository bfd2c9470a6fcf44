// Assembles the platform-free part of a running bot: prompts, database, the event handler, the drafts and
// the outbox. Adapters (Telegram, simulator, Zalo) plug their transports into it.
import type { Clock } from "../core/clock.js";
import type { Platform } from "../core/types.js";
import { loadPrompts, type Prompts } from "../config/load-prompts.js";
import { openDatabase, type DB } from "../store/db.js";
import { DocumentService } from "./documents.js";
import { DraftPool } from "./drafts/draft-pool.js";
import type { DraftMaker } from "./drafts/draft-maker.js";
import { EventHandler, type WebOptions } from "./event-handler.js";
import type { Logger } from "./logger.js";
import { ReminderScheduler } from "./reminder-scheduler.js";
import { OutboxDrainer, type DrainerOptions, type Transport } from "./outbox.js";
import { UpdateIntake, type IntakeOptions } from "./update-intake.js";
import { ParkedUpdates } from "../store/parked-updates.js";
import { ensureTotals } from "./totals-startup.js";
import { decisionStore } from "../store/decision-store.js";
import { SqlWorld } from "../store/sql-world.js";
import { OutboxStore } from "../store/outbox-store.js";
import { ReminderJobs } from "../store/reminder-jobs.js";
import { effectApplier } from "../store/apply-effects.js";
import { configureNativeMemory } from "./native-memory.js";

export interface CoreOptions {
  databasePath: string;
  promptsDir: string;
  clock: Clock;
  log: Logger;
  newToken?: () => string;
  /** The web view (/web links), when an HTTP server serves it. */
  web?: WebOptions;
  intake?: IntakeOptions;
  /**
   * Drafts are made in a worker thread reading the database file; `inThread` makes them here instead (always so
   * for ":memory:", which no second connection can open). `hold`: see DraftWorkerData.
   */
  drafts?: { inThread?: boolean; memoryMb?: number; hold?: SharedArrayBuffer };
}

export interface Core {
  db: DB;
  prompts: Prompts;
  handler: EventHandler;
  /** Where adapters hand over platform updates (stored before confirmed, parked after repeated failures). */
  intake: UpdateIntake;
  /** Drafts, spreadsheets and charts (in a worker thread unless the database is in memory). */
  documents: DraftMaker;
  clock: Clock;
  log: Logger;
  /** Starts delivering the outbox through these transports. */
  startOutbox(transports: Transport[], opts?: DrainerOptions): OutboxDrainer;
  /** The reminder schedule (checked every minute by default). */
  reminders: ReminderScheduler;
  close(): void;
}

export function createCore(opts: CoreOptions): Core {
  configureNativeMemory();
  const prompts = loadPrompts(opts.promptsDir);
  const db = openDatabase(opts.databasePath);
  ensureTotals(db, prompts.forms, opts.log);
  const decisions = decisionStore(db, prompts.forms);
  const handler = new EventHandler(decisions, prompts, opts.clock, opts.newToken, opts.web);
  const intake = new UpdateIntake(handler, new ParkedUpdates(db), opts.clock, opts.log, opts.intake);
  const local = new DocumentService(new SqlWorld(db), prompts, opts.clock);
  const pool =
    opts.databasePath === ":memory:" || opts.drafts?.inThread
      ? undefined
      : new DraftPool({ databasePath: opts.databasePath, promptsDir: opts.promptsDir, clock: opts.clock, log: opts.log, local, memoryMb: opts.drafts?.memoryMb, hold: opts.drafts?.hold });
  const documents: DraftMaker = pool ?? local;
  const reminders = new ReminderScheduler(new ReminderJobs(db), decisions.world, effectApplier(db, prompts.forms), prompts, opts.clock, opts.log);
  return {
    reminders,
    db,
    prompts,
    handler,
    intake,
    documents,
    clock: opts.clock,
    log: opts.log,
    startOutbox(transports, drainerOpts) {
      const map = new Map<Platform, Transport>(transports.map((t) => [t.platform, t]));
      let gone = 0;
      const drainer = new OutboxDrainer(new OutboxStore(db), map, documents, opts.clock, opts.log, {
        // A refused send tells the core the same way the platform's own membership update does.
        onChatGone: (platform, chatId, reason) =>
          handler.handle({
            platform,
            updateKey: `gone:${chatId}:${opts.clock.now().getTime()}:${++gone}`,
            chat: { id: chatId, type: map.get(platform)?.isGroup?.(chatId) === false ? "private" : "group" },
            from: { id: chatId, name: "" },
            body: { kind: "bot_membership", present: false, reason },
          }),
        ...drainerOpts,
      });
      handler.onQueued(() => drainer.wake());
      reminders.onQueued(() => drainer.wake());
      drainer.start();
      return drainer;
    },
    close() {
      intake.close();
      void pool?.close();
      db.close();
    },
  };
}
