/**
 * A local stand-in of the Zalo Bot API for end-to-end tests, on http://127.0.0.1:PORT/bot<TOKEN>/<method>.
 *
 * It follows the documented shapes: JSON POST bodies (query strings and urlencoded bodies are accepted too),
 * answers `{ok:true, result}` or `{ok:false, error_code, description}`; getMe reports `{id, account_name,
 * account_type, can_join_groups}` and no display name (account_name is the name people see and @mention);
 * getUpdates long-polls and hands out one update per call, or answers 408 "Request timeout" when nothing
 * arrived; updates look like `{event_name, message:{from:{id, display_name}, chat:{id, chat_type}, text,
 * message_id, date}}`; a webhook receives each update wrapped as `{ok:true, result:update}` (the bare update
 * with `webhookBare`) in a POST with the `X-Bot-Api-Secret-Token` header, retried until it answers 2xx.
 * sendMessage refuses text outside 1–2000 characters and chats the bot has never seen. sendPhoto takes
 * `{chat_id, photo, caption?}` with `photo` an image URL, as documented; like the platform, the stand-in
 * fetches the image from that URL when the photo is sent (recording the bytes) and refuses a URL that does not
 * answer with an image.
 *
 * Groups behave as reported for the Zalo Bot Platform: the bot receives a group message only when it
 * @mentions the bot; other group messages are recorded in `droppedNotMentioned` and never delivered.
 *
 * Time: the injected clock drives message dates only; waits use real timers from `node:timers`.
 */
import http from "node:http";
import { clearTimeout, setTimeout } from "node:timers";

export interface FakeZaloClock {
  now(): number | Date;
}

export interface FakeZaloOptions {
  /** Default "1234567890123456789:FakeZaloTokenForTests_abcdefghij". */
  token?: string;
  /** The bot's name (getMe's account_name), the one people see and @mention. Default "Trợ lý MTTQ". */
  botName?: string;
  clock?: FakeZaloClock;
  /** Longest getUpdates wait the server grants, in seconds (tests make empty polls quick). Default 30. */
  maxPollSeconds?: number;
  /** Deliver webhook bodies as the bare update instead of the documented `{ok:true, result:update}`. */
  webhookBare?: boolean;
  webhookRetryDelayMs?: number;
  webhookMaxAttempts?: number;
  webhookTimeoutMs?: number;
  /** Refuse non-HTTPS webhook URLs, as the real platform does. Default false (tests use http://127.0.0.1). */
  requireHttpsWebhook?: boolean;
  /** Fetch each photo from its URL when it is sent, as the platform does. Default true. */
  fetchPhotos?: boolean;
  port?: number;
}

export interface ZaloUserInput {
  id: string;
  name: string;
}

export interface ZaloChatInput {
  id: string;
  type: "GROUP" | "PRIVATE";
}

export interface ZaloUpdate {
  event_name: string;
  message: {
    from: { id: string; display_name: string; is_bot: boolean };
    chat: { id: string; chat_type: "GROUP" | "PRIVATE" };
    text?: string;
    sticker?: string;
    message_id: string;
    date: number;
  };
}

export interface ZaloSent {
  method: "sendMessage" | "sendPhoto" | "sendChatAction";
  chatId: string;
  text?: string;
  photo?: string;
  /** The image fetched from `photo` when it was sent (with fetchPhotos). */
  photoBytes?: Buffer;
  photoType?: string;
  caption?: string;
  action?: string;
  messageId?: string;
  at: number;
}

export interface ZaloCall {
  method: string;
  params: Record<string, unknown>;
  status: number;
  description?: string;
  at: number;
}

export interface ZaloWebhookDelivery {
  key: string;
  attempt: number;
  url: string;
  secretToken?: string;
  status?: number;
  error?: string;
  at: number;
}

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
  ) {
    super(description);
  }
}

interface Waiter {
  res: http.ServerResponse;
  timer: NodeJS.Timeout;
}

const TEXT_LIMIT = 2000;
const hex = (n: number, len = 20) => n.toString(16).padStart(len, "0");

export class FakeZalo {
  readonly token: string;
  readonly bot: { id: string; account_name: string };
  readonly sent: ZaloSent[] = [];
  readonly calls: ZaloCall[] = [];
  /** Every update the platform produced for the bot (delivered or queued). */
  readonly updates: ZaloUpdate[] = [];
  /** Group messages that did not mention the bot: the bot never sees them. */
  readonly droppedNotMentioned: ZaloUpdate[] = [];
  readonly webhookDeliveries: ZaloWebhookDelivery[] = [];
  webhook?: { url: string; secret: string; updatedAt: number };

  private server?: http.Server;
  private port = 0;
  private readonly queue: Array<{ update: unknown; key: string }> = [];
  private readonly waiters: Waiter[] = [];
  private readonly knownChats = new Set<string>();
  private readonly sentListeners = new Set<(s: ZaloSent) => void>();
  private webhookChain: Promise<void> = Promise.resolve();
  private nextMessage = 1;
  private closed = false;
  private readonly failures: Array<{ method: string; code: number; description: string; times: number }> = [];

  private constructor(private readonly opts: FakeZaloOptions) {
    this.token = opts.token ?? "1234567890123456789:FakeZaloTokenForTests_abcdefghij";
    this.bot = { id: this.token.split(":")[0]!, account_name: opts.botName ?? "Trợ lý MTTQ" };
  }

  static async start(opts: FakeZaloOptions = {}): Promise<FakeZalo> {
    const fake = new FakeZalo(opts);
    fake.server = http.createServer((req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => fake.server!.listen(opts.port ?? 0, "127.0.0.1", resolve));
    const addr = fake.server.address();
    fake.port = typeof addr === "object" && addr ? addr.port : 0;
    return fake;
  }

  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pendingUpdates(): number {
    return this.queue.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.res.destroy();
    }
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** The next `times` calls of `method` fail with this error. */
  failNext(method: string, code: number, description: string, times = 1): void {
    this.failures.push({ method, code, description, times });
  }

  private now(): number {
    const t = this.opts.clock?.now() ?? Date.now();
    return t instanceof Date ? t.getTime() : t;
  }

  // ───────────────────────────── the people's side ─────────────────────────────

  /** Whether a group message mentions the bot, i.e. whether Zalo would deliver it. */
  mentionsBot(text: string): boolean {
    return text.normalize("NFC").toLowerCase().includes(`@${this.bot.account_name.normalize("NFC").toLowerCase()}`);
  }

  private message(chat: ZaloChatInput, from: ZaloUserInput, event: string, content: { text?: string; sticker?: string }): ZaloUpdate {
    return {
      event_name: event,
      message: {
        from: { id: from.id, display_name: from.name, is_bot: false },
        chat: { id: chat.id, chat_type: chat.type },
        ...content,
        message_id: hex(0xa000000 + this.nextMessage++),
        date: this.now(),
      },
    };
  }

  /** A person writes; in a group it reaches the bot only when it mentions the bot. */
  userSays(input: { chat: ZaloChatInput; from: ZaloUserInput; text: string }): { update: ZaloUpdate; delivered: boolean } {
    const update = this.message(input.chat, input.from, "message.text.received", { text: input.text });
    if (input.chat.type === "GROUP" && !this.mentionsBot(input.text)) {
      this.droppedNotMentioned.push(update);
      return { update, delivered: false };
    }
    this.enqueue(update);
    return { update, delivered: true };
  }

  userSendsSticker(input: { chat: ZaloChatInput; from: ZaloUserInput }): ZaloUpdate {
    const update = this.message(input.chat, input.from, "message.sticker.received", { sticker: "0e078a2fb66a5f34067b" });
    this.enqueue(update);
    return update;
  }

  /** A message kind Zalo itself cannot show the bot (`message.unsupported.received`). */
  userSendsUnsupported(input: { chat: ZaloChatInput; from: ZaloUserInput }): ZaloUpdate {
    const update = this.message(input.chat, input.from, "message.unsupported.received", {});
    this.enqueue(update);
    return update;
  }

  /** Delivers the same update again (the platform's redelivery). */
  redeliver(update: ZaloUpdate): void {
    this.enqueue(update);
  }

  /** Delivers any body, valid or not. */
  injectRaw(body: unknown): void {
    this.pushUpdate(body, `raw${this.nextMessage++}`);
  }

  private enqueue(update: ZaloUpdate): void {
    this.knownChats.add(update.message.chat.id);
    this.knownChats.add(update.message.from.id);
    this.updates.push(update);
    this.pushUpdate(update, `${update.event_name}:${update.message.message_id}`);
  }

  private pushUpdate(update: unknown, key: string): void {
    if (this.webhook) {
      const target = this.webhook;
      this.webhookChain = this.webhookChain.then(() => this.postWebhook(target, update, key));
      return;
    }
    this.queue.push({ update, key });
    this.serveWaiters();
  }

  private async postWebhook(target: { url: string; secret: string }, update: unknown, key: string): Promise<void> {
    const body = JSON.stringify(this.opts.webhookBare ? update : { ok: true, result: update });
    const max = this.opts.webhookMaxAttempts ?? 100;
    for (let attempt = 1; attempt <= max && !this.closed; attempt++) {
      const delivery: ZaloWebhookDelivery = { key, attempt, url: target.url, secretToken: target.secret, at: this.now() };
      this.webhookDeliveries.push(delivery);
      try {
        delivery.status = await new Promise<number>((resolve, reject) => {
          const req = http.request(
            target.url,
            {
              method: "POST",
              headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), "X-Bot-Api-Secret-Token": target.secret },
              timeout: this.opts.webhookTimeoutMs ?? 5000,
              agent: false,
            },
            (res) => {
              res.resume();
              res.on("end", () => resolve(res.statusCode ?? 0));
            },
          );
          req.on("timeout", () => req.destroy(new Error("timeout")));
          req.on("error", reject);
          req.end(body);
        });
        if (delivery.status >= 200 && delivery.status < 300) return;
      } catch (err) {
        delivery.error = (err as Error).message;
      }
      await new Promise((r) => setTimeout(r, this.opts.webhookRetryDelayMs ?? 200));
    }
  }

  private serveWaiters(): void {
    while (this.queue.length > 0 && this.waiters.length > 0) {
      const w = this.waiters.shift()!;
      clearTimeout(w.timer);
      if (w.res.destroyed || w.res.socket?.destroyed) continue;
      const next = this.queue.shift()!;
      this.respond(w.res, 200, { ok: true, result: next.update });
    }
  }

  // ───────────────────────────── observing the bot ─────────────────────────────

  /** Messages the bot sent to a chat: texts and photos. */
  messagesTo(chatId: string): ZaloSent[] {
    return this.sent.filter((s) => s.chatId === chatId && (s.method === "sendMessage" || s.method === "sendPhoto"));
  }

  photosTo(chatId: string): ZaloSent[] {
    return this.sent.filter((s) => s.chatId === chatId && s.method === "sendPhoto");
  }

  lastTo(chatId: string): ZaloSent | undefined {
    return this.messagesTo(chatId).at(-1);
  }

  /** Resolves with the first sent entry (from `fromIndex` on) matching the predicate. */
  waitFor(predicate: (s: ZaloSent) => boolean, timeoutMs = 5000, opts: { fromIndex?: number } = {}): Promise<ZaloSent> {
    const found = this.sent.slice(opts.fromIndex ?? 0).find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.sentListeners.delete(listener);
        const last = this.sent.at(-1);
        reject(new Error(`FakeZalo.waitFor timed out after ${timeoutMs} ms; last sent: ${last ? JSON.stringify(last).slice(0, 300) : "nothing"}`));
      }, timeoutMs);
      const listener = (s: ZaloSent) => {
        if (!predicate(s)) return;
        clearTimeout(timer);
        this.sentListeners.delete(listener);
        resolve(s);
      };
      this.sentListeners.add(listener);
    });
  }

  private record(s: ZaloSent): void {
    this.sent.push(s);
    for (const l of [...this.sentListeners]) l(s);
  }

  // ───────────────────────────── the API ─────────────────────────────

  private respond(res: http.ServerResponse, status: number, body: unknown): void {
    if (res.destroyed) return;
    const json = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(json) });
    res.end(json);
  }

  private async params(req: http.IncomingMessage, url: URL): Promise<Record<string, unknown>> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const out: Record<string, unknown> = Object.fromEntries(url.searchParams);
    if (!raw) return out;
    const type = req.headers["content-type"] ?? "";
    if (type.includes("application/x-www-form-urlencoded")) return { ...out, ...Object.fromEntries(new URLSearchParams(raw)) };
    try {
      const json = JSON.parse(raw) as unknown;
      if (json && typeof json === "object" && !Array.isArray(json)) return { ...out, ...(json as Record<string, unknown>) };
    } catch {
      throw new ApiError(400, "Bad Request: invalid JSON body");
    }
    throw new ApiError(400, "Bad Request: body must be a JSON object");
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    const call: ZaloCall = { method: m?.[2] ?? url.pathname, params: {}, status: 0, at: this.now() };
    this.calls.push(call);
    const fail = (e: ApiError) => {
      call.status = e.code;
      call.description = e.description;
      this.respond(res, e.code, { ok: false, error_code: e.code, description: e.description });
    };
    try {
      if (!m) throw new ApiError(404, "Not Found");
      if (m[1] !== this.token) throw new ApiError(401, "Unauthorized");
      call.params = await this.params(req, url);
      const failure = this.failures.find((f) => f.method === call.method && f.times > 0);
      if (failure) {
        failure.times--;
        throw new ApiError(failure.code, failure.description);
      }
      if (call.method === "getUpdates") {
        this.getUpdates(call.params, res, call);
        return;
      }
      const result = call.method === "sendPhoto" ? await this.sendPhoto(call.params) : this.dispatch(call.method, call.params);
      call.status = 200;
      this.respond(res, 200, { ok: true, result });
    } catch (err) {
      fail(err instanceof ApiError ? err : new ApiError(500, "Internal Server Error"));
    }
  }

  private str(params: Record<string, unknown>, key: string): string | undefined {
    const v = params[key];
    return typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;
  }

  private checkText(text: string | undefined, what: string, required: boolean): void {
    if (text === undefined || text === "") {
      if (required) throw new ApiError(400, `Bad Request: ${what} is required`);
      return;
    }
    // Counted in UTF-16 code units, as a Java back end counts String.length().
    if (text.length > TEXT_LIMIT) throw new ApiError(400, `Bad Request: ${what} must be 1-${TEXT_LIMIT} characters (got ${text.length})`);
  }

  private chat(params: Record<string, unknown>): string {
    const chatId = this.str(params, "chat_id");
    if (!chatId) throw new ApiError(400, "Bad Request: chat_id is required");
    if (!this.knownChats.has(chatId)) throw new ApiError(400, "Bad Request: chat not found");
    return chatId;
  }

  private dispatch(method: string, p: Record<string, unknown>): unknown {
    switch (method) {
      case "getMe":
        return { id: this.bot.id, account_name: this.bot.account_name, account_type: "BASIC", can_join_groups: true };
      case "setWebhook": {
        const url = this.str(p, "url");
        const secret = this.str(p, "secret_token");
        if (!url) throw new ApiError(400, "Bad Request: url is required");
        if (this.opts.requireHttpsWebhook && !url.startsWith("https://")) throw new ApiError(400, "Bad Request: url must be HTTPS");
        if (!secret || secret.length < 8 || secret.length > 256) throw new ApiError(400, "Bad Request: secret_token must be 8-256 characters");
        this.webhook = { url, secret, updatedAt: this.now() };
        // Updates waiting for a poller now go to the webhook.
        for (const q of this.queue.splice(0)) this.pushUpdate(q.update, q.key);
        return { url, updated_at: this.webhook.updatedAt };
      }
      case "deleteWebhook":
        this.webhook = undefined;
        return { url: "", updated_at: this.now() };
      case "getWebhookInfo":
        return { url: this.webhook?.url ?? "", updated_at: this.webhook?.updatedAt ?? 0 };
      case "sendMessage": {
        const chatId = this.chat(p);
        const text = this.str(p, "text");
        this.checkText(text, "text", true);
        const messageId = hex(0xb000000 + this.nextMessage++);
        this.record({ method: "sendMessage", chatId, text, messageId, at: this.now() });
        return { message_id: messageId, date: this.now() };
      }
      case "sendChatAction": {
        const chatId = this.chat(p);
        const action = this.str(p, "action");
        if (action !== "typing" && action !== "upload_photo") throw new ApiError(400, "Bad Request: unknown action");
        this.record({ method: "sendChatAction", chatId, action, at: this.now() });
        return undefined;
      }
      default:
        throw new ApiError(404, "Not Found: method not found");
    }
  }

  /** sendPhoto: the image is fetched from its URL now, as the platform does before it posts the photo. */
  private async sendPhoto(p: Record<string, unknown>): Promise<unknown> {
    const chatId = this.chat(p);
    const photo = this.str(p, "photo");
    if (!photo || !/^https?:\/\//.test(photo)) throw new ApiError(400, "Bad Request: photo must be a URL");
    const caption = this.str(p, "caption");
    this.checkText(caption, "caption", false);
    let photoBytes: Buffer | undefined;
    let photoType: string | undefined;
    if (this.opts.fetchPhotos ?? true) {
      // Tests never reach outside the machine: only loopback addresses are fetched.
      const host = new URL(photo).hostname;
      if (!/^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(host)) throw new ApiError(400, "Bad Request: cannot download photo (not a loopback address)");
      const res = await fetch(photo, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
      photoType = res?.headers.get("content-type") ?? undefined;
      if (!res || res.status !== 200 || !photoType?.startsWith("image/")) {
        await res?.body?.cancel();
        throw new ApiError(400, `Bad Request: cannot download photo (HTTP ${res?.status ?? "error"})`);
      }
      photoBytes = Buffer.from(await res.arrayBuffer());
    }
    const messageId = hex(0xb000000 + this.nextMessage++);
    this.record({ method: "sendPhoto", chatId, photo, ...(photoBytes ? { photoBytes, photoType } : {}), caption, messageId, at: this.now() });
    return { message_id: messageId, date: this.now() };
  }

  private getUpdates(p: Params, res: http.ServerResponse, call: ZaloCall): void {
    if (this.webhook) {
      call.status = 409;
      this.respond(res, 409, { ok: false, error_code: 409, description: "Conflict: webhook is active, call deleteWebhook first" });
      return;
    }
    const asked = Number(this.str(p, "timeout") ?? 30);
    const seconds = Math.max(0, Math.min(Number.isFinite(asked) ? asked : 30, this.opts.maxPollSeconds ?? 30));
    const next = this.queue.shift();
    if (next) {
      call.status = 200;
      this.respond(res, 200, { ok: true, result: next.update });
      return;
    }
    const waiter: Waiter = {
      res,
      timer: setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        call.status = 408;
        this.respond(res, 408, { ok: false, error_code: 408, description: "Request timeout" });
      }, seconds * 1000),
    };
    // A poller that goes away (the bot was killed) must not take an update with it.
    res.on("close", () => {
      const i = this.waiters.indexOf(waiter);
      if (i >= 0) {
        this.waiters.splice(i, 1);
        clearTimeout(waiter.timer);
      }
    });
    this.waiters.push(waiter);
    call.status = 200;
  }
}

type Params = Record<string, unknown>;

export function startFakeZalo(opts: FakeZaloOptions = {}): Promise<FakeZalo> {
  return FakeZalo.start(opts);
}
