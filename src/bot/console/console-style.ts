/** Colours and light markup for the terminal transcript; every function is the identity when colour is off. */
import pc from 'picocolors';
import { type ChatMessage, mapOwnText, plainLiterals } from '../../core/index.ts';

type Tone = NonNullable<ChatMessage['tone']>;

/** Text styles of the transcript. */
export interface ConsoleStyle {
  readonly time: (text: string) => string;
  readonly channel: (text: string) => string;
  readonly author: (text: string) => string;
  readonly id: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly error: (text: string) => string;
  readonly narration: (text: string) => string;
  /** Colours a line of message text by the message's tone. */
  readonly tone: (text: string, tone: ChatMessage['tone']) => string;
  /** Renders `*bold*` outside `code` spans and outside text: bold in colour, plain otherwise. */
  readonly markup: (line: string) => string;
}

const BOLD = /(^|[\s(“"'])\*([^*\s](?:[^*]*[^*\s])?)\*(?=$|[\s.,:;!?)”"'])/g;

/** Creates the style; `color: false` leaves text as it is apart from the bold markers. */
export function createConsoleStyle(color: boolean): ConsoleStyle {
  const c = pc.createColors(color);
  const tones: Readonly<Record<Tone, (text: string) => string>> = {
    neutral: (text) => text,
    good: c.green,
    warning: c.yellow,
    bad: c.red,
  };
  return {
    time: c.dim,
    channel: c.cyan,
    author: c.bold,
    id: c.magenta,
    dim: c.dim,
    error: c.red,
    narration: (text) => c.italic(c.blue(text)),
    tone: (text, tone) => tones[tone ?? 'neutral'](text),
    markup: (line) =>
      plainLiterals(
        mapOwnText(line, (own) =>
          own
            .split('`')
            .map((part, i) =>
              i % 2 === 1 ? part : part.replace(BOLD, (_all, lead, inner) => lead + c.bold(inner)),
            )
            .join('`'),
        ),
      ),
  };
}
