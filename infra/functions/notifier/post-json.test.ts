import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, ProxyError } from './post-json';

// A throwaway self-signed certificate for 127.0.0.1, made with the openssl CLI (Node cannot issue
// X.509 certificates itself). Everything listens on 127.0.0.1: no test reaches the network.
function selfSigned(): { key: string; cert: string } | null {
  try {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'notifier-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const out = { key: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8'), cert: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8') };
    fs.rmSync(dir, { recursive: true, force: true });
    return out;
  } catch {
    return null;
  }
}

const tls = selfSigned();

describe.skipIf(!tls)('postJson (needs the openssl CLI)', () => {
  let slack: https.Server;
  let slackPort: number;
  let proxy: http.Server;
  let proxyPort: number;
  const received: { path: string; body: unknown }[] = [];
  const tunnels: string[] = [];
  let refuseTunnels = false;
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };

  beforeAll(async () => {
    slack = https.createServer({ key: tls!.key, cert: tls!.cert }, (req, res) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString()));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body: JSON.parse(data) });
        res.writeHead(req.url?.includes('revoked') ? 404 : 200).end(req.url?.includes('revoked') ? 'no_service' : 'ok');
      });
    });
    slack.on('connection', track);
    await new Promise<void>((r) => slack.listen(0, '127.0.0.1', r));
    slackPort = (slack.address() as AddressInfo).port;

    // A minimal HTTP CONNECT proxy, as the egress proxy would be.
    proxy = http.createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req: http.IncomingMessage, client: net.Socket) => {
      tunnels.push(req.url ?? '');
      if (refuseTunnels) return void client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      const [host, port] = (req.url ?? '').split(':');
      const upstream = net.connect(Number(port), host === 'localhost' ? '127.0.0.1' : host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    proxy.on('connection', track);
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    proxyPort = (proxy.address() as AddressInfo).port;
  });

  afterAll(async () => {
    // Keep-alive and tunnelled sockets would hold the servers open.
    for (const socket of sockets) socket.destroy();
    await new Promise((r) => slack.close(r));
    await new Promise((r) => proxy.close(r));
  });

  it('posts directly, verifying the certificate', async () => {
    const result = await postJson(`https://localhost:${slackPort}/services/T/B/direct`, { text: 'hi' }, { ca: tls!.cert });
    expect(result).toEqual({ status: 200, body: 'ok' });
    expect(received.at(-1)).toEqual({ path: '/services/T/B/direct', body: { text: 'hi' } });
  });

  it('posts through the egress proxy with CONNECT, TLS end to end', async () => {
    const result = await postJson(
      `https://localhost:${slackPort}/services/T/B/proxied`,
      { text: 'via proxy' },
      { ca: tls!.cert, proxyUrl: `http://127.0.0.1:${proxyPort}` },
    );
    expect(result).toEqual({ status: 200, body: 'ok' });
    expect(tunnels.at(-1)).toBe(`localhost:${slackPort}`);
    expect(received.at(-1)).toEqual({ path: '/services/T/B/proxied', body: { text: 'via proxy' } });
  });

  it('returns Slack status and body for a refused message', async () => {
    expect(await postJson(`https://localhost:${slackPort}/services/revoked`, {}, { ca: tls!.cert })).toEqual({ status: 404, body: 'no_service' });
  });

  it('rejects a certificate it does not trust', async () => {
    await expect(postJson(`https://localhost:${slackPort}/services/x`, {})).rejects.toThrow(/self-signed|self signed/);
  });

  it('fails with a ProxyError when the proxy refuses the tunnel', async () => {
    refuseTunnels = true;
    try {
      const error = await postJson(`https://localhost:${slackPort}/services/x`, {}, { ca: tls!.cert, proxyUrl: `http://127.0.0.1:${proxyPort}` }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ProxyError);
      expect((error as Error).message).toBe(`egress proxy refused CONNECT localhost:${slackPort}: 403`);
    } finally {
      refuseTunnels = false;
    }
  });
});

describe('postJson refuses plain http', () => {
  it('never sends a webhook in clear text', async () => {
    await expect(postJson('http://hooks.slack.com/services/x', {})).rejects.toThrow('only https');
  });
});
