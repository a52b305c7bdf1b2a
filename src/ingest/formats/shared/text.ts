// Small text helpers shared by the parsers.

/** The first of `candidates` that is a non-blank string, or undefined. */
export function firstNonBlank(...candidates: ReadonlyArray<string | undefined>): string | undefined {
  return candidates.find((text) => text !== undefined && text.trim() !== '');
}

/** The first non-blank line, trimmed: alert titles are one line. */
export function firstLine(text: string): string {
  return text.split('\n').find((line) => line.trim() !== '')?.trim() ?? '';
}
