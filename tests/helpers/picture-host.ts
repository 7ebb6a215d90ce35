/**
 * A bot stand-in for the picture renderer tests: draws one picture through the renderer process and prints the
 * process's pid as one JSON line. With `wait` it then waits to be killed; without, it has nothing left to do.
 */
import { buildPlan, renderTimelineSvg, timelineFromPlan } from '../../src/core/index.ts';
import { createPngRenderer } from '../../src/infra/png-render/png-renderer.ts';
import { loadRepoRunbook } from './load-runbook.ts';

const svg = renderTimelineSvg(timelineFromPlan(buildPlan(loadRepoRunbook('runbook.yaml'), { start: 0 })));
const renderer = createPngRenderer();
if (process.argv[2] === 'wait') setInterval(() => undefined, 60_000);
const png = await renderer.render(svg);
process.stdout.write(`${JSON.stringify({ renderer: renderer.pid(), bytes: png.length })}\n`);
