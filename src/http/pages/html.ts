// Tiny helpers for Herald's few server-rendered pages: escaping, and one shared page shell.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);

/** A complete page: `body` is trusted HTML built with escapeHtml. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Herald</title>
<style>
  :root { color-scheme: light dark; --accent: #4a154b; --ok: #2eb67d; --bad: #e01e5a; --muted: #6b6b6b; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 16px/1.55 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; background: #f6f6f8; color: #1d1c1d; }
  @media (prefers-color-scheme: dark) { body { background: #1a1d21; color: #e8e8e8; } .card { background: #222529 !important; } code { background: #2c2f33 !important; } }
  header { padding: 20px 32px; font-weight: 700; font-size: 20px; letter-spacing: .2px; }
  header span { color: var(--accent); }
  main { max-width: 720px; margin: 24px auto 64px; padding: 0 20px; }
  .card { background: #fff; border-radius: 12px; padding: 36px 40px; box-shadow: 0 1px 3px rgba(0,0,0,.08), 0 8px 24px rgba(0,0,0,.05); }
  h1 { margin: 0 0 12px; font-size: 28px; line-height: 1.25; }
  p { margin: 0 0 16px; }
  .badge { display: inline-block; width: 44px; height: 44px; border-radius: 50%; color: #fff; font-size: 24px; text-align: center; line-height: 44px; margin-bottom: 16px; }
  .badge.ok { background: var(--ok); } .badge.bad { background: var(--bad); }
  ol { padding-left: 22px; margin: 0 0 16px; } li { margin: 6px 0; }
  code { background: #f0f0f2; border-radius: 4px; padding: 2px 6px; font-size: 14px; }
  .muted { color: var(--muted); font-size: 14px; }
  .add-to-slack { display: inline-flex; align-items: center; gap: 10px; background: var(--accent); color: #fff; text-decoration: none; font-weight: 600; padding: 12px 22px; border-radius: 8px; }
  .add-to-slack:hover { filter: brightness(1.15); }
  a { color: #1264a3; }
</style>
</head>
<body>
<header><span>◆</span> Herald</header>
<main><div class="card">
${body}
</div></main>
</body>
</html>`;
}
