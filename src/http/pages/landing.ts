// GET / — what Herald is, and the "Add to Slack" button that starts the OAuth install.
import { page } from './html.js';

const SLACK_MARK = `<svg width="20" height="20" viewBox="0 0 122.8 122.8" aria-hidden="true"><path d="M25.8 77.6c0 7.1-5.8 12.9-12.9 12.9S0 84.7 0 77.6s5.8-12.9 12.9-12.9h12.9v12.9zm6.5 0c0-7.1 5.8-12.9 12.9-12.9s12.9 5.8 12.9 12.9v32.3c0 7.1-5.8 12.9-12.9 12.9s-12.9-5.8-12.9-12.9V77.6z" fill="#e01e5a"/><path d="M45.2 25.8c-7.1 0-12.9-5.8-12.9-12.9S38.1 0 45.2 0s12.9 5.8 12.9 12.9v12.9H45.2zm0 6.5c7.1 0 12.9 5.8 12.9 12.9s-5.8 12.9-12.9 12.9H12.9C5.8 58.1 0 52.3 0 45.2s5.8-12.9 12.9-12.9h32.3z" fill="#36c5f0"/><path d="M97 45.2c0-7.1 5.8-12.9 12.9-12.9s12.9 5.8 12.9 12.9-5.8 12.9-12.9 12.9H97V45.2zm-6.5 0c0 7.1-5.8 12.9-12.9 12.9s-12.9-5.8-12.9-12.9V12.9C64.7 5.8 70.5 0 77.6 0s12.9 5.8 12.9 12.9v32.3z" fill="#2eb67d"/><path d="M77.6 97c7.1 0 12.9 5.8 12.9 12.9s-5.8 12.9-12.9 12.9-12.9-5.8-12.9-12.9V97h12.9zm0-6.5c-7.1 0-12.9-5.8-12.9-12.9s5.8-12.9 12.9-12.9h32.3c7.1 0 12.9 5.8 12.9 12.9s-5.8 12.9-12.9 12.9H77.6z" fill="#ecb22e"/></svg>`;

export function landingPage(): string {
  return page(
    'Monitoring alerts in Slack',
    `<h1>Your monitoring alerts, in the right Slack channel</h1>
<p>Herald receives alerts from Prometheus Alertmanager, KubeSphere, Grafana, Weights &amp; Biases, Amplitude and anything
that can POST JSON, and posts each alert group as one clear Slack message that stays up to date until it resolves.
Storms are grouped instead of flooding the channel, Slack's rate limits slow Herald down without losing a single alert,
and everything is set up from Slack with <code>/herald</code>.</p>
<p><a class="add-to-slack" href="/slack/install">${SLACK_MARK} Add to Slack</a></p>
<p class="muted">You will pick the workspace and the first channel for alerts on Slack's page.</p>`,
  );
}
