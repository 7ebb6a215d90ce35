/**
 * The picture renderer: a small long-lived process that rasterises timeline SVGs, so a render never blocks the
 * bot's event loop and resvg's native memory lives and dies with this process. It holds nothing of its own: when
 * the bot goes away (or retires it) it exits.
 */
import { renderPng } from '../timeline-png.ts';
import type { FromRenderer, ToRenderer } from './render-messages.ts';

function tell(message: FromRenderer): void {
  // A bot that went away meanwhile cannot be told: the error goes to the callback, not to an uncaught event.
  if (process.connected) process.send?.(message, undefined, undefined, () => undefined);
}

process.on('message', (message: ToRenderer) => {
  const { id } = message;
  try {
    const png = renderPng(message.svg);
    tell({ kind: 'done', id, png, rss: process.memoryUsage.rss() });
  } catch (error) {
    tell({ kind: 'error', id, message: (error as Error).message, rss: process.memoryUsage.rss() });
  }
});

// Renders are synchronous: by the time the channel closes, the last answer has been sent.
process.on('disconnect', () => process.exit(0));

// A terminal's Ctrl-C reaches the whole process group: the bot decides when to stop, and this process follows.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => undefined);
