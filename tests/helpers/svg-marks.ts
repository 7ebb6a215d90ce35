/** Reads the marks a timeline SVG declares (its data attributes), to check a picture's content without pixels. */
export interface SvgMark {
  readonly lane: string;
  readonly row: string;
  readonly tone: string;
  readonly at?: string;
  readonly from?: string;
  readonly to?: string;
  readonly title: string;
}

const MARK_RE = /<g class="mark (?:bar|point)" ([^>]*)><title>([^<]*)<\/title>/g;
const ATTR_RE = /data-([a-z]+)="([^"]*)"/g;

function unescapeXml(text: string): string {
  return text
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&apos;', "'")
    .replaceAll('&amp;', '&');
}

/** Every mark in the SVG, with its lane, row, tone, time(s) and title text. */
export function readMarks(svg: string): SvgMark[] {
  return [...svg.matchAll(MARK_RE)].map((match) => {
    const attrs = Object.fromEntries(
      [...(match[1] ?? '').matchAll(ATTR_RE)].map((a) => [a[1], unescapeXml(a[2] ?? '')]),
    );
    return { ...attrs, title: unescapeXml(match[2] ?? '') } as SvgMark;
  });
}

/** Width and height from a PNG's IHDR chunk; throws when the bytes are not a PNG. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!signature.every((byte, i) => png[i] === byte)) throw new Error('not a PNG');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** The height an SVG document declares. */
export function svgHeight(svg: string): number {
  return Number(/<svg [^>]*height="(\d+)"/.exec(svg)?.[1]);
}
