// Every /herald subcommand, in the order `/herald help` lists them.
import { audit } from './audit.js';
import { add, list, remove } from './channels.js';
import type { Subcommand } from './context.js';
import { grouping } from './grouping.js';
import { helpSubcommand } from './help.js';
import { managersAdd, managersList, managersRemove } from './managers.js';
import { mute, unmute } from './mute.js';
import { silenceCreate, silenceExpire, silenceList } from './silences.js';
import { test } from './test.js';
import { tokenCreate, tokenList, tokenRevoke } from './tokens.js';

export const SUBCOMMANDS: Subcommand[] = [
  helpSubcommand(() => SUBCOMMANDS),
  add,
  remove,
  list,
  test,
  mute,
  unmute,
  grouping,
  tokenCreate,
  tokenList,
  tokenRevoke,
  silenceCreate,
  silenceList,
  silenceExpire,
  managersAdd,
  managersRemove,
  managersList,
  audit,
];
