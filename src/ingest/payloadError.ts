// The one error every ingest parser throws for a body it cannot accept. The HTTP layer turns it
// into `400 { "error": "invalid payload", "problems": [...] }`, so each problem has to make sense
// to the person who wrote the sender's configuration, without reading Herald's code.

export interface PayloadProblem {
  /** Where in the body, e.g. `alerts[3].labels.severity` or `blocks[2].text.text`; `(body)` for the body as a whole. */
  path: string;
  /** What was wrong, in plain words: "required", "expected a string", … */
  message: string;
}

/** The `path` of a problem about the body as a whole (it is not an object, it has no alerts, …). */
export const BODY_PATH = '(body)';

export class PayloadError extends Error {
  readonly problems: PayloadProblem[];

  constructor(problems: PayloadProblem[]) {
    super(`invalid payload: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    this.name = 'PayloadError';
    this.problems = problems;
  }
}

// A key that can be written after a dot in JavaScript; any other key is written as ["…"] so that
// label names such as `app.kubernetes.io/name` stay readable and unambiguous.
const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Writes a path like `alerts[3].labels["app.kubernetes.io/name"]`; an empty path is {@link BODY_PATH}. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (typeof segment === 'string' && PLAIN_KEY.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(String(segment))}]`;
  }
  return text === '' ? BODY_PATH : text;
}
