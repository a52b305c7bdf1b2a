// The emulated Slack world: workspaces, people, channels, the app's installations and everything posted.
// Plain data plus the few rules that keep it consistent; the HTTP side reads and changes it.
import { slackId } from './ids.js';
import type {
  ChannelInput,
  OpenedView,
  PostedEphemeral,
  PostedMessage,
  RecordedInteraction,
  RecordedResponse,
  UserInput,
  WorkspaceInput,
} from './types.js';

export interface Workspace {
  id: string;
  name: string;
  domain: string;
  enterpriseId: string | undefined;
  enterpriseName: string | undefined;
}

export interface User {
  id: string;
  teamId: string;
  name: string;
  realName: string;
  isAdmin: boolean;
  isOwner: boolean;
  isPrimaryOwner: boolean;
  isBot: boolean;
  deleted: boolean;
  /** Set for the app's bot user. */
  botId: string | undefined;
}

export interface Channel {
  id: string;
  teamId: string;
  name: string;
  isPrivate: boolean;
  isArchived: boolean;
  deleted: boolean;
  members: Set<string>;
  created: number;
}

/** The app's bot in one workspace. Slack keeps the same bot user across reinstalls, so this is made once. */
export interface BotIdentity {
  userId: string;
  botId: string;
}

export interface Installation {
  teamId: string;
  installerUserId: string;
  scopes: string[];
  userScopes: string[];
  isEnterpriseInstall: boolean;
  installedAt: number;
  active: boolean;
}

export interface Webhook {
  /** 'services/T…/B…/secret', relative to the emulator's URL. */
  path: string;
  teamId: string;
  channelId: string;
  active: boolean;
}

/** A response_url handed to the app with a command or interaction. */
export interface ResponseUrl {
  id: string;
  teamId: string;
  channelId: string;
  userId: string;
  createdAt: number;
  uses: number;
}

export class EmulatorState {
  readonly workspaces = new Map<string, Workspace>();
  readonly users = new Map<string, User>();
  readonly channels = new Map<string, Channel>();
  readonly bots = new Map<string, BotIdentity>();
  readonly installations = new Map<string, Installation>();
  readonly webhooks = new Map<string, Webhook>();
  readonly responseUrls = new Map<string, ResponseUrl>();
  /** trigger_ids handed to the app; each opens one view, within 3 seconds. */
  readonly triggerIds = new Map<string, { issuedAt: number; used: boolean }>();

  readonly messages: PostedMessage[] = [];
  readonly ephemerals: PostedEphemeral[] = [];
  readonly responses: RecordedResponse[] = [];
  readonly interactions: RecordedInteraction[] = [];
  readonly openedViews: OpenedView[] = [];
  /** The last App Home view published per `teamId:userId`. */
  readonly homeViews = new Map<string, unknown>();

  /** Last ts handed out per channel, in microseconds, so every ts in a channel is unique and increasing. */
  private readonly lastTsMicros = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  addWorkspace(w: WorkspaceInput): void {
    this.workspaces.set(w.id, {
      id: w.id,
      name: w.name,
      domain: w.domain ?? w.name.toLowerCase().replace(/[^a-z0-9-]+/g, '-'),
      enterpriseId: w.enterpriseId,
      enterpriseName: w.enterpriseName ?? (w.enterpriseId ? `${w.name} Org` : undefined),
    });
  }

  addUser(teamId: string, u: UserInput): void {
    this.requireWorkspace(teamId);
    this.users.set(u.id, {
      id: u.id,
      teamId,
      name: u.name,
      realName: u.realName ?? u.name,
      isAdmin: u.isAdmin ?? false,
      isOwner: u.isOwner ?? false,
      isPrimaryOwner: u.isPrimaryOwner ?? false,
      isBot: u.isBot ?? false,
      deleted: u.deleted ?? false,
      botId: undefined,
    });
  }

  addChannel(teamId: string, c: ChannelInput): void {
    this.requireWorkspace(teamId);
    this.channels.set(c.id, {
      id: c.id,
      teamId,
      name: c.name.replace(/^#/, ''),
      isPrivate: c.isPrivate ?? false,
      isArchived: c.isArchived ?? false,
      deleted: false,
      members: new Set(c.members ?? []),
      created: Math.floor(this.now() / 1000),
    });
  }

  archiveChannel(channelId: string): void {
    this.requireChannel(channelId).isArchived = true;
  }

  deleteChannel(channelId: string): void {
    this.requireChannel(channelId).deleted = true;
  }

  requireWorkspace(teamId: string): Workspace {
    const workspace = this.workspaces.get(teamId);
    if (!workspace) throw new Error(`Unknown workspace ${teamId}; call addWorkspace first`);
    return workspace;
  }

  requireChannel(channelId: string): Channel {
    const channel = this.channels.get(channelId);
    if (!channel) throw new Error(`Unknown channel ${channelId}; call addChannel first`);
    return channel;
  }

  requireUser(teamId: string, userId: string): User {
    const user = this.users.get(userId);
    if (!user || user.teamId !== teamId) throw new Error(`Unknown user ${userId} in workspace ${teamId}`);
    return user;
  }

  /** The app's bot user in a workspace, created the first time the app is installed there. */
  botFor(teamId: string): BotIdentity {
    const existing = this.bots.get(teamId);
    if (existing) return existing;
    const bot = { userId: slackId('U'), botId: slackId('B') };
    this.bots.set(teamId, bot);
    this.users.set(bot.userId, {
      id: bot.userId,
      teamId,
      name: 'herald',
      realName: 'Herald',
      isAdmin: false,
      isOwner: false,
      isPrimaryOwner: false,
      isBot: true,
      deleted: false,
      botId: bot.botId,
    });
    return bot;
  }

  /** A channel as a Web API argument names it: an id, or a name with or without '#'. Deleted channels are gone. */
  findChannel(teamId: string, ref: string): Channel | undefined {
    const byId = this.channels.get(ref);
    const channel =
      byId ?? [...this.channels.values()].find((c) => c.teamId === teamId && c.name === ref.replace(/^#/, ''));
    if (!channel || channel.deleted || channel.teamId !== teamId) return undefined;
    return channel;
  }

  channelsOf(teamId: string): Channel[] {
    return [...this.channels.values()].filter((c) => c.teamId === teamId && !c.deleted);
  }

  usersOf(teamId: string): User[] {
    return [...this.users.values()].filter((u) => u.teamId === teamId);
  }

  /** A new message ts: the clock in microseconds, bumped when needed so it is unique within the channel. */
  nextTs(channelId: string): string {
    const micros = Math.max(this.now() * 1000, (this.lastTsMicros.get(channelId) ?? 0) + 1);
    this.lastTsMicros.set(channelId, micros);
    const seconds = Math.floor(micros / 1_000_000);
    return `${seconds}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  postMessage(m: Omit<PostedMessage, 'ts' | 'edits' | 'replyCount' | 'postedAt'>): PostedMessage {
    const message: PostedMessage = { ...m, ts: this.nextTs(m.channel), edits: 0, replyCount: 0, postedAt: this.now() };
    this.messages.push(message);
    if (m.thread_ts) {
      const parent = this.findMessage(m.channel, m.thread_ts);
      if (parent) parent.replyCount += 1;
    }
    return message;
  }

  findMessage(channelId: string, ts: string): PostedMessage | undefined {
    return this.messages.find((m) => m.channel === channelId && m.ts === ts);
  }

  /**
   * Removes a message, as a person (or chat.delete) deleting it would; returns what was removed. Its
   * replies stay, as in Slack. Afterwards chat.update answers message_not_found and replies to it are
   * posted top-level, as Slack does for a thread_ts it cannot find.
   */
  deleteMessage(channelId: string, ts: string): PostedMessage {
    const index = this.messages.findIndex((m) => m.channel === channelId && m.ts === ts);
    const [message] = index < 0 ? [] : this.messages.splice(index, 1);
    if (!message) throw new Error(`No message ${ts} in channel ${channelId}`);
    const parent = message.thread_ts ? this.findMessage(channelId, message.thread_ts) : undefined;
    if (parent) parent.replyCount -= 1;
    return message;
  }

  /** Removes the bot from every channel of the team, as uninstalling does. */
  removeBotFromChannels(teamId: string): void {
    const bot = this.bots.get(teamId);
    if (!bot) return;
    for (const channel of this.channelsOf(teamId)) channel.members.delete(bot.userId);
  }
}
