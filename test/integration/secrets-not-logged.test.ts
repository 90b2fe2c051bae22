import { describe, expect, it } from 'vitest';
import { captureOutput } from '../support/capture-output.ts';
import { activeProject } from '../support/projects.ts';
import { startReceiver } from '../support/receiver.ts';
import { useTwin } from '../support/twin.ts';

// Most verbose logging, so the test sees every line the handlers can write.
const t = useTwin({ logLevel: 'DEBUG' });
const lines = captureOutput();

describe('secrets never reach the logs', () => {
  it('logs no webhook signing secret while configuring and delivering', async () => {
    const receiver = await startReceiver();
    const projectId = await activeProject(t, 'Hooked');
    const put = await t.api.put(`/projects/${projectId}/webhook`, { url: receiver.url });
    const secret = put.body.secret as string;
    await t.api.post(`/projects/${projectId}/events`, { id: 'quiet-evt', type: 'a.b', data: {} });
    await t.idle();
    await receiver.close();

    expect(receiver.requests).toHaveLength(1);
    expect(lines.filter((line) => line.includes(secret.slice('whsec_'.length)))).toEqual([]);
  });

  it('logs no API key secret and no admin token across the whole key lifecycle', async () => {
    const projectId = await activeProject(t, 'Quiet');
    const created = await t.api.post(
      `/projects/${projectId}/keys`,
      { name: 'quiet' },
      { key: 'quiet-1' },
    );
    const secret = created.body.secret as string;
    await t.api.post(`/projects/${projectId}/keys`, { name: 'quiet' }, { key: 'quiet-1' });
    await t.api.get(`/projects/${projectId}/keys`, { token: secret });
    await t.api.get(`/projects/${projectId}`, { token: `${secret.slice(0, -1)}x` });
    await t.api.delete(`/projects/${projectId}/keys/${created.body.id}`, { token: secret });
    await t.api.get(`/projects/${projectId}`, { token: secret });
    await t.idle();

    expect(lines.some((line) => line.includes('"level":"DEBUG"'))).toBe(true);
    expect(
      lines.filter(
        (line) => line.includes(secret) || line.includes(secret.split('_').at(-1) as string),
      ),
    ).toEqual([]);
    expect(lines.filter((line) => line.includes(t.twin.adminToken))).toEqual([]);
  });
});
