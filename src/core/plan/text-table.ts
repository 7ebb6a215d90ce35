/** Plain-text tables with columns as wide as their widest cell. */

/** Lays out rows in columns; the last column is never padded. */
export function formatTable(rows: readonly (readonly string[])[], indent = '  ', gap = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      if (i < row.length - 1) widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows.map((row) =>
    `${indent}${row.map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i] ?? 0) : cell)).join(gap)}`.trimEnd(),
  );
}
