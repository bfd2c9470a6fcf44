// The seam between platforms and the core. Adapters turn Telegram/Zalo/simulator input into InboundEvent and
// turn Outgoing into API calls; the core never sees a platform object.
import type { ReportKey } from "./report-key.js";
import type { Platform, Value } from "./types.js";

export type ChatType = "private" | "group";

/** Why the bot can no longer write to a chat: removed from a group, blocked by a person, or no such chat. */
export type ChatGoneReason = "kicked" | "left" | "blocked" | "not_found" | "deactivated" | "never_started";

export interface InboundEvent {
  platform: Platform;
  /** Unique per platform; the same update arriving twice is processed once. */
  updateKey: string;
  chat: { id: string; type: ChatType; title?: string };
  from: { id: string; name: string; username?: string };
  /** Platform message id of the person's message (to reply to it). */
  messageId?: string;
  /** The message this one replies to, when it is a reply. */
  replyTo?: { messageId: string; fromBot: boolean };
  body:
    | { kind: "text"; text: string }
    /** A button press; `data` was set by the bot and may be forged, so it is checked again. */
    | { kind: "choice"; data: string; messageId: string; callbackId?: string }
    /** Stickers, photos, voice…: answered politely, never stored. */
    | { kind: "media" }
    /** An edit of an earlier message: ignored, answers are taken from new messages only. */
    | { kind: "edited" }
    /** The group became a supergroup with a new id. */
    | { kind: "migrated"; toChatId: string }
    /** Someone left the group or was removed from it (`from` is who removed them, or the person themself). */
    | { kind: "member_left"; member: { id: string; name: string; username?: string } }
    /**
     * The bot's own place in the chat changed: removed from a group or blocked in private (`present: false`,
     * from the platform or from a refused send), or added back / unblocked (`present: true`).
     */
    | { kind: "bot_membership"; present: boolean; reason?: ChatGoneReason };
}

export interface Choice {
  label: string;
  data: string;
}

/**
 * The ways a question is answered; each platform offers them its own way (buttons and ForceReply on
 * Telegram, a numbered list or "trả lời có/không" on Zalo):
 * - free: typed (figures, a text, or the number of an item the text lists);
 * - yesno: a yes/no figure of the form (buttons Có/Không, or "có"/"không" typed);
 * - confirm: "is this reading right?" about figures not stored yet, answered with the `ok:1`/`ok:0` buttons
 *   or "có"/"không" typed — soft warnings and uncertain readings alike;
 * - choice: one of the message's `choices` (a button, or its number typed).
 */
export type QuestionKind = "free" | "yesno" | "confirm" | "choice";

/**
 * What a question asks. Recorded with the message when it is sent, so a reply to it, or a press of one of its
 * buttons, is matched to this question even after others were asked: it never lands in another field.
 */
export interface Question {
  kind: QuestionKind;
  /**
   * What the answer is about: a report's figures, a correction (/sua), one's area (/dangky), one's full name,
   * which of one's several areas a command is about, or which report kind.
   */
  topic: "form" | "edit" | "register" | "name" | "area" | "kind";
  report?: ReportKey;
  /** The form fields the answer fills, in the order asked; none while choosing which figure to edit. */
  fields?: string[];
  /** A confirmation: the figures it asks about (confirming other figures of the same fields is another question). */
  values?: Record<string, Value>;
  /** The line after the ways to answer: how to go back, skip or pause. */
  footer?: string;
}

/** A file the bot sends: generated on delivery from committed data, so it survives restarts. */
export type DocumentRef =
  /** One reporting unit's own draft (an area's, or a commune's for a form communes fill). */
  | { kind: "area_report"; report: ReportKey; version: number }
  /** A unit's summary draft over the reporting units below it (`report.unit` is that unit). */
  | { kind: "summary_report"; report: ReportKey }
  /** Figures per unit and indicator plus the audit trail, as a spreadsheet. */
  | { kind: "export"; report: ReportKey };

export interface Outgoing {
  platform: Platform;
  chatId: string;
  text: string;
  /** Reply to this message of the person (keeps threads readable in a group). */
  replyTo?: string;
  /** Ask the person replied to for an answer (Telegram ForceReply with selective). */
  forceReply?: boolean;
  /** Buttons; platforms without buttons show them as a numbered list. */
  choices?: Choice[][];
  /** The buttons only repeat commands written in the text: platforms without buttons leave them out. */
  buttonsOnly?: boolean;
  /** Set on every question: what it asks and how it is answered (adapters render from it, never from text). */
  question?: Question;
  /** Offer to continue in a private chat; the adapter builds the platform link from the token. */
  privateLink?: { label: string; token: string };
  /** Edit this earlier bot message instead of sending a new one. */
  editOf?: string;
  /** Answer a button press (a small notice, not a chat message). */
  callback?: { id: string; text?: string };
  document?: DocumentRef;
  /**
   * The summary chart of this report (a commune's areas, or a district's communes), drawn on delivery from
   * committed data like a document and sent as photos with the text.
   */
  chart?: ReportKey;
  /** Name this person at the start of the message (a mention that also works without a username). */
  mention?: { userId: string; name: string };
  /** People named in the text (each name appears in it); platforms that can, notify them. */
  mentions?: Array<{ userId: string; name: string }>;
  /** Remember who the message is for, so replies from others can be told apart. */
  owner?: string;
  /** What the message is, so it can be found again: "question", "report", "progress:<unit>:<period>"… */
  purpose?: string;
  /** A page of the bot's web view (its address is also in the text): Telegram shows it as a Mini App button. */
  webApp?: { label: string; url: string };
}
