// The one entry point of the core: an inbound event and the stored facts in, effects out.
// Routing reads top to bottom: service events, button presses, commands, then answers.
import type { InboundEvent } from "../events.js";
import type { Effect } from "../effects.js";
import { fill } from "../messages.js";
import { foldText } from "../numbers/normalize.js";
import { periodKey } from "../periods.js";
import type { Unit } from "../types.js";
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
import { applyEdit, chooseEditField, startEdit, type Target } from "./editing.js";
import { answerForm, goBack, openingLine, skip, startForm, view, type FormSession } from "./form-flow.js";
import { exportSheet, history, progress, remind, review, staffEdit, targets, totals } from "./oversight.js";
import { chooseArea, groupCommune, isEffect, link, listRegistrations, openPeriodCommand, register, revoke } from "./membership.js";
import { clipUnits } from "../text.js";

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
  const person = personOf(ev);
  const effects: Effect[] = [{ type: "save_person", person }];
  switch (ev.body.kind) {
    case "migrated":
      return [{ type: "migrate_chat", platform: ev.platform, from: ev.chat.id, to: ev.body.toChatId }];
    case "edited":
      return [];
    case "media": {
      const session = ctx.world.session(sessionKey(ev));
      const addressed = ev.chat.type === "private" || ev.replyTo?.fromBot;
      return session && addressed ? [...effects, reply(ev, ctx.messages.bad_media)] : [];
    }
    case "choice":
      return [...effects, ...onChoice(ctx, ev, ev.body.data, ev.body.messageId, ev.body.callbackId)];
    case "text": {
      const command = parseCommand(ev.body.text);
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
    if (session.mode === "register" || name === "huy") return [{ type: "clear_session", key: sessionKey(ev) }, reply(ev, m.paused)];
    const form: FormSession = { mode: "form", unit: session.unit, form: session.form, period: session.period, homeChatId: session.homeChatId };
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
  baocao: (ctx, ev) => startReport(ctx, ev),
  xem: (ctx, ev) => {
    const target = reportTarget(ctx, ev, "/xem");
    return "type" in target ? [target] : view(ctx, ev, target.unit, defaultFormOf(ctx, target.form), target.period);
  },
  sua: (ctx, ev, args) => {
    if (isStaffHere(ctx, ev)) return staffEdit(ctx, ev, args);
    const target = reportTarget(ctx, ev, "/sua");
    return "type" in target ? [target] : startEdit(ctx, ev, target, args);
  },
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

/** Which area and period a reporter command is about: the open session's, else the person's own area. */
function reportTarget(ctx: Ctx, ev: InboundEvent, command: string): Target | Effect {
  const session = ctx.world.session(sessionKey(ev));
  if (session && session.mode !== "register") {
    return { unit: session.unit, form: session.form, period: session.period, homeChatId: session.homeChatId };
  }
  let commune: Unit | undefined;
  if (ev.chat.type === "group") {
    const c = groupCommune(ctx, ev);
    if (isEffect(c)) return c;
    commune = c;
  }
  const area = reporterAreas(ctx, personOf(ev), commune?.code)[0];
  if (!area) return refuse(ctx, ev, command, ["reporter"]);
  const home = homeChat(ctx, ev, area);
  if (!home) return reply(ev, ctx.messages.private_no_group);
  const form = defaultForm(ctx);
  return { unit: area.code, form: form.id, period: periodKey(currentPeriod(ctx, form, area.code)), homeChatId: home };
}

/** The group where an area's results are posted: this group, or the commune's linked group when in private. */
function homeChat(ctx: Ctx, ev: InboundEvent, area: Unit): string | undefined {
  if (ev.chat.type === "group") return ev.chat.id;
  const commune = communeOf(ctx, area.code);
  return commune ? ctx.world.chatsOf(ev.platform, commune.code)[0] : undefined;
}

/** /baocao: start or resume the open period's form for the person's area. */
function startReport(ctx: Ctx, ev: InboundEvent): Effect[] {
  const target = reportTarget(ctx, ev, "/baocao");
  if ("type" in target) return [target];
  const form = defaultForm(ctx);
  // A stale session for another period (the period rolled over) gives way to the open one.
  const area = target.unit;
  const period = periodKey(currentPeriod(ctx, form, area));
  const session: FormSession = { mode: "form", unit: area, form: form.id, period, homeChatId: target.homeChatId };
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
  const groupSession = ctx.world.session({ platform: ev.platform, chatId: link.groupChatId, userId: ev.from.id });
  const communeCode = ctx.world.chatUnit(ev.platform, link.groupChatId);
  const area =
    groupSession && groupSession.mode !== "register"
      ? ctx.world.unit(groupSession.unit)
      : reporterAreas(ctx, personOf(ev), communeCode)[0];
  if (!area) return [refuse(ctx, ev, "/baocao", ["reporter"])];
  const form = defaultForm(ctx);
  const period = groupSession && groupSession.mode !== "register" ? groupSession.period : periodKey(currentPeriod(ctx, form, area.code));
  const session: FormSession = { mode: "form", unit: area.code, form: form.id, period, homeChatId: link.groupChatId };
  const opening = fill(m.private_started, { period: periodText(period), area: area.name });
  return [
    { type: "use_private_link", token },
    { type: "clear_session", key: { platform: ev.platform, chatId: link.groupChatId, userId: ev.from.id } },
    ...startForm(ctx, ev, session, opening),
  ];
}

/** A button press: checked against who it was for, then handled like the typed answer it stands for. */
function onChoice(ctx: Ctx, ev: InboundEvent, data: string, messageId: string, callbackId?: string): Effect[] {
  const m = ctx.messages;
  const ack = (text?: string): Effect => ({
    type: "reply",
    out: { platform: ev.platform, chatId: ev.chat.id, text: "", callback: { id: callbackId ?? "", text } },
  });
  const sent = ctx.world.botMessage(ev.platform, ev.chat.id, messageId);
  if (sent?.owner && sent.owner !== ev.from.id) {
    const owner = ctx.world.person({ platform: ev.platform, userId: sent.owner })?.name ?? "";
    return callbackId ? [ack(fill(m.not_your_button, { owner }))] : [];
  }
  const session = ctx.world.session(sessionKey(ev));
  const done = callbackId ? [ack()] : [];
  if (!session) return callbackId ? [ack(m.button_stale)] : [];
  if (data.startsWith("reg:") && session.mode === "register") {
    return [...done, ...chooseArea(ctx, ev, session.areas, data.slice(4))];
  }
  if (session.mode !== "form") return callbackId ? [ack(m.button_stale)] : [];
  if (data === "ok:1" || data === "ok:0") {
    if (!session.pending) return callbackId ? [ack(m.button_stale)] : [];
    return [...done, ...answerForm(ctx, ev, session, data === "ok:1" ? m.value_yes : m.value_no, false)];
  }
  const match = /^v:([a-z0-9_]+):(.+)$/.exec(data);
  if (!match) return callbackId ? [ack(m.button_stale)] : [];
  const [, fieldId, value] = match;
  const form = defaultFormOf(ctx, session.form);
  const field = form.sections.flatMap((s) => s.fields).find((f) => f.id === fieldId);
  if (!field) return callbackId ? [ack(m.button_stale)] : [];
  const text = field.kind === "yesno" ? (value === "1" ? m.value_yes : m.value_no) : value!;
  return [...done, ...answerForm(ctx, ev, session, text, false)];
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
  switch (session.mode) {
    case "form":
      return answerForm(ctx, ev, session, text, !addressed);
    case "register":
      return addressed ? chooseArea(ctx, ev, session.areas, text) : [];
    case "edit_choose":
      return addressed ? chooseEditField(ctx, ev, session, text) : [];
    case "edit_value": {
      const target: Target = { unit: session.unit, form: session.form, period: session.period, homeChatId: session.homeChatId };
      return addressed ? applyEdit(ctx, ev, target, session.field, text, session.audit ?? "edit") : [];
    }
  }
}
