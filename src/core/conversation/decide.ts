// The one entry point of the core: an inbound event and the stored facts in, effects out.
// Routing reads top to bottom: service events, button presses, commands, then answers.
import type { InboundEvent } from "../events.js";
import type { Effect } from "../effects.js";
import { fill } from "../messages.js";
import { foldText } from "../numbers/normalize.js";
import { periodKey } from "../periods.js";
import type { SessionState, Unit } from "../types.js";
import {
  type Ctx,
  communeOf,
  currentPeriod,
  defaultForm,
  hasAuthority,
  personOf,
  periodText,
  refuse,
  reply,
  reporterAreas,
  sessionKey,
} from "./context.js";
import { answerEditValue, chooseEditField, startEdit, type Target } from "./editing.js";
import { answerForm, goBack, openingLine, skip, startForm, view, type FormSession } from "./form-flow.js";
import { exportSheet, history, matchArea, progress, remind, review, staffEdit, targets, totals } from "./oversight.js";
import { chooseArea, groupCommune, isEffect, link, listRegistrations, openPeriodCommand, register, revoke } from "./membership.js";
import { endStaleSession, memberLeft, sessionAllowed, sessionReport } from "./leaving.js";
import { decideButton, decideCommand, listRequests, REQUEST_BUTTON } from "./requests.js";
import { answerFullName, skipFullName } from "./full-name.js";
import { clipUnits } from "../text.js";
import { webCommand } from "./web-view.js";
import { backOnMessage, onBotMembership } from "./reach.js";
import { type Answered, answeredQuestion, isWaitingFor } from "./questions.js";
import { lateAnswer } from "./late-answers.js";

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

export function decide(ev: InboundEvent, ctx: Ctx): Effect[] {
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

type CommandHandler = (ctx: Ctx, ev: InboundEvent, args: string) => Effect[];

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
  moky: openPeriodCommand,
  baocao: reporterCommand("baocao"),
  xem: reporterCommand("xem"),
  sua: (ctx, ev, args) => (isStaffHere(ctx, ev) ? staffEdit(ctx, ev, args) : reporterCommand("sua")(ctx, ev, args)),
  lai: navigate("lai"),
  bo: navigate("bo"),
  huy: navigate("huy"),
  tonghop: totals,
  tiendo: progress,
  nhacnho: (ctx, ev, args) => remind(ctx, ev, args, defaultForm(ctx).reminders.cooldown_hours),
  duyet: (ctx, ev, args) => review(ctx, ev, args, "accepted"),
  tralai: (ctx, ev, args) => review(ctx, ev, args, "returned"),
  lichsu: history,
  chitieu: targets,
  xuat: exportSheet,
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

/** Staff (not also a reporter here) use /sua on an area's figures, naming the area. */
function isStaffHere(ctx: Ctx, ev: InboundEvent): boolean {
  const person = personOf(ev);
  const code = ev.chat.type === "group" ? ctx.world.chatUnit(ev.platform, ev.chat.id) : undefined;
  if (!code || ctx.world.session(sessionKey(ev))) return false;
  return hasAuthority(ctx, person, code, ["commune_staff", "officer"]) && reporterAreas(ctx, person, code).length === 0;
}

function defaultFormOf(ctx: Ctx, id: string) {
  return ctx.forms.find((f) => f.id === id) ?? defaultForm(ctx);
}

function help(ctx: Ctx, ev: InboundEvent): string {
  const m = ctx.messages;
  const person = personOf(ev);
  const roles = ctx.world.roles(person);
  const parts = [m.help_header];
  if (roles.some((r) => r.role === "reporter")) parts.push(m.help_reporter);
  if (roles.some((r) => r.role !== "reporter")) parts.push(m.help_staff, m.help_oversight);
  parts.push(m.help_everyone);
  return parts.join("\n");
}

type ReporterCommand = "baocao" | "xem" | "sua";

/** What each reporter command does once its area is known. */
const REPORTER_COMMANDS: Record<ReporterCommand, (ctx: Ctx, ev: InboundEvent, target: Target, rest: string) => Effect[]> = {
  baocao: (ctx, ev, target) => startReport(ctx, ev, target),
  xem: (ctx, ev, target) => view(ctx, ev, target.report, defaultFormOf(ctx, target.report.form)),
  sua: (ctx, ev, target, rest) => startEdit(ctx, ev, target, rest),
};

function reporterCommand(command: ReporterCommand): CommandHandler {
  return (ctx, ev, args) => {
    const found = reportTarget(ctx, ev, command, args);
    return Array.isArray(found) ? found : REPORTER_COMMANDS[command](ctx, ev, found.target, found.rest);
  };
}

/**
 * Which area and period a reporter command is about: the area named in it (one of the person's own), else the
 * open session's, else the person's only area — or, with several, a short choice among them.
 */
function reportTarget(ctx: Ctx, ev: InboundEvent, command: ReporterCommand, args: string): { target: Target; rest: string } | Effect[] {
  const session = ctx.world.session(sessionKey(ev));
  let commune: Unit | undefined;
  if (ev.chat.type === "group") {
    const c = groupCommune(ctx, ev);
    if (isEffect(c)) return [c];
    commune = c;
  }
  const areas = reporterAreas(ctx, personOf(ev), commune?.code);
  // "/sua 2 40000" names a figure, not an area: only a name (no leading number) picks an area for /sua.
  const named = command === "sua" && /^\d/.test(args.trim()) ? undefined : args.trim() ? matchArea(areas, args) : undefined;
  const open = session && sessionReport(session);
  if (areas.length > 0 && !named && command !== "sua" && args.trim()) {
    return [reply(ev, fill(ctx.messages.pick_area_unknown, { text: clipUnits(args.trim(), 40), areas: areas.map((a) => a.name).join(", ") }))];
  }
  if (!named && open) return { target: { report: open.report, homeChatId: open.homeChatId }, rest: args };
  if (areas.length === 0) return [refuse(ctx, ev, `/${command}`, ["reporter"])];
  if (!named && areas.length > 1) return pickArea(ctx, ev, areas, command, args);
  const area = named?.area ?? areas[0]!;
  const target = targetFor(ctx, ev, area);
  return "type" in target ? [target] : { target, rest: named ? named.rest : args };
}

/** The open period's report of an area, posted to this group (or, in private, to the commune's group). */
function targetFor(ctx: Ctx, ev: InboundEvent, area: Unit): Target | Effect {
  const home = homeChat(ctx, ev, area);
  if (!home) return reply(ev, ctx.messages.private_no_group);
  const form = defaultForm(ctx);
  return { report: { unit: area.code, form: form.id, period: periodKey(currentPeriod(ctx, form, area.code)) }, homeChatId: home };
}

/** Several areas and none named: the person picks one (a button, its number or its name). */
function pickArea(ctx: Ctx, ev: InboundEvent, areas: Unit[], command: ReporterCommand, args: string): Effect[] {
  const rows = areas.map((a, i) => [{ label: `${i + 1}. ${a.name}`, data: `rp:${a.code}` }]);
  const text = fill(ctx.messages.pick_area_choose, { name: ev.from.name, n: areas.length, command: `/${command}`, example: areas[0]!.name });
  return [
    { type: "set_session", key: sessionKey(ev), state: { mode: "pick_area", areas: areas.map((a) => a.code), command, args } },
    reply(ev, text, { choices: rows, purpose: "question", question: { kind: "choice", topic: "area" } }),
  ];
}

/** The answer to pickArea: the command goes on for the chosen area, if it is still the person's. */
function areaPicked(ctx: Ctx, ev: InboundEvent, state: Extract<SessionState, { mode: "pick_area" }>, answer: string): Effect[] {
  const own = reporterAreas(ctx, personOf(ev)).filter((a) => state.areas.includes(a.code));
  const code = answer.startsWith("rp:") ? answer.slice(3) : undefined;
  const area = code ? own.find((a) => a.code === code) : matchArea(own, answer)?.area;
  if (!area) {
    return [reply(ev, fill(ctx.messages.pick_area_unknown, { text: clipUnits(answer.replace(/^rp:/, "").trim(), 40), areas: own.map((a) => a.name).join(", ") }))];
  }
  const target = targetFor(ctx, ev, area);
  if ("type" in target) return [{ type: "clear_session", key: sessionKey(ev) }, target];
  return [{ type: "clear_session", key: sessionKey(ev) }, ...REPORTER_COMMANDS[state.command](ctx, ev, target, state.args)];
}

/** The group where an area's results are posted: this group, or the commune's linked group when in private. */
function homeChat(ctx: Ctx, ev: InboundEvent, area: Unit): string | undefined {
  if (ev.chat.type === "group") return ev.chat.id;
  const commune = communeOf(ctx, area.code);
  return commune ? ctx.world.chatsOf(ev.platform, commune.code)[0] : undefined;
}

/** /baocao: start or resume the open period's form for the person's area. */
function startReport(ctx: Ctx, ev: InboundEvent, target: Target): Effect[] {
  const form = defaultForm(ctx);
  // A stale session for another period (the period rolled over) gives way to the open one.
  const area = target.report.unit;
  const period = periodKey(currentPeriod(ctx, form, area));
  const session: FormSession = { mode: "form", report: { unit: area, form: form.id, period }, homeChatId: target.homeChatId };
  const opening = openingLine(ctx, ev, session, form);
  if (ev.chat.type !== "group") {
    // Continuing privately: the question left open in the group is no longer theirs to answer there.
    const inGroup = { platform: ev.platform, chatId: target.homeChatId, userId: ev.from.id };
    return [{ type: "clear_session", key: inGroup }, ...startForm(ctx, ev, session, opening)];
  }
  const token = ctx.newToken();
  return [
    { type: "private_link", token, person: personOf(ev), groupChatId: ev.chat.id },
    ...startForm(ctx, ev, session, opening, { privateLink: { label: ctx.messages.private_offer, token } }),
  ];
}

/** /start p_<token> in a private chat: the person continues the group's form here. */
function continuePrivately(ctx: Ctx, ev: InboundEvent, token: string): Effect[] {
  const m = ctx.messages;
  const link = ctx.world.privateLink(token);
  if (ev.chat.type !== "private" || !link || link.usedAt || link.userId !== ev.from.id || link.platform !== ev.platform) {
    return [reply(ev, m.private_link_invalid)];
  }
  const stored = ctx.world.session({ platform: ev.platform, chatId: link.groupChatId, userId: ev.from.id });
  // The group's form continues here only while the person may still fill it.
  const groupSession = stored && sessionAllowed(ctx, personOf(ev), stored) ? sessionReport(stored) : undefined;
  const communeCode = ctx.world.chatUnit(ev.platform, link.groupChatId);
  const area = groupSession ? ctx.world.unit(groupSession.report.unit) : reporterAreas(ctx, personOf(ev), communeCode)[0];
  if (!area) return [refuse(ctx, ev, "/baocao", ["reporter"])];
  const form = defaultForm(ctx);
  const period = groupSession ? groupSession.report.period : periodKey(currentPeriod(ctx, form, area.code));
  const session: FormSession = { mode: "form", report: { unit: area.code, form: form.id, period }, homeChatId: link.groupChatId };
  const opening = fill(m.private_started, { period: periodText(period), area: area.name });
  return [
    { type: "use_private_link", token },
    { type: "clear_session", key: { platform: ev.platform, chatId: link.groupChatId, userId: ev.from.id } },
    ...startForm(ctx, ev, session, opening),
  ];
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
  if (data.startsWith("rp:")) return session.mode === "pick_area" ? [...done, ...areaPicked(ctx, ev, session, data)] : stale();
  if (!valueButton || (session.mode !== "form" && session.mode !== "edit_value")) return stale();
  const [, fieldId, value] = valueButton;
  const form = defaultFormOf(ctx, session.report.form);
  const field = form.sections.flatMap((s) => s.fields).find((f) => f.id === fieldId);
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
      return addressed ? areaPicked(ctx, ev, session, text) : [];
    case "full_name":
      return addressed ? answerFullName(ctx, ev, text) : [];
    case "edit_choose":
      return addressed ? chooseEditField(ctx, ev, session, text) : [];
    case "edit_value":
      return addressed ? answerEditValue(ctx, ev, session, text) : [];
  }
}
