/**
 * Outside text (what a person typed, an alert's words) as Discord Markdown that shows it as written: discord.js
 * escapes the inline markup (bold, italics, underline, strikethrough, spoilers, code), headings and lists; a quote
 * (`>`) or subtext (`-#`) that starts a line, every `[` (discord.js escapes only the first masked link of a line)
 * and every `<` (a channel, timestamp or command token) get a backslash too. `@everyone` and `@here` get a
 * zero-width space after the `@`: Discord draws them as mentions of everyone even where they ping nobody.
 */
import { escapeMarkdown } from 'discord.js';

/** The text as Discord Markdown that Discord shows as written. */
export function escapeDiscordLiteral(text: string): string {
  return escapeMarkdown(text, { heading: true, bulletedList: true, numberedList: true })
    .replace(/^(\s*)(>|-#)/gm, '$1\\$2')
    .replaceAll('[', '\\[')
    .replaceAll('<', '\\<')
    .replace(/@(everyone|here)/gi, '@\u200b$1');
}
