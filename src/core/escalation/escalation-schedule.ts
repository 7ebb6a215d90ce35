/** The escalation ladder in time: who is paged when, if nobody acknowledges. */

export interface LadderLevel {
  readonly id: string;
  readonly respond_within: number;
}

export interface LadderPage {
  /** Index into the levels. */
  readonly level: number;
  /** Milliseconds after the incident opened. */
  readonly after: number;
  /** 0 for the first page of a level, 1.. for repeats of the last level. */
  readonly repeat: number;
}

/**
 * The page that follows `current` (or the first page when `current` is undefined): L1 at once, each next level
 * when the one before has not answered within its `respond_within`; when the last level has not answered within
 * its own `respond_within` it is paged again, then every `repeatEvery` (default: its `respond_within`) until
 * someone answers.
 */
export function nextPage(
  levels: readonly LadderLevel[],
  current: LadderPage | undefined,
  repeatEvery?: number,
): LadderPage | undefined {
  if (levels.length === 0) return undefined;
  if (!current) return { level: 0, after: 0, repeat: 0 };
  const level = levels[current.level];
  if (!level) return undefined;
  if (current.level + 1 < levels.length) {
    return { level: current.level + 1, after: current.after + level.respond_within, repeat: 0 };
  }
  const gap = current.repeat === 0 ? level.respond_within : (repeatEvery ?? level.respond_within);
  return { level: current.level, after: current.after + gap, repeat: current.repeat + 1 };
}

/** The first pages of the ladder: each level once, then the first repeat of the last level. */
export function ladderPreview(levels: readonly LadderLevel[], repeatEvery?: number): LadderPage[] {
  const pages: LadderPage[] = [];
  let page = nextPage(levels, undefined, repeatEvery);
  while (page && pages.length < levels.length + 1) {
    pages.push(page);
    page = nextPage(levels, page, repeatEvery);
  }
  return pages;
}
