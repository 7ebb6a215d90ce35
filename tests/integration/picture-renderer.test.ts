/**
 * The picture renderer process: reports get their timeline picture from a helper process, and a helper that
 * dies, hangs or reaches its limits is replaced without losing a report.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPlan, renderTimelineSvg, timelineFromPlan } from '../../src/core/index.ts';
import {
  createPngRenderer,
  type PngRenderer,
  type PngRendererOptions,
} from '../../src/infra/png-render/png-renderer.ts';
import { loadRepoRunbook } from '../helpers/load-runbook.ts';
import { pictureSender } from '../helpers/picture-sender.ts';
import { isProcessAlive } from '../helpers/process-alive.ts';
import { pngSize } from '../helpers/svg-marks.ts';

const svg = renderTimelineSvg(timelineFromPlan(buildPlan(loadRepoRunbook('runbook.yaml'), { start: 0 })));
const renderers: PngRenderer[] = [];
afterAll(() => Promise.all(renderers.map((r) => r.close())));

function renderer(options: PngRendererOptions = {}): PngRenderer {
  const created = createPngRenderer(options);
  renderers.push(created);
  return created;
}

/** A log that keeps its lines. */
function keptLog() {
  const lines: { level: string; msg: string | undefined; obj: object }[] = [];
  const line = (level: string) => (obj: object, msg?: string) => void lines.push({ level, msg, obj });
  return { lines, log: { info: line('info'), warn: line('warn') } };
}

function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

async function gone(pid: number, ms = 15_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (isProcessAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

describe('the picture renderer process', () => {
  it("draws the report's timeline picture in a process of its own", async () => {
    const pictures = renderer();
    const { sendReport, posted } = pictureSender({ renderPng: pictures.render });
    expect(await sendReport()).toEqual({ status: 'sent' });
    expect(posted[0]?.image?.name).toBe('toy-2-timeline.png');
    expect(pngSize(posted[0]?.image?.png ?? new Uint8Array()).width).toBe(1200);
    const pid = pictures.pid() ?? 0;
    expect(pid).not.toBe(process.pid);
    expect(parentOf(pid)).toBe(process.pid);
  });

  it('after its process is killed, the next report still gets its picture, from a new process', async () => {
    const pictures = renderer();
    const { sendReport, posted } = pictureSender({ renderPng: pictures.render });
    await sendReport();
    const first = pictures.pid() ?? 0;
    process.kill(first, 'SIGKILL');
    expect(await gone(first)).toBe(true);
    expect(await sendReport()).toEqual({ status: 'sent' });
    expect(posted[1]?.image?.name).toBe('toy-2-timeline.png');
    expect(pictures.pid()).not.toBe(first);
  });

  it('posts the report without the picture, and logs why, when the process hangs; the next report has it again', async () => {
    const { lines, log } = keptLog();
    const pictures = renderer({ timeoutMs: 8_000, log });
    const { sendReport, posted } = pictureSender({ renderPng: pictures.render, log });
    pictures.warm();
    const hung = pictures.pid() ?? 0;
    process.kill(hung, 'SIGSTOP');
    expect(await sendReport()).toEqual({ status: 'sent' });
    expect(posted[0]?.image).toBeUndefined();
    expect(posted[0]?.text).toContain(
      "The timeline picture could not be drawn: Preflight's picture renderer did not finish the picture within 8 s; it was stopped",
    );
    expect(lines.map((l) => `${l.level} ${l.msg}`)).toContain(
      'warn timeline picture not drawn; posted without it',
    );
    expect(await gone(hung)).toBe(true);
    expect(await sendReport()).toEqual({ status: 'sent' });
    expect(posted[1]?.image?.name).toBe('toy-2-timeline.png');
  });

  it('draws a picture again in a new process when its process dies while drawing it, and logs it', async () => {
    const { lines, log } = keptLog();
    const pictures = renderer({ log });
    pictures.warm();
    const crashed = pictures.pid() ?? 0;
    process.kill(crashed, 'SIGSTOP');
    const drawn = pictures.render(svg);
    process.kill(crashed, 'SIGKILL');
    expect(pngSize(await drawn).width).toBe(1200);
    expect(pictures.pid()).not.toBe(crashed);
    expect(lines.map((l) => `${l.level} ${l.msg}`)).toContain(
      'warn picture renderer process lost; a new one draws the picture',
    );
  });

  it('is replaced by a new process after its number of pictures, and the old one exits', async () => {
    const { lines, log } = keptLog();
    const pictures = renderer({ maxRenders: 2, log });
    const pids: (number | undefined)[] = [];
    for (let i = 0; i < 3; i++) {
      pictures.warm();
      pids.push(pictures.pid());
      await pictures.render(svg);
    }
    expect(pids[1]).toBe(pids[0]);
    expect(pids[2]).not.toBe(pids[0]);
    expect(await gone(pids[0] ?? 0)).toBe(true);
    expect(lines).toContainEqual({
      level: 'info',
      msg: 'picture renderer process retired',
      obj: { pid: pids[0], reason: 'drew 2 pictures' },
    });
  });

  it('is replaced by a new process once its memory passes the limit', async () => {
    const pictures = renderer({ maxRssBytes: 1 });
    await pictures.render(svg);
    const first = pictures.pid();
    expect(first).toBeUndefined();
    pictures.warm();
    const second = pictures.pid();
    await pictures.render(svg);
    expect(second).toBeDefined();
    expect(pictures.pid()).toBeUndefined();
  });

  it('does not keep the bot running once the picture is drawn', async () => {
    const host = await execa(process.execPath, [
      fileURLToPath(new URL('../helpers/picture-host.ts', import.meta.url)),
    ]);
    expect(host.exitCode).toBe(0);
    const { renderer: pid, bytes } = JSON.parse(host.stdout) as { renderer: number; bytes: number };
    expect(bytes).toBeGreaterThan(0);
    expect(await gone(pid)).toBe(true);
  });

  it('exits when the bot is killed', async () => {
    const host = execa(
      process.execPath,
      [fileURLToPath(new URL('../helpers/picture-host.ts', import.meta.url)), 'wait'],
      { reject: false },
    );
    const line = await new Promise<string>((resolve) => {
      host.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString('utf8')));
    });
    const { renderer: pid } = JSON.parse(line) as { renderer: number };
    expect(isProcessAlive(pid)).toBe(true);
    host.kill('SIGKILL');
    await host;
    expect(await gone(pid)).toBe(true);
  });

  it('close() stops its process and refuses further pictures', async () => {
    const pictures = createPngRenderer();
    pictures.warm();
    const pid = pictures.pid() ?? 0;
    await pictures.close();
    expect(isProcessAlive(pid)).toBe(false);
    await expect(pictures.render(svg)).rejects.toThrow('Preflight is stopping; no picture is drawn');
  });

  it('close() while a picture is being drawn settles that picture and stops its process', async () => {
    const pictures = createPngRenderer();
    pictures.warm();
    const pid = pictures.pid() ?? 0;
    const drawn = pictures.render(svg);
    await pictures.close();
    const [settled] = await Promise.allSettled([drawn]);
    expect(['fulfilled', 'rejected']).toContain(settled.status);
    expect(isProcessAlive(pid)).toBe(false);
  });
});
