// Registers every Slack listener, grouped by Slack surface (events, commands, actions, views).
import type { App } from '@slack/bolt';
import type { Logger } from '../../log.js';
import type { PrismaInstallationStore } from '../installationStore.js';
import { registerUninstall } from './events/uninstall.js';

export interface ListenerDeps {
  store: PrismaInstallationStore;
  log: Logger;
}

export function registerListeners(app: App, deps: ListenerDeps): void {
  registerUninstall(app, deps);
}
