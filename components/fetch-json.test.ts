import { afterEach, describe, expect, it, vi } from 'vitest';
import { FetchJsonError, fetchJson } from '@/components/fetch-json';

function answer(status: number, body: string) {
  const fetchMock = vi.fn(async () => new Response(body, { status, headers: { 'content-type': 'application/json' } }));
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

afterEach(() => vi.unstubAllGlobals());

describe('fetchJson', () => {
  it('returns the JSON body of a 2xx answer, asked without cache', async () => {
    const fetchMock = answer(200, JSON.stringify({ alarms: [1, 2] }));
    await expect(fetchJson<{ alarms: number[] }>('/api/v1/alarms')).resolves.toEqual({ alarms: [1, 2] });
    expect(fetchMock).toHaveBeenCalledWith('/api/v1/alarms', { method: 'GET', cache: 'no-store', headers: { accept: 'application/json' } });
  });

  it('throws the server’s own error message, status and code for a non-2xx answer', async () => {
    answer(409, JSON.stringify({ error: { code: 'CONFLICT', message: 'The deployment is already running.' } }));
    const error = await fetchJson('/api/v1/deployments/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FetchJsonError);
    expect(error).toMatchObject({ message: 'The deployment is already running.', status: 409, code: 'CONFLICT' });
  });

  it('refuses a non-2xx answer even when its body is JSON without an error (no silent success)', async () => {
    answer(500, JSON.stringify({ id: 'd1', status: 'RUNNING' }));
    await expect(fetchJson('/api/v1/deployments/d1')).rejects.toMatchObject({ message: 'HTTP 500', status: 500 });
  });

  it('names the status when the body is not JSON (a proxy’s HTML page)', async () => {
    answer(502, '<html>Bad gateway</html>');
    await expect(fetchJson('/api/v1/alarms')).rejects.toMatchObject({ message: 'HTTP 502', status: 502 });
  });

  it('takes the body of a status the caller accepts (the health report’s 503) as the answer', async () => {
    answer(503, JSON.stringify({ status: 'degraded', checks: [] }));
    await expect(fetchJson('/api/health', { accept: [503] })).resolves.toEqual({ status: 'degraded', checks: [] });
    await expect(fetchJson('/api/health')).rejects.toMatchObject({ status: 503 });
  });

  it('posts when asked', async () => {
    const fetchMock = answer(200, JSON.stringify({ ok: true }));
    await fetchJson('/api/v1/audit/verify', { method: 'POST' });
    expect(fetchMock).toHaveBeenCalledWith('/api/v1/audit/verify', expect.objectContaining({ method: 'POST' }));
  });
});
