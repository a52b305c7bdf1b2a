// The pages a person sees: Slack's consent screen, an error page, and the emulator's own overview
// (workspaces, channels and the messages in them) that `npm run demo` points at.
import { visibleText } from './blockKit.js';
import type { EmulatorCore } from './core.js';
import { escapeHtml, page } from './html.js';
import type { AuthorizeRequest } from './oauth.js';

/** Form fields the consent page adds to the authorize query; prefixed so they never clash with it. */
export const DECIDE_FIELDS = { account: '_account', channel: '_channel', decision: '_decision' } as const;

const SCOPE_DESCRIPTIONS: Record<string, string> = {
  'chat:write': 'Send messages as @herald',
  'chat:write.public': 'Send messages to channels @herald isn’t a member of',
  commands: 'Add shortcuts and/or slash commands that people can use',
  'incoming-webhook': 'Post messages to a specific channel in Slack',
  'channels:read': 'View basic information about public channels in your workspace',
  'channels:join': 'Join public channels in your workspace',
  'groups:read': 'View basic information about private channels that @herald has been added to',
  'channels:history': 'View messages and other content in public channels that @herald has been added to',
  'groups:history': 'View messages and other content in private channels that @herald has been added to',
  'users:read': 'View people in your workspace',
  'app_mentions:read': 'View messages that directly mention @herald in conversations that the app is in',
  'im:write': 'Start direct messages with people',
};

function scopeList(scopes: string[]): string {
  return scopes
    .map((s) => `<li>${escapeHtml(SCOPE_DESCRIPTIONS[s] ?? s)} <span class="meta"><code>${escapeHtml(s)}</code></span></li>`)
    .join('');
}

export function renderErrorPage(error: string, message: string): string {
  return page('Slack: something went wrong', `<div class="card"><h1 class="error">Oops, something went wrong.</h1>
    <p>${escapeHtml(message)}</p><p class="meta">Error: <code>${escapeHtml(error)}</code></p></div>`);
}

export function renderAuthorizePage(core: EmulatorCore, request: AuthorizeRequest): string {
  const { state } = core;
  const accounts = [...state.workspaces.values()]
    .filter((w) => request.team === undefined || w.id === request.team)
    .flatMap((w) =>
      state
        .usersOf(w.id)
        .filter((u) => !u.isBot && !u.deleted)
        .map((u) => `<option value="${escapeHtml(`${w.id}:${u.id}`)}">${escapeHtml(w.name)} — signed in as ${escapeHtml(u.name)}</option>`),
    )
    .join('');
  const hidden = [...request.query.entries()]
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('');
  const channelPicker = request.scopes.includes('incoming-webhook')
    ? `<label for="channel">Where should ${escapeHtml(core.options.appName)} post?</label>
       <select id="channel" name="${DECIDE_FIELDS.channel}">${[...state.workspaces.values()]
         .map((w) => `<optgroup label="${escapeHtml(w.name)}">${state
           .channelsOf(w.id)
           .filter((c) => !c.isArchived)
           .map((c) => `<option value="${escapeHtml(c.id)}">${c.isPrivate ? '🔒' : '#'}${escapeHtml(c.name)}</option>`)
           .join('')}</optgroup>`)
         .join('')}</select>`
    : '';
  const userScopes = request.userScopes.length
    ? `<h3>What will ${escapeHtml(core.options.appName)} be able to do on your behalf?</h3><ul class="scopes">${scopeList(request.userScopes)}</ul>`
    : '';
  const body = `<div class="card">
  <h1>${escapeHtml(core.options.appName)} is requesting permission to access a Slack workspace</h1>
  <form method="get" action="${escapeHtml(core.url)}oauth/v2/authorize/decide">
    ${hidden}
    <label for="account">Workspace</label>
    ${accounts ? `<select id="account" name="${DECIDE_FIELDS.account}">${accounts}</select>` : '<p class="error">No workspace to install into.</p>'}
    <h3>What will ${escapeHtml(core.options.appName)} be able to view and do?</h3>
    <ul class="scopes">${scopeList(request.scopes)}</ul>
    ${userScopes}
    ${channelPicker}
    <div class="actions">
      <button class="cancel" type="submit" name="${DECIDE_FIELDS.decision}" value="deny">Cancel</button>
      <button class="allow" type="submit" name="${DECIDE_FIELDS.decision}" value="allow">Allow</button>
    </div>
  </form></div>`;
  return page(`${core.options.appName} – Slack`, body);
}

/** The emulator's world as JSON: what the overview page shows, without tokens. */
export function stateSnapshot(core: EmulatorCore): Record<string, unknown> {
  const { state } = core;
  return {
    url: core.url,
    apiUrl: `${core.url}api/`,
    eventsUrl: core.eventsUrl ?? null,
    workspaces: [...state.workspaces.values()].map((w) => ({
      ...w,
      installation: state.installations.get(w.id) ?? null,
      bot: state.bots.get(w.id) ?? null,
      users: state.usersOf(w.id).map((u) => ({ ...u })),
      channels: state.channelsOf(w.id).map((c) => ({
        id: c.id,
        name: c.name,
        isPrivate: c.isPrivate,
        isArchived: c.isArchived,
        members: [...c.members],
        messages: state.messages.filter((m) => m.channel === c.id),
      })),
    })),
    ephemerals: state.ephemerals,
    responses: state.responses,
    homeViews: Object.fromEntries(state.homeViews),
  };
}

export function renderStatePage(core: EmulatorCore): string {
  const { state } = core;
  const workspaces = [...state.workspaces.values()].map((w) => {
    const installation = state.installations.get(w.id);
    const installed = installation?.active
      ? `installed by ${escapeHtml(installation.installerUserId)} with <code>${escapeHtml(installation.scopes.join(', '))}</code>`
      : 'not installed';
    const channels = state.channelsOf(w.id).map((c) => {
      const messages = state.messages
        .filter((m) => m.channel === c.id)
        .map((m) => `<div class="message">${m.thread_ts ? '↳ ' : ''}${escapeHtml(visibleText(m.text, m.blocks))}
          <div class="meta">ts ${escapeHtml(m.ts)} · ${escapeHtml(m.source)}${m.edits ? ` · edited ${m.edits}×` : ''}${m.replyCount ? ` · ${m.replyCount} replies` : ''}</div></div>`)
        .join('');
      const flags = [c.isPrivate ? 'private' : 'public', c.isArchived ? 'archived' : ''].filter(Boolean).join(', ');
      return `<h3>#${escapeHtml(c.name)} <span class="meta">${escapeHtml(c.id)} · ${flags}</span></h3>${messages || '<p class="meta">No messages.</p>'}`;
    });
    return `<div class="card"><h2>${escapeHtml(w.name)} <span class="meta">${escapeHtml(w.id)}</span></h2>
      <p class="meta">${installed}</p>${channels.join('')}</div>`;
  });
  const intro = `<div class="card"><h1>Slack emulator</h1><p>Web API: <code>${escapeHtml(core.url)}api/</code> ·
    Authorize: <code>${escapeHtml(core.url)}oauth/v2/authorize</code> · Request URL: <code>${escapeHtml(core.eventsUrl ?? 'not set')}</code> ·
    <a href="${escapeHtml(core.url)}_emulator/state.json">state.json</a></p></div>`;
  return page('Slack emulator', intro + (workspaces.join('') || '<p>No workspaces.</p>'), { refreshSeconds: 5 });
}
