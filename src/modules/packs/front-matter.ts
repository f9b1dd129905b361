/** Markdown files with YAML front matter, and the error that names the content file at fault. */
import { parse as parseYaml } from 'yaml';

type Json = Record<string, unknown>;

export class PackContentError extends Error {
  constructor(file: string, detail: string) {
    super(`Action Pack content ${file}: ${detail}`);
    this.name = 'PackContentError';
  }
}

/** Splits `---\n<yaml>\n---\n<markdown>` and parses the YAML. */
export function frontMatter(file: string, source: string): { data: Json; body: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(source);
  if (!match) throw new PackContentError(file, 'must start with front matter between two "---" lines');
  let data: unknown;
  try {
    data = parseYaml(match[1]!);
  } catch (error) {
    throw new PackContentError(file, `front matter is not valid YAML (${(error as Error).message.split('\n')[0]})`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new PackContentError(file, 'front matter must be a set of "name: value" lines');
  return { data: data as Json, body: match[2]! };
}

export function words(file: string, value: unknown, where: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new PackContentError(file, `${where} must be some text`);
  return value.trim();
}

export function onlyKeys(file: string, value: Json, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(value)) if (!allowed.includes(key)) throw new PackContentError(file, `${where}: unknown field "${key}" (allowed: ${allowed.join(', ')})`);
}

