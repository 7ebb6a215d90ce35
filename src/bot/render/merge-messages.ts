/** Several messages of one thread as one post (step results that waited for the channel together). */
import type { ChatMessage } from '../../core/index.ts';

const TONE_RANK = { neutral: 0, good: 1, warning: 2, bad: 3 } as const;
/** Well under Slack's 40,000 characters and Discord's limits once mentions are expanded. */
const TEXT_BUDGET = 3_500;

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
  const text = messages.map((m) => m.text).join('\n');
  if (text.length > TEXT_BUDGET) {
    // Too long for one post: the first line of each result here, all of it (and any output files) in one file.
    const content = [text, ...(attachment ? [`===== ${attachment.name} =====\n${attachment.content}`] : [])];
    return {
      text: `${messages.map((m) => m.text.split('\n')[0]).join('\n')}\n(${messages.length} results in full in step-results.txt)`,
      ...(tone !== undefined && { tone }),
      attachment: { name: 'step-results.txt', content: content.join('\n\n') },
      ...(buttons.length > 0 && { buttons }),
    };
  }
  return {
    text,
    ...(tone !== undefined && { tone }),
    ...(attachment !== undefined && { attachment }),
    ...(buttons.length > 0 && { buttons }),
  };
}
