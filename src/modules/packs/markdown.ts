/**
 * Markdown of the packs, rendered with markdown-it with raw HTML switched off (an editor's `<script>`
 * comes out as text). Headings get stable ids (for the table of contents and `#anchor` links), and the
 * same token stream feeds the PDF, so the web page and the PDF say the same thing.
 */
import MarkdownIt, { type Token } from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: false });

/** A heading id: lower-case letters and digits joined by "-", accents dropped ("Où signaler" → "ou-signaler"). */
export function headingId(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export interface Heading {
  id: string;
  level: number;
  text: string;
}

export interface ParsedMarkdown {
  tokens: Token[];
  headings: Heading[];
  /** Every link target, as written. */
  links: string[];
}

export function parseMarkdown(source: string): ParsedMarkdown {
  const tokens = md.parse(source, {});
  const headings: Heading[] = [];
  const links: string[] = [];
  const used = new Map<string, number>();
  tokens.forEach((token, index) => {
    if (token.type === 'heading_open') {
      const text = tokens[index + 1]?.content ?? '';
      const base = headingId(text) || 'section';
      const seen = used.get(base) ?? 0;
      used.set(base, seen + 1);
      const id = seen === 0 ? base : `${base}-${seen + 1}`;
      token.attrSet('id', id);
      headings.push({ id, level: Number(token.tag.slice(1)), text });
    }
    for (const child of token.children ?? []) if (child.type === 'link_open') links.push(String(child.attrGet('href') ?? ''));
  });
  return { tokens, headings, links };
}

/** HTML of parsed Markdown. Links to other sites open normally but send no referrer. */
export function renderHtml(parsed: ParsedMarkdown): string {
  for (const token of parsed.tokens) {
    for (const child of token.children ?? []) {
      if (child.type === 'link_open' && /^https?:/i.test(String(child.attrGet('href') ?? ''))) child.attrSet('rel', 'noopener noreferrer');
    }
  }
  return md.renderer.render(parsed.tokens, md.options, {});
}

export type { Token };
