// What every /herald subcommand works with, and what it answers.
import type { KnownBlock } from '@slack/types';
import type { Config } from '../../../config.js';
import { escapeMrkdwn } from '../../../render/text.js';
import type { Db } from '../../../db/database.js';
import type { SecretBox } from '../../../security/secretBox.js';
import type { Actor } from '../../../setup/actor.js';
import type { AccessControl, Permission, Role } from '../../../setup/permissions.js';
import type { SlackApi } from '../../../setup/slackApi.js';
import { installationId } from '../../installationStore.js';
import type { ListenerDeps } from '../index.js';

/** The listeners' dependencies plus the one AccessControl (and its users.info cache) of this process. */
export type SetupDeps = ListenerDeps & { access: AccessControl };

export interface CommandContext {
  actor: Actor;
  /** Slack's Web API, authorized as Herald's bot in this workspace. */
  slack: SlackApi;
  db: Db;
  box: SecretBox;
  config: Config;
  /** Wakes delivery after something was queued for Slack. */
  delivery: { wake(): void };
  now: Date;
  /** The user's role, looked up once on first use. */
  role(): Promise<Role>;
}

/** An ephemeral answer: `text` is mrkdwn, and the notification text when there are blocks. */
export interface Reply {
  text: string;
  blocks?: KnownBlock[];
}

export interface Subcommand {
  /** The words that select it, e.g. `['token', 'create']`. */
  path: string[];
  /** What follows the path, for help and usage errors: `NAME [--signed] [--from CIDR,…]`. */
  args: string;
  summary: string;
  example: string;
  permission: Permission;
  run(ctx: CommandContext, args: string[]): Promise<Reply>;
}

/** Thrown by a subcommand whose arguments do not fit; the dispatcher adds the usage line. */
export class UsageError extends Error {
  constructor(problem: string) {
    super(problem);
    this.name = 'UsageError';
  }
}

export const reply = (text: string): Reply => ({ text });

/** A problem with what the person typed. The problem quotes their input, so it is escaped for mrkdwn. */
export const warning = (problem: string): Reply => reply(`:warning: ${escapeMrkdwn(problem)}`);

/** The Installation row key of the workspace (or org) a Slack request came from. */
export function installationOf(context: { isEnterpriseInstall?: boolean; enterpriseId?: string; teamId?: string }): string {
  return installationId({ isEnterpriseInstall: context.isEnterpriseInstall, enterpriseId: context.enterpriseId, teamId: context.teamId });
}
