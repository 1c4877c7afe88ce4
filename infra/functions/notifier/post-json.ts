import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';

export interface PostOptions {
  /** http://host:port of an HTTP CONNECT proxy (EgressMode=proxy); direct when absent. */
  proxyUrl?: string;
  timeoutMs?: number;
  /** Extra trusted CAs (tests use a self-signed server). */
  ca?: string;
}

export interface PostResult {
  status: number;
  body: string;
}

/** Thrown when the egress proxy refuses the tunnel. */
export class ProxyError extends Error {
  override name = 'ProxyError';
}

function tunnel(proxyUrl: string, target: URL, timeoutMs: number): Promise<import('node:net').Socket> {
  const proxy = new URL(proxyUrl);
  if (proxy.protocol !== 'http:') throw new ProxyError(`egress proxy must be http://host:port, got ${proxy.protocol}`);
  const authority = `${target.hostname}:${target.port || 443}`;
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: proxy.hostname,
      port: Number(proxy.port || 80),
      method: 'CONNECT',
      path: authority,
      headers: { host: authority },
      timeout: timeoutMs,
    });
    req.once('connect', (res, socket) => {
      if (res.statusCode === 200) return resolve(socket);
      socket.destroy();
      reject(new ProxyError(`egress proxy refused CONNECT ${authority}: ${res.statusCode}`));
    });
    req.once('timeout', () => req.destroy(new ProxyError(`egress proxy did not answer within ${timeoutMs} ms`)));
    req.once('error', reject);
    req.end();
  });
}

/** POSTs a JSON body over HTTPS, directly or through an HTTP CONNECT proxy, verifying the server's certificate. */
export async function postJson(url: string, body: unknown, options: PostOptions = {}): Promise<PostResult> {
  const target = new URL(url);
  if (target.protocol !== 'https:') throw new Error('only https targets are allowed');
  const timeoutMs = options.timeoutMs ?? 5000;
  const payload = JSON.stringify(body);
  const socket = options.proxyUrl ? await tunnel(options.proxyUrl, target, timeoutMs) : undefined;
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        method: 'POST',
        host: target.hostname,
        port: Number(target.port || 443),
        path: `${target.pathname}${target.search}`,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        timeout: timeoutMs,
        ca: options.ca ? [...tls.rootCertificates, options.ca] : undefined,
        ...(socket
          ? {
              agent: false,
              createConnection: () => tls.connect({ socket, servername: target.hostname, ca: options.ca ? [...tls.rootCertificates, options.ca] : undefined }),
            }
          : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').slice(0, 500) }));
        res.on('error', reject);
      },
    );
    req.once('timeout', () => req.destroy(new Error(`no answer from ${target.hostname} within ${timeoutMs} ms`)));
    req.once('error', reject);
    req.end(payload);
  });
}
