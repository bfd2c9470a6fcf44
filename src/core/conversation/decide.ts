// The one entry point of the core: an inbound event and the stored facts in, effects out.
// Routing reads top to bottom: service events, button presses, commands, then answers. Each command lives in
// its own module; what they share (scope, report kind, choices) lives in small modules beside them.
import type { InboundEvent } from "../events.js";
import type { Effect } from "../effects.js";
import { fill } from "../messages.js";
import { foldText } from "../numbers/normalize.js";
import type { Platform, SessionKey, SessionState } from "../types.js";
import type { SentMessage, World } from "../world.js";
import { type CommandHandler, type Ctx, fillerUnits, formById, hasAuthority, personOf, reply, sessionKey } from "./context.js";
import { answerEditValue, chooseEditField } from "./editing.js";
import { answerForm, goBack, skip, type FormSession } from "./form-flow.js";
import { chooseArea, link, listRegistrations, register, revoke } from "./membership.js";
import { endStaleSession, memberLeft, sessionReport } from "./leaving.js";
import { decideButton, decideCommand, listRequests, REQUEST_BUTTON } from "./requests.js";
import { answerFullName, skipFullName } from "./full-name.js";
import { clipUnits } from "../text.js";
import { webCommand } from "./web-view.js";
import { backOnMessage, onBotMembership } from "./reach.js";
import { type Answered, answeredQuestion, isWaitingFor } from "./questions.js";
import { lateAnswer } from "./late-answers.js";
import { continuePrivately, reporterCommand, unitPicked } from "./reporter.js";
import { kindList, pickedKind, unknownKind, type PickForm } from "./kind-choice.js";
import { chitieu } from "./commands/chitieu.js";
import { duyet, tralai } from "./commands/duyet-tralai.js";
import { lichsu } from "./commands/lichsu.js";
import { bomien, mien } from "./commands/mien.js";
import { moky } from "./commands/moky.js";
import { nhacnho } from "./commands/nhacnho.js";
import { staffSua } from "./commands/staff-sua.js";
import { tiendo } from "./commands/tiendo.js";
import { tonghop } from "./commands/tonghop.js";
import { xuat } from "./commands/xuat.js";

export interface Command {
  name: string;
  args: string;
}


/** "/baocao@MyBot 12" → { name: "baocao", args: "12" }; names are folded so "/báocáo" works too. */
export function parseCommand(text: string): Command | undefined {
  const match = /^\s*\/([^\s@]+)(?:@\S+)?\s*([\s\S]*)$/.exec(text);
  if (!match) return undefined;
  return { name: foldText(match[1]!).replace(/\s+/g, ""), args: match[2]!.trim() };
}

/**
 * The stored facts as one decision reads them: the person's session in this chat and the bot messages it replies
 * to are asked for at several steps of the same decision, and nothing changes while it runs (effects are applied
 * after it), so each is read once.
 */
function decisionWorld(world: World, ev: InboundEvent): World {
  const key = sessionKey(ev);
  let session: { state: SessionState | undefined } | undefined;
  const sent = new Map<string, SentMessage | undefined>();
  const methods = new Map<PropertyKey, unknown>();
  methods.set("session", (k: SessionKey) => {
    if (k.platform !== key.platform || k.chatId !== key.chatId || k.userId !== key.userId) return world.session(k);
    return (session ??= { state: world.session(k) }).state;
  });
  methods.set("botMessage", (platform: Platform, chatId: string, messageId: string) => {
    const id = `${platform}\u0000${chatId}\u0000${messageId}`;
    if (!sent.has(id)) sent.set(id, world.botMessage(platform, chatId, messageId));
    return sent.get(id);
  });
  return new Proxy(world, {
    get(target, prop) {
      const known = methods.get(prop);
      if (known !== undefined) return known;
      const v = Reflect.get(target, prop, target) as unknown;
      if (typeof v !== "function") return v;
      const fn = (v as (...a: unknown[]) => unknown).bind(target);
      methods.set(prop, fn);
      return fn;
    },
  });
}

export function decide(ev: InboundEvent, given: Ctx): Effect[] {
  const ctx: Ctx = { ...given, world: decisionWorld(given.world, ev) };
  if (ev.body.kind === "bot_membership") return onBotMembership(ctx, ev, ev.body.present, ev.body.reason);
  const person = personOf(ev);
  const effects: Effect[] = [{ type: "save_person", person }, ...backOnMessage(ctx, ev)];
  switch (ev.body.kind) {
    case "migrated":
      return [{ type: "migrate_chat", platform: ev.platform, from: ev.chat.id, to: ev.body.toChatId }];
    case "edited":
      return [];
    case "member_left":
      return [...effects, ...memberLeft(ctx, ev)];
    case "media": {
      const session = ctx.world.session(sessionKey(ev));
      const addressed = ev.chat.type === "private" || ev.replyTo?.fromBot;
      if (!addressed) return [];
      return [...effects, reply(ev, session ? ctx.messages.bad_media : ctx.messages.media_unsupported)];
    }
    case "choice":
    case "text": {
      const command = ev.body.kind === "text" ? parseCommand(ev.body.text) : undefined;
      // A form opened before a revocation stops here; a command still runs, as if the form were gone.
      const stale = endStaleSession(ctx, ev);
      if (stale.effects.length > 0) {
        const runs = command && !["lai", "bo", "huy"].includes(command.name);
        return [...effects, ...stale.effects, ...(runs ? onCommand(stale.ctx, ev, command) : [])];
      }
      if (ev.body.kind === "choice") return [...effects, ...onChoice(ctx, ev, ev.body.data, ev.body.messageId, ev.body.callbackId)];
      return [...effects, ...(command ? onCommand(ctx, ev, command) : onText(ctx, ev, ev.body.text))];
    }
  }
}

/** /lai, /bo, /huy: move within (or leave) the open form. */
function navigate(name: "lai" | "bo" | "huy"): CommandHandler {
  return (ctx, ev) => {
    const m = ctx.messages;
    const session = ctx.world.session(sessionKey(ev));
    if (!session) return [reply(ev, m.no_session)];
    if (session.mode === "full_name") return skipFullName(ctx, ev);
    const on = sessionReport(session);
    if (!on || name === "huy") return [{ type: "clear_session", key: sessionKey(ev) }, reply(ev, m.paused)];
    const form: FormSession = { mode: "form", report: on.report, homeChatId: on.homeChatId };
    return name === "lai" ? goBack(ctx, ev, form) : skip(ctx, ev, form);
  };
}

/** Every command the bot answers, by folded name without the slash. */
const COMMANDS: Record<string, CommandHandler> = {
  start: (ctx, ev, args) => (args.startsWith("p_") ? continuePrivately(ctx, ev, args.slice(2)) : [reply(ev, ctx.messages.greeting)]),
  trogiup: (ctx, ev) => [reply(ev, help(ctx, ev))],
  help: (ctx, ev) => [reply(ev, help(ctx, ev))],
  dangky: register,
  lienket: link,
  danhsach: (ctx, ev) => listRegistrations(ctx, ev),
  thuhoi: revoke,
  moky,
  baocao: reporterCommand("baocao"),
  xem: reporterCommand("xem"),
  // Staff name the area; a leader (or staff continuing a leader's choice) corrects their own report.
  sua: (ctx, ev, args, picked) => (!picked?.unit && isStaffHere(ctx, ev) ? staffSua : reporterCommand("sua"))(ctx, ev, args, picked),
  lai: navigate("lai"),
  bo: navigate("bo"),
  huy: navigate("huy"),
  tonghop,
  tiendo,
  nhacnho,
  duyet,
  tralai,
  lichsu,
  chitieu,
  xuat,
  mien,
  bomien,
  yeucau: listRequests,
  chapnhan: (ctx, ev, args) => decideCommand(ctx, ev, args, true),
  tuchoi: (ctx, ev, args) => decideCommand(ctx, ev, args, false),
  web: webCommand,
};

/** The command names, for platforms without a command menu (Zalo) that read "bao cao" typed without a slash. */
export const COMMAND_NAMES: readonly string[] = Object.keys(COMMANDS);

function onCommand(ctx: Ctx, ev: InboundEvent, cmd: Command): Effect[] {
  const handler = Object.hasOwn(COMMANDS, cmd.name) ? COMMANDS[cmd.name] : undefined;
  if (handler) return handler(ctx, ev, cmd.args);
  // In a group, commands meant for other bots are none of our business.
  return ev.chat.type === "private" ? [reply(ev, fill(ctx.messages.unknown_command, { command: clipUnits(`/${cmd.name}`, 40) }))] : [];
}

/** Staff (who lead no area here) use /sua on an area's figures, naming the area. */
function isStaffHere(ctx: Ctx, ev: InboundEvent): boolean {
  const person = personOf(ev);
  const code = ev.chat.type === "group" ? ctx.world.chatUnit(ev.platform, ev.chat.id) : undefined;
  if (!code || ctx.world.session(sessionKey(ev))) return false;
  return hasAuthority(ctx, person, code, ["commune_staff", "officer"]) && !fillerUnits(ctx, person, code).some((u) => u.level === "area");
}

function help(ctx: Ctx, ev: InboundEvent): string {
  const m = ctx.messages;
  const person = personOf(ev);
  const roles = ctx.world.roles(person);
  const parts = [m.help_header];
  if (roles.some((r) => r.role === "reporter")) parts.push(m.help_reporter);
  if (roles.some((r) => r.role !== "reporter")) parts.push(m.help_staff, m.help_oversight);
  parts.push(m.help_everyone);
  if (ctx.forms.length > 1) parts.push(fill(m.help_kinds, { example: ctx.forms[1]!.short, kinds: kindList(ctx, ctx.forms) }));
  return parts.join("\n");
}

/** The answer to a choice of report kind: the command goes on with it (everything is checked again there). */
function kindPicked(ctx: Ctx, ev: InboundEvent, state: PickForm, answer: string): Effect[] {
  const form = pickedKind(ctx, state, answer);
  if (!form) return [unknownKind(ctx, ev, state, answer)];
  const handler = Object.hasOwn(COMMANDS, state.command) ? COMMANDS[state.command]! : undefined;
  const unit = state.unit ? ctx.world.unit(state.unit) : undefined;
  return [{ type: "clear_session", key: sessionKey(ev) }, ...(handler ? handler(ctx, ev, state.args, { form, unit }) : [])];
}

/**
 * Whether an answer matched to `answered` is for another question than the one the session waits for (an
 * older question, an old button, a second copy of a question already answered).
 */
function belongsElsewhere(ctx: Ctx, session: SessionState, answered: Answered): answered is Exclude<Answered, { kind: "none" }> {
  return answered.kind === "known" && !isWaitingFor(ctx, session, answered.question);
}

/** A button press: checked against who it was for and which question it answers, then handled like the typed answer it stands for. */
function onChoice(ctx: Ctx, ev: InboundEvent, data: string, messageId: string, callbackId?: string): Effect[] {
  const m = ctx.messages;
  const ack = (text?: string): Effect => ({
    type: "reply",
    out: { platform: ev.platform, chatId: ev.chat.id, text: "", callback: { id: callbackId ?? "", text } },
  });
  const stale = (): Effect[] => (callbackId ? [ack(m.button_stale)] : []);
  const sent = ctx.world.botMessage(ev.platform, ev.chat.id, messageId);
  if (sent?.owner && sent.owner !== ev.from.id) {
    const owner = ctx.world.person({ platform: ev.platform, userId: sent.owner })?.name ?? "";
    return callbackId ? [ack(fill(m.not_your_button, { owner }))] : [];
  }
  // A registration request is decided by staff, whoever asked: no session of the presser is involved.
  if (REQUEST_BUTTON.test(data)) return decideButton(ctx, ev, data, callbackId);
  const session = ctx.world.session(sessionKey(ev));
  const done = callbackId ? [ack()] : [];
  if (!session) return stale();
  const valueButton = /^v:([a-z0-9_]+):(.+)$/.exec(data);
  let answered = answeredQuestion(ctx, ev, messageId);
  // A value button names its field: enough to place it even when its message was never recorded.
  if (answered.kind !== "known" && valueButton && (session.mode === "form" || session.mode === "edit_value")) {
    const topic = session.mode === "form" ? "form" : "edit";
    answered = { kind: "known", question: { kind: "free", topic, report: session.report, fields: [valueButton[1]!] } };
  }
  const elsewhere = belongsElsewhere(ctx, session, answered);
  if (data === "ok:1" || data === "ok:0") {
    // A confirmation is only ever about the figures waiting for it.
    const pending = session.mode === "form" || session.mode === "edit_value" ? session.pending : undefined;
    if (!pending || elsewhere) return stale();
    const text = data === "ok:1" ? m.value_yes : m.value_no;
    return [...done, ...(session.mode === "form" ? answerForm(ctx, ev, session, text, false) : answerEditValue(ctx, ev, session as Extract<typeof session, { mode: "edit_value" }>, text))];
  }
  if (data.startsWith("reg:")) {
    if (session.mode !== "register" || elsewhere) return stale();
    return [...done, ...chooseArea(ctx, ev, session.areas, data.slice(4))];
  }
  if (data.startsWith("rp:")) return session.mode === "pick_area" ? [...done, ...unitPicked(ctx, ev, session, data)] : stale();
  if (data.startsWith("pf:")) return session.mode === "pick_form" ? [...done, ...kindPicked(ctx, ev, session, data)] : stale();
  if (!valueButton || (session.mode !== "form" && session.mode !== "edit_value")) return stale();
  const [, fieldId, value] = valueButton;
  const form = formById(ctx, session.report.form);
  const field = form?.sections.flatMap((s) => s.fields).find((f) => f.id === fieldId);
  if (!field) return stale();
  const text = field.kind === "yesno" ? (value === "1" ? m.value_yes : m.value_no) : value!;
  if (elsewhere) return [...done, ...lateAnswer(ctx, ev, session, answered as Exclude<Answered, { kind: "none" }>, text)];
  return [...done, ...(session.mode === "form" ? answerForm(ctx, ev, session, text, false) : answerEditValue(ctx, ev, session, text))];
}

/** Plain text: an answer to the person's own question, or chatter the bot leaves alone. */
function onText(ctx: Ctx, ev: InboundEvent, text: string): Effect[] {
  const m = ctx.messages;
  if (ev.chat.type === "group" && ev.replyTo?.fromBot) {
    const sent = ctx.world.botMessage(ev.platform, ev.chat.id, ev.replyTo.messageId);
    if (sent?.owner && sent.owner !== ev.from.id) {
      const owner = ctx.world.person({ platform: ev.platform, userId: sent.owner })?.name ?? "";
      return [reply(ev, fill(m.not_your_question, { owner }))];
    }
  }
  const session = ctx.world.session(sessionKey(ev));
  // In a group, only replies to the bot are certainly meant for it; other text is taken only when it reads
  // cleanly as the answer (privacy mode off), and silently left alone otherwise.
  const addressed = ev.chat.type === "private" || !!ev.replyTo?.fromBot;
  if (!session) return addressed ? [reply(ev, ev.chat.type === "private" ? m.greeting : m.no_session)] : [];
  // A reply to a question is read against that question; when it is not the one waiting, it never lands here.
  const answered = ev.replyTo?.fromBot ? answeredQuestion(ctx, ev, ev.replyTo.messageId) : ({ kind: "none" } as const);
  if (belongsElsewhere(ctx, session, answered)) return lateAnswer(ctx, ev, session, answered, text);
  switch (session.mode) {
    case "form":
      return answerForm(ctx, ev, session, text, !addressed);
    case "register":
      return addressed ? chooseArea(ctx, ev, session.areas, text) : [];
    case "pick_area":
      return addressed ? unitPicked(ctx, ev, session, text) : [];
    case "pick_form":
      return addressed ? kindPicked(ctx, ev, session, text) : [];
    case "full_name":
      return addressed ? answerFullName(ctx, ev, text) : [];
    case "edit_choose":
      return addressed ? chooseEditField(ctx, ev, session, text) : [];
    case "edit_value":
      return addressed ? answerEditValue(ctx, ev, session, text) : [];
  }
}
