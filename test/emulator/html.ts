// Minimal HTML helpers for the emulator's pages: escaping and one shared layout.

export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `
  body { font-family: -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; margin: 0; background: #f8f8f8; color: #1d1c1d; }
  header { background: #3f0e40; color: #fff; padding: 12px 24px; font-weight: 700; }
  main { max-width: 880px; margin: 24px auto; padding: 0 16px; }
  .card { background: #fff; border: 1px solid #ddd; border-radius: 8px; padding: 24px; margin-bottom: 16px; }
  h1 { font-size: 22px; } h2 { font-size: 18px; } h3 { font-size: 15px; margin-bottom: 4px; }
  ul.scopes li { margin: 4px 0; } code { background: #f1f1f1; padding: 1px 4px; border-radius: 3px; }
  label { display: block; font-weight: 600; margin: 16px 0 6px; } select { width: 100%; padding: 8px; font-size: 15px; }
  .actions { margin-top: 24px; display: flex; gap: 12px; justify-content: flex-end; }
  button { padding: 10px 20px; font-size: 15px; font-weight: 700; border-radius: 4px; cursor: pointer; }
  button.allow { background: #007a5a; color: #fff; border: none; } button.cancel { background: #fff; border: 1px solid #bbb; }
  .message { border-left: 3px solid #ddd; padding: 4px 10px; margin: 8px 0; white-space: pre-wrap; }
  .meta { color: #616061; font-size: 12px; } .error { color: #b00020; }
`;

export function page(title: string, body: string, opts: { refreshSeconds?: number } = {}): string {
  const refresh = opts.refreshSeconds ? `<meta http-equiv="refresh" content="${opts.refreshSeconds}">` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">${refresh}<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><header>Slack emulator</header><main>${body}</main></body></html>`;
}
