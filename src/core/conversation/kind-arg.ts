// The report kind a command names. A form is named by its short name ("thang", "txct") — as the first word,
// or, for a leader's commands, also as the last ("/baocao ben do txct") — or by its number in the list the
// bot shows (the choice, /tiendo) when the command allows numbers. What is left is the rest of the command.
import type { FormDef } from "../forms/schema.js";

export interface KindArg {
  /** The form named, if any (any form of the set: the caller says whether it applies here). */
  form?: FormDef;
  /** The command's words without the kind, as typed. */
  rest: string;
}

export interface KindArgOptions {
  /** A number at the start names the form at that place in `listed` (only when `listed` has several). */
  numbers?: boolean;
  /** A short name may also come last. */
  last?: boolean;
}

/** Reads the report kind from a command's arguments; `all` are every form, `listed` those numbered here. */
export function readKind(all: readonly FormDef[], listed: readonly FormDef[], args: string, opts: KindArgOptions = {}): KindArg {
  const text = args.trim();
  const head = /^(\S+)\s*([\s\S]*)$/.exec(text);
  if (!head) return { rest: "" };
  // Short names are plain ASCII: a word typed with diacritics ("tháng") is never one.
  const byShort = (word: string) => all.find((f) => f.short === word.normalize("NFC").toLowerCase());
  const first = byShort(head[1]!);
  if (first) return { form: first, rest: head[2]!.trim() };
  if (opts.last) {
    const tail = /^([\s\S]*\S)\s+(\S+)$/.exec(text);
    const last = tail ? byShort(tail[2]!) : undefined;
    if (tail && last) return { form: last, rest: tail[1]!.trim() };
  }
  if (opts.numbers && listed.length > 1 && /^\d{1,2}$/.test(head[1]!)) {
    const n = Number(head[1]);
    if (n >= 1 && n <= listed.length) return { form: listed[n - 1], rest: head[2]!.trim() };
  }
  return { rest: text };
}
