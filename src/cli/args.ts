/**
 * Argument parsing on node:util parseArgs, strict, with its errors reworded into one short line:
 * the built-in messages are long and name internals, and an operator only needs to know what to fix.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

export function parse(command: string, args: string[], options: Options, positionals: { min: number; max: number } = { min: 0, max: 0 }): Parsed {
  let parsed: Parsed;
  try {
    parsed = parseArgs<ParseArgsConfig>({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(reword(error as NodeJS.ErrnoException), command);
  }
  if (parsed.values.help) return parsed;
  if (parsed.positionals.length > positionals.max) throw new UsageError(`unexpected argument "${parsed.positionals[positionals.max]}"`, command);
  if (parsed.positionals.length < positionals.min) throw new UsageError('missing argument', command);
  return parsed;
}

function reword(error: NodeJS.ErrnoException): string {
  const option = /'(-[^' ]+)/.exec(error.message)?.[1];
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option ?? ''}`.trim();
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return option ? `option ${option} needs a value` : 'an option has a bad value';
    default:
      return error.message.split('\n')[0]!;
  }
}

/** A string option that must be present. */
export function required(parsed: Parsed, name: string, command: string): string {
  const value = parsed.values[name];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} is required`, command);
  return value.trim();
}

export function optional(parsed: Parsed, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === 'string' ? value.trim() : undefined;
}
