// Runs a zod schema over a request body and turns whatever it finds wrong into a PayloadError
// whose messages are plain words, not zod's vocabulary ("invalid_type", "received undefined").

import type { z } from 'zod';
import { BODY_PATH, formatPath, PayloadError, type PayloadProblem } from '../../payloadError.js';

/**
 * A body with 10,000 broken alerts would otherwise produce an answer bigger than the request;
 * the first problems are the ones a person fixes first anyway.
 */
export const MAX_REPORTED_PROBLEMS = 100;

/** Parses `body` with `schema`, or throws a PayloadError listing every problem (up to a cap). */
export function validateBody<Schema extends z.ZodType>(schema: Schema, body: unknown): z.output<Schema> {
  const result = schema.safeParse(body, { error: plainWords });
  if (result.success) return result.data;
  throw new PayloadError(capProblems(result.error.issues.flatMap(toProblems)));
}

/** Throws a PayloadError for problems found outside zod (e.g. Block Kit limits), if there are any. */
export function refuseIfAny(problems: PayloadProblem[]): void {
  if (problems.length > 0) throw new PayloadError(capProblems(problems));
}

function capProblems(problems: PayloadProblem[]): PayloadProblem[] {
  if (problems.length <= MAX_REPORTED_PROBLEMS) return problems;
  const more = problems.length - MAX_REPORTED_PROBLEMS;
  return [
    ...problems.slice(0, MAX_REPORTED_PROBLEMS),
    { path: BODY_PATH, message: `and ${more} more ${more === 1 ? 'problem' : 'problems'} not listed` },
  ];
}

function toProblems(issue: z.core.$ZodIssue): PayloadProblem[] {
  // One unknown field per problem, with its own path, reads better than one list of names.
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: 'unknown field' }));
  }
  return [{ path: formatPath(issue.path), message: issue.message }];
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  record: 'an object',
};

/** The error map given to every parse: only for issues whose schema did not set its own message. */
function plainWords(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'required';
      return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      if (issue.input === undefined) return 'required';
      return `must be ${oneOf(issue.values.map((value) => JSON.stringify(value)))}`;
    case 'too_big':
      if (issue.origin === 'array') return `at most ${issue.maximum} items allowed`;
      if (issue.origin === 'string') return `at most ${issue.maximum} characters allowed`;
      return `must be at most ${issue.maximum}`;
    case 'too_small':
      if (issue.origin === 'string' && issue.minimum === 1) return 'must not be empty';
      if (issue.origin === 'array') return `at least ${issue.minimum} items required`;
      if (issue.minimum === 0) return 'must not be negative';
      return `must be at least ${issue.minimum}`;
    default:
      return undefined; // zod's own message, for issues our schemas do not produce
  }
}

/** `"a"`, `"a" or "b"`, `one of "a", "b" or "c"`. */
function oneOf(options: string[]): string {
  if (options.length <= 2) return options.join(' or ');
  return `one of ${options.slice(0, -1).join(', ')} or ${options.at(-1)}`;
}
