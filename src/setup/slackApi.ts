// The part of Slack's Web API the setup code calls: the listener's authorized WebClient.
import type { WebClient } from '@slack/web-api';

export type SlackApi = Pick<WebClient, 'chat' | 'conversations' | 'users'>;
