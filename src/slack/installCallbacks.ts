// What happens after Slack's install screen. On success: the channel picked there becomes the
// workspace's first alert channel, the welcome message goes to it, and the person sees what to do
// next. On failure: a page that says why, in plain words.
import type { CallbackOptions } from '@slack/oauth';
import { ErrorCode } from '@slack/oauth';
import type { WebClient } from '@slack/web-api';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Db } from '../db/database.js';
import { addChannel, ChannelLimitReached } from '../setup/channels.js';
import { installFailedPage, installSucceededPage } from '../http/pages/installResult.js';
import type { Logger } from '../log.js';
import { installationId } from './installationStore.js';
import { postWelcome } from './welcome.js';

export function installCallbacks(deps: { db: Db; client: WebClient; log: Logger }): CallbackOptions {
  const { db, client, log } = deps;
  return {
    success: async (installation, _options, _req, res) => {
      const id = installationId({ ...installation, enterpriseId: installation.enterprise?.id, teamId: installation.team?.id });
      const webhook = installation.incomingWebhook;
      let welcomePosted = false;
      if (webhook?.channelId) {
        const name = (webhook.channel ?? webhook.channelId).replace(/^#/, '');
        // A full workspace (20 channels) re-installing keeps its channels; the new pick is not added.
        await addChannel(db, { installationId: id, channelId: webhook.channelId, name, addedBy: 'install' }).catch((error: unknown) => {
          if (!(error instanceof ChannelLimitReached)) throw error;
        });
        if (installation.bot?.token) welcomePosted = await postWelcome(client, installation.bot.token, webhook.channelId);
      }
      log.info({ installation: id, team: installation.team?.name, enterpriseInstall: installation.isEnterpriseInstall, welcomePosted }, 'Herald installed');
      const teamName = installation.team?.name ?? installation.enterprise?.name ?? 'your workspace';
      send(res, 200, installSucceededPage({ teamName, channelName: webhook?.channel?.replace(/^#/, '') ?? null, welcomePosted }));
    },
    failure: async (error, _options, req, res) => {
      const { status, reason } = explainFailure(error as Error & { code?: string }, req);
      log.warn({ reason: (error as Error).message }, 'installation failed');
      send(res, status, installFailedPage(reason));
    },
  };
}

/** Maps @slack/oauth's errors to an HTTP status and a sentence a person understands. */
export function explainFailure(error: Error & { code?: string }, req: IncomingMessage): { status: number; reason: string } {
  const slackError = new URL(req.url ?? '/', 'http://herald').searchParams.get('error');
  if (slackError === 'access_denied') return { status: 400, reason: "The installation was cancelled on Slack's page." };
  if (slackError) return { status: 400, reason: `Slack ended the installation with the error "${slackError}".` };
  switch (error.code) {
    case ErrorCode.InvalidStateError:
    case ErrorCode.MissingStateError:
      return { status: 400, reason: 'This install link has expired or was opened in another browser. Start again from the "Add to Slack" button.' };
    case ErrorCode.MissingCodeError:
      return { status: 400, reason: 'The link back from Slack was incomplete (it had no authorization code). Start again from the "Add to Slack" button.' };
    default: {
      const detail = (error as { data?: { error?: string } }).data?.error;
      return { status: 502, reason: `Slack did not complete the installation${detail ? ` (${detail})` : ''}. Please try again in a moment.` };
    }
  }
}

function send(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(html);
}
