// Copy-paste configuration for the monitors that send Herald alerts, filled in with a new token.
// Shown once, right after `/herald token create`: afterwards Herald no longer knows the token.
//
// Senders authenticate with `Authorization: Bearer <token>`; the ingest routes are
// POST {PUBLIC_URL}/alerts/{alertmanager|grafana|slack|generic}, or …/alerts/{format}/{token} for
// senders that cannot set headers. Signed requests add X-Herald-Timestamp and
// X-Herald-Signature: sha256=<hex HMAC-SHA256 of `timestamp + "." + body`>.

export interface Snippet {
  title: string;
  /** One or two sentences before the code: where it goes. */
  intro: string;
  code: string;
}

export interface SnippetInput {
  publicUrl: string;
  token: string;
  /** Set for `--signed` tokens. */
  signingSecret: string | null;
}

const SAMPLE_ALERT = '{"title":"Disk almost full on db-1","severity":"warning","labels":{"host":"db-1","team":"storage"}}';

export function ingestSnippets(input: SnippetInput): Snippet[] {
  // Alertmanager, Grafana and W&B cannot sign requests, so a signed token only gets the example
  // that signs.
  if (input.signingSecret !== null) return [signedCurl(input, input.signingSecret)];
  return [alertmanager(input), grafana(input), wandb(input), curl(input)];
}

const endpoint = (publicUrl: string, format: string) => `${publicUrl}/alerts/${format}`;

function alertmanager({ publicUrl, token }: SnippetInput): Snippet {
  return {
    title: 'Prometheus Alertmanager (and KubeSphere)',
    intro: 'Add this receiver to `alertmanager.yml` and point a route at it (`receiver: herald`):',
    code: [
      'receivers:',
      '  - name: herald',
      '    webhook_configs:',
      `      - url: '${endpoint(publicUrl, 'alertmanager')}'`,
      '        send_resolved: true',
      '        http_config:',
      '          authorization:',
      '            type: Bearer',
      `            credentials: '${token}'`,
    ].join('\n'),
  };
}

function grafana({ publicUrl, token }: SnippetInput): Snippet {
  return {
    title: 'Grafana',
    intro: 'Alerting → Contact points → New contact point, integration *Webhook*:',
    code: [
      `URL:         ${endpoint(publicUrl, 'grafana')}`,
      'HTTP method: POST',
      'Optional Webhook settings:',
      '  Authorization Header - Scheme:      Bearer',
      `  Authorization Header - Credentials: ${token}`,
    ].join('\n'),
  };
}

function wandb({ publicUrl, token }: SnippetInput): Snippet {
  return {
    title: 'Weights & Biases',
    intro: 'Team settings → Webhooks → New webhook; first store the token as a team secret and pick it as the *Access token*. Then use this payload in the automation:',
    code: [
      `URL:          ${endpoint(publicUrl, 'generic')}`,
      `Access token: a team secret holding ${token}`,
      'Payload:',
      '{"title": "W&B ${event_type}: ${artifact_collection_name}",',
      ' "text": "${event_author} on ${artifact_version_string}",',
      ' "severity": "info",',
      ' "labels": {"entity": "${entity_name}", "project": "${project_name}", "event_type": "${event_type}"}}',
    ].join('\n'),
  };
}

function curl({ publicUrl, token }: SnippetInput): Snippet {
  return {
    title: 'Anything else (curl)',
    intro: `Herald's own JSON; senders that cannot set headers may put the token in the URL instead: \`${endpoint(publicUrl, 'generic')}/<token>\`.`,
    code: [
      `curl -X POST '${endpoint(publicUrl, 'generic')}' \\`,
      `  -H 'Authorization: Bearer ${token}' \\`,
      "  -H 'Content-Type: application/json' \\",
      `  -d '${SAMPLE_ALERT}'`,
    ].join('\n'),
  };
}

function signedCurl({ publicUrl, token }: SnippetInput, secret: string): Snippet {
  return {
    title: 'Signed requests (curl)',
    intro:
      'Each request carries a timestamp and an HMAC-SHA256 signature of `timestamp + "." + body` made with the signing secret. Alertmanager, Grafana and W&B cannot sign; give them a token without `--signed` (optionally with `--from`).',
    code: [
      `body='${SAMPLE_ALERT}'`,
      'ts=$(date +%s)',
      `sig=$(printf '%s.%s' "$ts" "$body" | openssl dgst -sha256 -hmac '${secret}' | sed 's/^.* //')`,
      `curl -X POST '${endpoint(publicUrl, 'generic')}' \\`,
      `  -H 'Authorization: Bearer ${token}' \\`,
      '  -H "X-Herald-Timestamp: $ts" -H "X-Herald-Signature: sha256=$sig" \\',
      "  -H 'Content-Type: application/json' -d \"$body\"",
    ].join('\n'),
  };
}
