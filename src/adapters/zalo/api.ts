// A small typed client for the official Zalo Bot API (https://bot-api.zaloplatforms.com/bot<TOKEN>/<method>).
// Requests are JSON POSTs; answers are `{ok:true, result}` or `{ok:false, error_code, description}`, validated
// with zod. Errors never carry the request URL, so the token cannot leak into a log through them.
import { z } from "zod";

export const ZALO_API_ROOT = "https://bot-api.zaloplatforms.com";
/** sendMessage accepts 1–2000 characters. */
export const ZALO_TEXT_LIMIT = 2000;

const envelopeSchema = z
  .object({
    ok: z.boolean(),
    result: z.unknown().optional(),
    error_code: z.number().optional(),
    description: z.string().optional(),
    parameters: z.object({ retry_after: z.number().optional() }).loose().optional(),
  })
  .loose();

const id = z.union([z.string().min(1), z.number()]).transform(String);

export const botInfoSchema = z
  .object({
    id,
    account_name: z.string().optional(),
    display_name: z.string().optional(),
    name: z.string().optional(),
    account_type: z.string().optional(),
    can_join_groups: z.boolean().optional(),
  })
  .loose();
export type BotInfo = z.infer<typeof botInfoSchema>;

/** A sent message. Lenient on purpose: once the API said ok, the message is out, whatever else it answered. */
export const sentSchema = z
  .unknown()
  .transform((v) => {
    const r = z.object({ message_id: id.optional(), date: z.number().optional() }).loose().safeParse(v);
    return r.success ? r.data : {};
  });
export type SentMessage = z.infer<typeof sentSchema>;

export const webhookInfoSchema = z.object({ url: z.string().optional(), updated_at: z.number().optional() }).loose();
export type WebhookInfo = z.infer<typeof webhookInfoSchema>;

/** The API answered `ok:false` (or something that is not the API's JSON). */
export class ZaloApiError extends Error {
  constructor(
    readonly method: string,
    readonly errorCode: number,
    readonly description: string,
    readonly retryAfter?: number,
  ) {
    super(`Zalo ${method}: ${errorCode} ${description}`);
    this.name = "ZaloApiError";
  }
}

/** The request did not get an answer (connection refused, reset, timeout). */
export class ZaloNetworkError extends Error {
  constructor(
    readonly method: string,
    detail: string,
  ) {
    super(`Zalo ${method}: ${detail}`);
    this.name = "ZaloNetworkError";
  }
}

export interface ZaloApiOptions {
  apiRoot?: string;
  /** Per-request timeout for every method except getUpdates (which waits its own timeout plus a margin). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export class ZaloApi {
  private readonly root: string;
  private readonly fetchFn: typeof fetch;
  private readonly timeoutMs: number;

  constructor(
    private readonly token: string,
    opts: ZaloApiOptions = {},
  ) {
    this.root = (opts.apiRoot ?? ZALO_API_ROOT).replace(/\/+$/, "");
    this.fetchFn = opts.fetch ?? fetch;
    this.timeoutMs = opts.timeoutMs ?? 20_000;
  }

  /** Calls a method and returns its raw `result`; throws ZaloApiError or ZaloNetworkError. */
  async call(method: string, params: Record<string, unknown> = {}, opts: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<unknown> {
    const timeout = AbortSignal.timeout(opts.timeoutMs ?? this.timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    let res: Response;
    let body: string;
    try {
      res = await this.fetchFn(`${this.root}/bot${this.token}/${method}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(params),
        signal,
      });
      body = await res.text();
    } catch (err) {
      const e = err as Error;
      const detail = e.name === "TimeoutError" ? "timeout" : e.name === "AbortError" ? "aborted" : (e.cause as Error | undefined)?.message ?? e.message;
      throw new ZaloNetworkError(method, this.mask(String(detail)));
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new ZaloApiError(method, res.status, res.status === 408 ? "Request timeout" : `unexpected answer (HTTP ${res.status})`);
    }
    const env = envelopeSchema.safeParse(json);
    if (!env.success) throw new ZaloApiError(method, res.status, `unexpected answer (HTTP ${res.status})`);
    if (!env.data.ok) {
      throw new ZaloApiError(
        method,
        env.data.error_code ?? res.status,
        this.mask(env.data.description ?? "error"),
        env.data.parameters?.retry_after,
      );
    }
    return env.data.result;
  }

  private async typed<T extends z.ZodType>(schema: T, method: string, params: Record<string, unknown> = {}): Promise<z.infer<T>> {
    const result = await this.call(method, params);
    const parsed = schema.safeParse(result);
    if (!parsed.success) throw new ZaloApiError(method, 0, "unexpected result shape");
    return parsed.data;
  }

  private mask(text: string): string {
    return this.token ? text.split(this.token).join("***") : text;
  }

  getMe(): Promise<BotInfo> {
    return this.typed(botInfoSchema, "getMe");
  }

  /**
   * Long-polls for the next update. The API hands out one update per call (no offsets) and answers
   * 408 "Request timeout" when nothing arrived: that is an empty poll, returned as [].
   * The raw updates are returned for the caller to validate.
   */
  async getUpdates(opts: { timeoutSec?: number; signal?: AbortSignal } = {}): Promise<unknown[]> {
    const timeoutSec = opts.timeoutSec ?? 30;
    try {
      const result = await this.call("getUpdates", { timeout: String(timeoutSec) }, { signal: opts.signal, timeoutMs: (timeoutSec + 15) * 1000 });
      if (result === undefined || result === null) return [];
      return Array.isArray(result) ? result : [result];
    } catch (err) {
      if (err instanceof ZaloApiError && err.errorCode === 408) return [];
      throw err;
    }
  }

  setWebhook(url: string, secretToken: string): Promise<WebhookInfo> {
    return this.typed(webhookInfoSchema.optional().transform((v) => v ?? {}), "setWebhook", { url, secret_token: secretToken });
  }

  deleteWebhook(): Promise<WebhookInfo> {
    return this.typed(webhookInfoSchema.optional().transform((v) => v ?? {}), "deleteWebhook");
  }

  getWebhookInfo(): Promise<WebhookInfo> {
    return this.typed(webhookInfoSchema.optional().transform((v) => v ?? {}), "getWebhookInfo");
  }

  sendMessage(chatId: string, text: string): Promise<SentMessage> {
    return this.typed(sentSchema, "sendMessage", { chat_id: chatId, text });
  }

  /** A photo by URL, with an optional caption (1–2000 characters). */
  sendPhoto(chatId: string, photo: string, caption?: string): Promise<SentMessage> {
    return this.typed(sentSchema, "sendPhoto", { chat_id: chatId, photo, ...(caption ? { caption } : {}) });
  }

  async sendChatAction(chatId: string, action: "typing" | "upload_photo" = "typing"): Promise<void> {
    await this.call("sendChatAction", { chat_id: chatId, action });
  }
}
