// The answer of every parser of user input in Herald's setup: a value, or one sentence saying what is
// wrong, which goes back to the person word for word.
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

export const parsed = <T>(value: T): ParseResult<T> => ({ ok: true, value });
export const refused = <T = never>(error: string): ParseResult<T> => ({ ok: false, error });
