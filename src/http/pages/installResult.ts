// The pages a person lands on after Slack's install screen: success (with what to do next) or
// failure (with the reason in plain words and a way to try again).
import { escapeHtml, page } from './html.js';

export function installSucceededPage(p: { teamName: string; channelName: string | null; welcomePosted: boolean }): string {
  const where = p.channelName ? `<strong>#${escapeHtml(p.channelName)}</strong>` : 'the channel you picked';
  const welcome = p.welcomePosted
    ? `<p>A welcome message is waiting in ${where}; alerts will go there until you add more channels.</p>`
    : `<p>Alerts will go to ${where}. The welcome message could not be posted there; check that Herald can post in it.</p>`;
  return page(
    'Installed',
    `<div class="badge ok">✓</div>
<h1>Herald is installed in ${escapeHtml(p.teamName)}</h1>
${welcome}
<p>Next, in Slack:</p>
<ol>
  <li><code>/herald token create prometheus</code> creates a token for your monitor and shows how to configure it.</li>
  <li><code>/herald add #channel severity&gt;=critical</code> sends matching alerts to another channel (up to 20).</li>
  <li><code>/herald test</code> sends a sample alert, <code>/herald help</code> lists everything else.</li>
</ol>
<p class="muted">You can close this page.</p>`,
  );
}

export function installFailedPage(reason: string): string {
  return page(
    'Installation failed',
    `<div class="badge bad">!</div>
<h1>Herald was not installed</h1>
<p>${escapeHtml(reason)}</p>
<p><a class="add-to-slack" href="/slack/install">Try again</a></p>
<p class="muted">Nothing was changed in your workspace.</p>`,
  );
}
