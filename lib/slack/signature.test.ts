import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signSlackRequest, verifySlackSignature } from '@/lib/slack/signature';

// Slack's own worked example (https://api.slack.com/authentication/verifying-requests-from-slack).
const SLACK_EXAMPLE = {
  secret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: '1531420618',
  body: 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};

const secret = 'test-signing-secret-0123456789abcdef';
const body = new TextEncoder().encode('payload=%7B%22type%22%3A%22block_actions%22%7D');
const now = new Date('2026-12-07T12:00:00Z');
const ts = (offsetSeconds = 0) => String(Math.floor(now.getTime() / 1000) + offsetSeconds);
const signed = (timestamp = ts(), raw: Uint8Array = body) => ({ timestamp, signature: signSlackRequest(secret, timestamp, raw), rawBody: raw });

describe('signSlackRequest', () => {
  it("reproduces Slack's documented example", () => {
    expect(signSlackRequest(SLACK_EXAMPLE.secret, SLACK_EXAMPLE.timestamp, SLACK_EXAMPLE.body)).toBe(SLACK_EXAMPLE.signature);
  });

  it('is v0= and the hex HMAC-SHA256 of v0:{timestamp}:{body}', () => {
    const expected = createHmac('sha256', secret).update(`v0:${ts()}:`).update(body).digest('hex');
    expect(signSlackRequest(secret, ts(), body)).toBe(`v0=${expected}`);
  });
});

describe('verifySlackSignature', () => {
  it("accepts Slack's signature of this body and timestamp", () => {
    expect(verifySlackSignature(secret, signed(), now)).toEqual({ ok: true });
    const at = new Date(Number(SLACK_EXAMPLE.timestamp) * 1000 + 30_000);
    expect(verifySlackSignature(SLACK_EXAMPLE.secret, { ...SLACK_EXAMPLE, rawBody: new TextEncoder().encode(SLACK_EXAMPLE.body) }, at)).toEqual({ ok: true });
  });

  it('accepts a timestamp up to five minutes away, either way', () => {
    expect(verifySlackSignature(secret, signed(ts(-300)), now)).toEqual({ ok: true });
    expect(verifySlackSignature(secret, signed(ts(300)), now)).toEqual({ ok: true });
  });

  it('refuses a wrong signature: another secret, another body, another timestamp, a truncated or garbled one', () => {
    const good = signed();
    const refused = { ok: false, reason: 'bad_signature' };
    expect(verifySlackSignature(secret, { ...good, signature: signSlackRequest('another-secret-0123456789abcdef', good.timestamp, body) }, now)).toEqual(
      refused,
    );
    expect(verifySlackSignature(secret, { ...good, rawBody: new TextEncoder().encode('payload=%7B%7D') }, now)).toEqual(refused);
    expect(verifySlackSignature(secret, { ...good, timestamp: ts(-1) }, now)).toEqual(refused);
    expect(verifySlackSignature(secret, { ...good, signature: good.signature.slice(0, -1) }, now)).toEqual(refused);
    expect(verifySlackSignature(secret, { ...good, signature: good.signature.replace('v0=', 'v1=') }, now)).toEqual(refused);
    expect(verifySlackSignature(secret, { ...good, signature: 'v0=' + 'ä'.repeat(32) }, now)).toEqual(refused);
  });

  it('refuses a stale timestamp, even correctly signed (a captured request sent again later)', () => {
    expect(verifySlackSignature(secret, signed(ts(-301)), now)).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verifySlackSignature(secret, signed(ts(-86_400)), now)).toEqual({ ok: false, reason: 'stale_timestamp' });
  });

  it('refuses a timestamp in the future beyond five minutes', () => {
    expect(verifySlackSignature(secret, signed(ts(301)), now)).toEqual({ ok: false, reason: 'stale_timestamp' });
  });

  it('refuses missing headers and a timestamp that is not seconds', () => {
    const good = signed();
    expect(verifySlackSignature(secret, { ...good, signature: null }, now)).toEqual({ ok: false, reason: 'missing_headers' });
    expect(verifySlackSignature(secret, { ...good, timestamp: null }, now)).toEqual({ ok: false, reason: 'missing_headers' });
    expect(verifySlackSignature(secret, { ...good, signature: '' }, now)).toEqual({ ok: false, reason: 'missing_headers' });
    for (const timestamp of ['1.5e9', '-1', ' 1733572800', '2026-12-07T12:00:00Z', '1'.repeat(13)]) {
      expect(verifySlackSignature(secret, signed(timestamp), now)).toEqual({ ok: false, reason: 'bad_timestamp' });
    }
  });
});
