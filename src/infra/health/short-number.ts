/** How Prometheus sample values are shown to people. */

/** `0.6016699999999999` → `0.6017`: small values get four digits; large ones (timestamps, counts) stay as sent. */
export function shortNumber(text: string): string {
  const n = Number(text);
  return Number.isFinite(n) && Math.abs(n) < 1000 && text.length > 8
    ? String(Number(n.toPrecision(4)))
    : text;
}
