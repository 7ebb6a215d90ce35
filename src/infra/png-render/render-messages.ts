/** What the bot and its picture renderer process say to each other over their IPC channel. */

/** Bot → renderer. */
export interface ToRenderer {
  readonly kind: 'render';
  readonly id: number;
  readonly svg: string;
}

/** Renderer → bot; each answer carries the renderer's resident memory, so the bot knows when to replace it. */
export type FromRenderer =
  | { readonly kind: 'done'; readonly id: number; readonly png: Uint8Array; readonly rss: number }
  | { readonly kind: 'error'; readonly id: number; readonly message: string; readonly rss: number };
