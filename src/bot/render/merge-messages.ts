/** Several messages of one thread as one post (step results that waited for the channel together). */
import type { ChatMessage } from '../../core/index.ts';

const TONE_RANK = { neutral: 0, good: 1, warning: 2, bad: 3 } as const;

/** Texts one under the other; the gravest tone; attachments joined into one file, each under its own name. */
export function mergeMessages(messages: readonly ChatMessage[]): ChatMessage {
  const [first, ...rest] = messages;
  if (!first) return { text: '' };
  if (rest.length === 0) return first;
  const tone = messages
    .map((m) => m.tone)
    .filter((t) => t !== undefined)
    .sort((a, b) => TONE_RANK[b] - TONE_RANK[a])[0];
  const files = messages.flatMap((m) => (m.attachment ? [m.attachment] : []));
  const attachment =
    files.length === 1
      ? files[0]
      : files.length > 1
        ? {
            name: 'step-output.txt',
            content: files.map((f) => `===== ${f.name} =====\n${f.content}`).join('\n\n'),
          }
        : undefined;
  const buttons = messages.flatMap((m) => m.buttons ?? []);
  return {
    text: messages.map((m) => m.text).join('\n'),
    ...(tone !== undefined && { tone }),
    ...(attachment !== undefined && { attachment }),
    ...(buttons.length > 0 && { buttons }),
  };
}
