// Assembles the platform-free part of a running bot: prompts, database, the event handler, the drafts and
// the outbox. Adapters (Telegram, simulator, Zalo) plug their transports into it.
import type { Clock } from "../core/clock.js";
import type { Platform } from "../core/types.js";
import { loadPrompts, type Prompts } from "../config/load-prompts.js";
import { openDatabase, type DB } from "../store/db.js";
import { DocumentService } from "./documents.js";
import { EventHandler, type WebOptions } from "./event-handler.js";
import type { Logger } from "./logger.js";
import { ReminderScheduler } from "./reminder-scheduler.js";
import { OutboxDrainer, type DrainerOptions, type Transport } from "./outbox.js";

export interface CoreOptions {
  databasePath: string;
  promptsDir: string;
  clock: Clock;
  log: Logger;
  newToken?: () => string;
  /** The web view (/web links), when an HTTP server serves it. */
  web?: WebOptions;
}

export interface Core {
  db: DB;
  prompts: Prompts;
  handler: EventHandler;
  documents: DocumentService;
  clock: Clock;
  log: Logger;
  /** Starts delivering the outbox through these transports. */
  startOutbox(transports: Transport[], opts?: DrainerOptions): OutboxDrainer;
  /** The reminder schedule (checked every minute by default). */
  reminders: ReminderScheduler;
  close(): void;
}

export function createCore(opts: CoreOptions): Core {
  const prompts = loadPrompts(opts.promptsDir);
  const db = openDatabase(opts.databasePath);
  const handler = new EventHandler(db, prompts, opts.clock, opts.newToken, opts.web);
  const documents = new DocumentService(db, prompts, opts.clock);
  const reminders = new ReminderScheduler(db, prompts, opts.clock, opts.log);
  return {
    reminders,
    db,
    prompts,
    handler,
    documents,
    clock: opts.clock,
    log: opts.log,
    startOutbox(transports, drainerOpts) {
      const map = new Map<Platform, Transport>(transports.map((t) => [t.platform, t]));
      const drainer = new OutboxDrainer(db, map, documents, opts.clock, opts.log, drainerOpts);
      handler.onQueued(() => drainer.wake());
      reminders.onQueued(() => drainer.wake());
      drainer.start();
      return drainer;
    },
    close() {
      db.close();
    },
  };
}
