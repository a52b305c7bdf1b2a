// Signs requests to /slack/events the way Slack does (v0 HMAC-SHA256), or deliberately wrong.
import { createHmac } from 'node:crypto';

export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export async function postSigned(
  url: string,
  body: string,
  p: { secret: string; timestamp?: number; signature?: string | null; contentType?: string },
): Promise<Response> {
  const timestamp = p.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': p.contentType ?? 'application/json',
    'x-slack-request-timestamp': String(timestamp),
  };
  const signature = p.signature === undefined ? slackSignature(p.secret, timestamp, body) : p.signature;
  if (signature !== null) headers['x-slack-signature'] = signature;
  return fetch(url, { method: 'POST', headers, body });
}
