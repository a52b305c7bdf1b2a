// Registers every Slack listener, grouped by Slack surface (events, commands, actions, views).
import type { App } from '@slack/bolt';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import type { Logger } from '../../log.js';
import type { SecretBox } from '../../security/secretBox.js';
import type { PrismaInstallationStore } from '../installationStore.js';
import { AccessControl } from '../../setup/permissions.js';
import { registerAlertButtons } from './actions/alertButtons.js';
import { registerHomeActions } from './actions/home.js';
import { registerHeraldCommand } from './commands/index.js';
import { registerAppHome } from './events/appHome.js';
import { registerUninstall } from './events/uninstall.js';

/** What listeners may use; Slack's Web API client comes with each listener call, authorized. */
export interface ListenerDeps {
  config: Config;
  db: Db;
  store: PrismaInstallationStore;
  box: SecretBox;
  log: Logger;
  /** Delivery, to wake when a listener queued something for Slack (a button press, a test alert). */
  delivery: { wake(): void };
}

export function registerListeners(app: App, deps: ListenerDeps): void {
  registerUninstall(app, deps);
  // One AccessControl per Herald: its users.info cache is shared by the command, the home and its buttons.
  const setup = { ...deps, access: new AccessControl(deps.db, deps.log) };
  registerHeraldCommand(app, setup);
  registerAppHome(app, setup);
  registerHomeActions(app, setup);
  registerAlertButtons(app, deps);
}
