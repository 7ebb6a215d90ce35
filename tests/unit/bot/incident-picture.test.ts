/** The incident's resolution post carries the timeline picture; other incident posts do not. */
import { describe, expect, it } from 'vitest';
import { renderPng } from '../../../src/infra/timeline-png.ts';
import { pictureSender, RESOLVED_TOPIC } from '../../helpers/picture-sender.ts';
import { pngSize } from '../../helpers/svg-marks.ts';

function setUp() {
  return pictureSender({ renderPng });
}

describe('the incident resolution post', () => {
  it('attaches the deployment timeline (with the incident) as a PNG', async () => {
    const { send, posted } = setUp();
    expect(await send({ kind: 'post', payload: { incidentId: 'INC-1', topic: RESOLVED_TOPIC } })).toEqual({
      status: 'sent',
    });
    expect(posted[0]?.image?.name).toBe('toy-2-timeline.png');
    expect(pngSize(posted[0]?.image?.png ?? new Uint8Array()).width).toBe(1200);
  });

  it('sends other incident notes without a picture', async () => {
    const { send, posted } = setUp();
    const topic = { kind: 'note', key: 'cleared:1', text: 'Health cleared.' };
    await send({ kind: 'post', payload: { incidentId: 'INC-1', topic } });
    expect(posted[0]?.image).toBeUndefined();
  });
});
