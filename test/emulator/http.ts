// The emulator's HTTP surface: Web API, OAuth pages, incoming webhooks, response_urls and the overview.
// Each route reads its own raw body, so a bad body is answered as Slack would, never with a crash.
import express, { type NextFunction, type Request, type Response } from 'express';
import { SlackApiError, argsForRecord, stringArg } from './args.js';
import { parseBody, parseMessagePayload } from './body.js';
import type { EmulatorCore } from './core.js';
import type { FailureInjector } from './failures.js';
import { readMessageContent } from './messageContent.js';
import { approve, checkAuthorizeRequest, deny } from './oauth.js';
import { DECIDE_FIELDS, renderAuthorizePage, renderErrorPage, renderStatePage, stateSnapshot } from './pages.js';
import type { RecordedCall } from './types.js';
import { type ApiReply, callMethod, tokenFrom } from './webApi.js';

/** A response_url works for 30 minutes and 5 posts, as Slack documents. */
const RESPONSE_URL_LIFETIME_MS = 30 * 60 * 1000;
const RESPONSE_URL_MAX_USES = 5;

const rawBody = express.raw({ type: () => true, limit: '2mb' });

function rawOf(req: Request): Buffer | undefined {
  return Buffer.isBuffer(req.body) ? req.body : undefined;
}

function queryOf(req: Request): URLSearchParams {
  return new URL(req.originalUrl, 'http://emulator.invalid').searchParams;
}

function describeCall(method: string, args: Record<string, unknown>, reply: ApiReply): string {
  const channel = stringArg(args, 'channel') ?? '';
  const outcome = reply.body.ok ? 'ok' : `error=${reply.body.error ?? 'unknown'}`;
  return [method, channel, outcome, reply.status === 200 ? '' : `http=${reply.status}`].filter(Boolean).join(' ');
}

function injectedReply(status: number | undefined, error: string | undefined): ApiReply {
  return { status: status ?? 200, headers: {}, body: { ok: false, error: error ?? 'internal_error' } };
}

export function createHttpApp(core: EmulatorCore, failures: FailureInjector, calls: RecordedCall[]): express.Express {
  const { state } = core;
  const app = express();
  app.disable('x-powered-by');

  app.all('/api/:method', rawBody, async (req: Request, res: Response) => {
    const method = String(req.params.method);
    const parsed = parseBody(req.headers['content-type'], rawOf(req));
    // Slack also reads arguments from the query string; the body wins.
    const args = { ...Object.fromEntries(queryOf(req)), ...(parsed ?? {}) };
    const authorization = req.headers.authorization;
    const failure = failures.take(method);
    if (failure?.delayMs) await failures.delay(failure.delayMs);

    let reply: ApiReply;
    if (parsed === null) reply = injectedReply(200, 'invalid_arguments');
    else if (failure && (failure.status !== undefined || failure.error !== undefined)) reply = injectedReply(failure.status, failure.error);
    else reply = callMethod(core, method, args, authorization);

    const token = tokenFrom(authorization, args);
    calls.push({
      method,
      args: argsForRecord(args),
      token,
      teamId: token ? core.tokens.find(token)?.teamId : undefined,
      status: reply.status,
      response: reply.body,
      at: core.options.now(),
    });
    core.options.log?.(describeCall(method, args, reply));
    res.status(reply.status).set(reply.headers).json(reply.body);
  });

  app.get('/oauth/v2/authorize', (req: Request, res: Response) => {
    const check = checkAuthorizeRequest(core, queryOf(req));
    if (!check.ok) {
      res.status(400).type('html').send(renderErrorPage(check.error, check.message));
      return;
    }
    res.type('html').send(renderAuthorizePage(core, check.request));
  });

  app.get('/oauth/v2/authorize/decide', (req: Request, res: Response) => {
    const query = queryOf(req);
    const account = query.get(DECIDE_FIELDS.account) ?? '';
    const channelId = query.get(DECIDE_FIELDS.channel) ?? undefined;
    const decision = query.get(DECIDE_FIELDS.decision);
    for (const field of Object.values(DECIDE_FIELDS)) query.delete(field);
    try {
      const [teamId = '', userId = ''] = account.split(':');
      const target = decision === 'allow' ? approve(core, { query, teamId, userId, channelId }) : deny(core, query);
      res.redirect(302, target);
    } catch (error) {
      res.status(400).type('html').send(renderErrorPage('invalid_request', error instanceof Error ? error.message : String(error)));
    }
  });

  // Incoming webhooks answer in plain text, with HTTP statuses, unlike the Web API.
  app.post('/services/:team/:bot/:secret', rawBody, (req: Request, res: Response) => {
    const webhook = state.webhooks.get(`services/${req.params.team}/${req.params.bot}/${req.params.secret}`);
    const reject = (status: number, error: string) => void res.status(status).type('text/plain').send(error);
    if (!webhook?.active) return reject(404, 'no_service');
    const channel = state.channels.get(webhook.channelId);
    if (!channel || channel.deleted) return reject(404, 'channel_not_found');
    if (channel.isArchived) return reject(410, 'channel_is_archived');
    const payload = parseMessagePayload(req.headers['content-type'], rawOf(req));
    if (!payload) return reject(400, 'invalid_payload');
    try {
      const content = readMessageContent(payload);
      const bot = state.botFor(webhook.teamId);
      state.postMessage({ teamId: webhook.teamId, channel: channel.id, text: content.text, blocks: content.blocks, attachments: content.attachments, user: bot.userId, bot_id: bot.botId, source: 'webhook' });
    } catch (error) {
      if (error instanceof SlackApiError) return reject(400, error.code);
      throw error;
    }
    res.type('text/plain').send('ok');
  });

  app.post('/commands/response/:id', rawBody, (req: Request, res: Response) => {
    const entry = state.responseUrls.get(String(req.params.id));
    const reject = (status: number, error: string) => void res.status(status).json({ ok: false, error });
    if (!entry) return reject(404, 'no_service');
    if (core.options.now() - entry.createdAt > RESPONSE_URL_LIFETIME_MS) return reject(404, 'expired_url');
    if (entry.uses >= RESPONSE_URL_MAX_USES) return reject(404, 'used_url');
    const payload = parseMessagePayload(req.headers['content-type'], rawOf(req));
    if (!payload) return reject(400, 'invalid_payload');
    try {
      // Deleting the original needs no content; anything else is a message and is checked like one.
      const content = payload.delete_original === true ? undefined : readMessageContent(payload);
      if (content && payload.response_type === 'in_channel' && payload.replace_original !== true) {
        const bot = state.botFor(entry.teamId);
        state.postMessage({ teamId: entry.teamId, channel: entry.channelId, text: content.text, blocks: content.blocks, attachments: content.attachments, user: bot.userId, bot_id: bot.botId, source: 'response_url' });
      }
    } catch (error) {
      if (error instanceof SlackApiError) return reject(400, error.code);
      throw error;
    }
    entry.uses += 1;
    state.responses.push({
      id: entry.id,
      url: `${core.url}commands/response/${entry.id}`,
      body: payload,
      teamId: entry.teamId,
      channelId: entry.channelId,
      userId: entry.userId,
      at: core.options.now(),
    });
    res.json({ ok: true });
  });

  app.get(['/', '/_emulator'], (_req: Request, res: Response) => {
    res.type('html').send(renderStatePage(core));
  });
  app.get('/_emulator/state.json', (_req: Request, res: Response) => {
    res.json(stateSnapshot(core));
  });

  app.use((_req: Request, res: Response) => {
    res.status(404).json({ ok: false, error: 'not_found' });
  });

  // Body-parser errors (too large, bad encoding) and anything unexpected: a clean answer, never a crash.
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    if (req.path.startsWith('/api/')) {
      res.status(200).json({ ok: false, error: 'invalid_arguments' });
      return;
    }
    const status = typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number' ? error.status : 400;
    res.status(status >= 400 && status < 500 ? status : 400).json({ ok: false, error: 'invalid_request' });
  });

  return app;
}
