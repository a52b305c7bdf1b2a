// Where a body stops being JSON. JSON.parse says what went wrong but, on Node 20, not always where
// ("Unexpected token 'x', "…" is not valid JSON"), so on that error path only the text is scanned
// once more, by the grammar of RFC 8259, to name the position, line and column.

export interface JsonSyntaxError {
  /** Offset in characters from the start of the body. */
  position: number;
  line: number;
  column: number;
  /** What was found there: `"}"`, or `the end of the body`. */
  found: string;
}

const enum Expect {
  Value,
  Key,
  AfterValue,
}

const isWhitespace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHex = (c: number) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

/** The first syntax error in `text`, or null when it is valid JSON. Iterative: nesting depth costs no stack. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  const n = text.length;
  const containers: ('{' | '[')[] = [];
  let i = 0;
  let expect = Expect.Value;
  const fail = (at: number) => describe(text, at);
  const skipWhitespace = () => {
    while (i < n && isWhitespace(text.charCodeAt(i))) i++;
  };
  // Each scanner returns the offset after the token, or a negative number −(offset+1) of the error.
  const scanString = (at: number): number => {
    for (let j = at + 1; j < n; j++) {
      const c = text.charCodeAt(j);
      if (c === 0x22) return j + 1;
      if (c < 0x20) return -(j + 1);
      if (c !== 0x5c) continue;
      const escaped = text.charAt(j + 1);
      if (escaped === 'u') {
        for (let k = j + 2; k < j + 6; k++) if (!isHex(text.charCodeAt(k))) return -(Math.min(k, n) + 1);
        j += 5;
      } else if ('"\\/bfnrt'.includes(escaped) && escaped !== '') j += 1;
      else return -(j + 2);
    }
    return -(n + 1);
  };
  const scanNumber = (at: number): number => {
    let j = at;
    if (text.charCodeAt(j) === 0x2d) j++;
    if (text.charCodeAt(j) === 0x30) j++;
    else if (isDigit(text.charCodeAt(j))) while (isDigit(text.charCodeAt(j))) j++;
    else return -(j + 1);
    if (text.charCodeAt(j) === 0x2e) {
      j++;
      if (!isDigit(text.charCodeAt(j))) return -(j + 1);
      while (isDigit(text.charCodeAt(j))) j++;
    }
    if (text.charCodeAt(j) === 0x65 || text.charCodeAt(j) === 0x45) {
      j++;
      if (text.charCodeAt(j) === 0x2b || text.charCodeAt(j) === 0x2d) j++;
      if (!isDigit(text.charCodeAt(j))) return -(j + 1);
      while (isDigit(text.charCodeAt(j))) j++;
    }
    return j;
  };
  const scanWord = (at: number, word: string): number => {
    for (let k = 0; k < word.length; k++) if (text.charAt(at + k) !== word.charAt(k)) return -(Math.min(at + k, n) + 1);
    return at + word.length;
  };

  for (;;) {
    skipWhitespace();
    const c = text.charAt(i);
    if (expect === Expect.AfterValue) {
      const open = containers.at(-1);
      if (open === undefined) return i === n ? null : fail(i);
      if (c === ',') {
        i++;
        expect = open === '{' ? Expect.Key : Expect.Value;
      } else if ((c === '}' && open === '{') || (c === ']' && open === '[')) {
        containers.pop();
        i++;
      } else return fail(i);
      continue;
    }
    if (expect === Expect.Key) {
      if (c !== '"') return fail(i);
      const end = scanString(i);
      if (end < 0) return fail(-end - 1);
      i = end;
      skipWhitespace();
      if (text.charAt(i) !== ':') return fail(i);
      i++;
      expect = Expect.Value;
      continue;
    }
    // A value. An empty object or array closes at once.
    if (c === '{' || c === '[') {
      containers.push(c);
      i++;
      skipWhitespace();
      const close = c === '{' ? '}' : ']';
      if (text.charAt(i) === close) {
        containers.pop();
        i++;
        expect = Expect.AfterValue;
      } else expect = c === '{' ? Expect.Key : Expect.Value;
      continue;
    }
    let end: number;
    if (c === '"') end = scanString(i);
    else if (c === '-' || isDigit(text.charCodeAt(i))) end = scanNumber(i);
    else if (c === 't') end = scanWord(i, 'true');
    else if (c === 'f') end = scanWord(i, 'false');
    else if (c === 'n') end = scanWord(i, 'null');
    else return fail(i);
    if (end < 0) return fail(-end - 1);
    i = end;
    expect = Expect.AfterValue;
  }
}

function describe(text: string, position: number): JsonSyntaxError {
  let line = 1;
  let lineStart = 0;
  for (let k = text.indexOf('\n'); k !== -1 && k < position; k = text.indexOf('\n', k + 1)) {
    line++;
    lineStart = k + 1;
  }
  const found = position >= text.length ? 'the end of the body' : JSON.stringify(String.fromCodePoint(text.codePointAt(position) ?? 0));
  return { position, line, column: position - lineStart + 1, found };
}
