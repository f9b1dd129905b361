/**
 * An Action Pack as a PDF, drawn on the server with pdfkit from the same Markdown tokens and the
 * same taxonomy as the web page, with the DejaVu Sans fonts embedded (subset) so accents and
 * typographic quotes print on any reader. A PDF depends only on the pack's slug, language and
 * version and the taxonomy's version, so each is made once per process and kept (a few hundred KB
 * each at most); the bytes are the same in every process (fixed creation date), hence one ETag.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { translator } from '../../core/i18n.ts';
import { PACKS_DIR, type PackText } from './content.ts';
import { lookFor } from './look-for.ts';
import type { Token } from './markdown.ts';

const FONTS = { body: path.join(PACKS_DIR, 'fonts/DejaVuSans.ttf'), bold: path.join(PACKS_DIR, 'fonts/DejaVuSans-Bold.ttf') };
const INK = '#1b1b1f';
const BRAND = '#8a1538';
const MUTED = '#4a4a55';

export interface PackPdf {
  body: Buffer;
  etag: string;
  filename: string;
}

interface Segment {
  text: string;
  bold: boolean;
  link: string | undefined;
}

type Doc = PDFKit.PDFDocument;

function absolute(href: string, publicUrl: string): string {
  return href.startsWith('/') ? `${publicUrl}${href}` : href;
}

function inlineSegments(token: Token | undefined, publicUrl: string): Segment[] {
  const segments: Segment[] = [];
  let bold = false;
  let link: string | undefined;
  for (const child of token?.children ?? []) {
    if (child.type === 'strong_open') bold = true;
    else if (child.type === 'strong_close') bold = false;
    else if (child.type === 'link_open') link = absolute(String(child.attrGet('href') ?? ''), publicUrl);
    else if (child.type === 'link_close') link = undefined;
    else if (child.type === 'text' || child.type === 'code_inline') segments.push({ text: child.content, bold, link });
    else if (child.type === 'softbreak' || child.type === 'hardbreak') segments.push({ text: ' ', bold, link });
  }
  return segments.filter((s) => s.text !== '');
}

function writeSegments(doc: Doc, segments: Segment[], options: PDFKit.Mixins.TextOptions = {}): void {
  if (segments.length === 0) return;
  segments.forEach((segment, index) => {
    doc
      .font(segment.bold ? 'bold' : 'body')
      .fillColor(segment.link ? BRAND : INK)
      .text(segment.text, { ...options, continued: index < segments.length - 1, link: segment.link ?? null, underline: segment.link !== undefined });
  });
  doc.fillColor(INK);
}

function heading(doc: Doc, text: string, level: number): void {
  if (doc.y > doc.page.height - doc.page.margins.bottom - 80) doc.addPage();
  doc.moveDown(level === 2 ? 0.8 : 0.5);
  doc.font('bold').fontSize(level === 2 ? 15 : 12.5).fillColor(BRAND).text(text);
  doc.fillColor(INK).fontSize(11).moveDown(0.3);
}

function paragraph(doc: Doc, text: string | Segment[], options: PDFKit.Mixins.TextOptions = {}): void {
  writeSegments(doc, typeof text === 'string' ? [{ text, bold: false, link: undefined }] : text, options);
  doc.moveDown(0.4);
}

/** The Markdown body: headings, paragraphs, bulleted and numbered lists with bold and links. */
function markdownBody(doc: Doc, tokens: Token[], publicUrl: string): void {
  const lists: { ordered: boolean; next: number }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type === 'heading_open') heading(doc, tokens[i + 1]?.content ?? '', Number(token.tag.slice(1)));
    else if (token.type === 'bullet_list_open') lists.push({ ordered: false, next: 0 });
    else if (token.type === 'ordered_list_open') lists.push({ ordered: true, next: Number(token.attrGet('start') ?? 1) });
    else if (token.type === 'bullet_list_close' || token.type === 'ordered_list_close') {
      lists.pop();
      doc.moveDown(0.3);
    } else if (token.type === 'paragraph_open') {
      const segments = inlineSegments(tokens[i + 1], publicUrl);
      const list = lists.at(-1);
      if (list && token.hidden) {
        const marker = list.ordered ? `${list.next++}. ` : '•  ';
        writeSegments(doc, [{ text: marker, bold: false, link: undefined }, ...segments], { indent: 14 * lists.length, indentAllLines: true });
        doc.moveDown(0.15);
      } else paragraph(doc, segments);
    }
  }
}

export function renderPackPdf(pack: PackText, publicUrl: string): Promise<Buffer> {
  const t = translator(pack.language);
  const updated = new Date(`${pack.updated}T00:00:00Z`);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 64, left: 60, right: 60 },
    bufferPages: true,
    lang: pack.language,
    displayTitle: true,
    info: { Title: pack.title, Author: 'CAST — STOP THE TRAFFIK', Subject: pack.summary, Keywords: `version ${pack.version}`, CreationDate: updated, ModDate: updated },
  });
  doc.registerFont('body', FONTS.body);
  doc.registerFont('bold', FONTS.bold);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.font('bold').fontSize(22).fillColor(BRAND).text(pack.title);
  doc.moveDown(0.3).font('body').fontSize(9.5).fillColor(MUTED).text(t('packs.meta.line', { version: pack.version, updated: pack.updated, audiences: pack.audiences.map((a) => t(`packs.audiences.${a}`)).join(', '), topic: t(`packs.topics.${pack.topic}`) }));
  doc.moveDown(0.6).fontSize(12).fillColor(INK);
  paragraph(doc, pack.summary);
  doc.fontSize(11);

  heading(doc, t('packs.sections.activities'), 2);
  for (const activity of pack.activities) {
    heading(doc, activity.title, 3);
    const facts: [string, string | undefined][] = [
      [t('packs.activity.time'), activity.time],
      [t('packs.activity.materials'), activity.materials],
      [t('packs.activity.ages'), activity.ages],
    ];
    for (const [label, value] of facts) if (value) paragraph(doc, [{ text: t('packs.pdf.label', { label }), bold: true, link: undefined }, { text: value, bold: false, link: undefined }]);
    paragraph(doc, activity.description);
  }

  const signs = lookFor(pack.language, pack.lookFor);
  heading(doc, t('packs.sections.lookFor'), 2);
  for (const caution of signs.cautions) paragraph(doc, [{ text: caution, bold: true, link: undefined }]);
  for (const group of signs.groups) {
    heading(doc, group.label, 3);
    for (const indicator of group.indicators) {
      writeSegments(doc, [{ text: '•  ', bold: false, link: undefined }, { text: `${indicator.label}. `, bold: true, link: undefined }, { text: indicator.hint, bold: false, link: undefined }], { indent: 14, indentAllLines: true });
      doc.moveDown(0.2);
    }
  }

  markdownBody(doc, pack.parsed.tokens, publicUrl);

  // Footer on every page: which pack, which version, page n of m (written once all pages exist).
  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index++) {
    doc.switchToPage(index);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('body')
      .fontSize(8.5)
      .fillColor(MUTED)
      .text(t('packs.pdf.footer', { title: pack.title, version: pack.version, page: index + 1, pages: range.count }), doc.page.margins.left, doc.page.height - 40, { width: doc.page.width - doc.page.margins.left - doc.page.margins.right, align: 'center', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}

const cache = new Map<string, Promise<PackPdf>>();

/** The PDF of one pack in one language at one version, made on first request and kept. */
export function packPdf(pack: PackText, taxonomyVersion: string, publicUrl: string): Promise<PackPdf> {
  const key = `${pack.slug}|${pack.language}|${pack.version}|${taxonomyVersion}`;
  let entry = cache.get(key);
  if (!entry) {
    entry = renderPackPdf(pack, publicUrl).then((body) => ({
      body,
      etag: `"${createHash('sha256').update(key).update(publicUrl).digest('base64url').slice(0, 22)}"`,
      filename: `cast-${pack.slug}-${pack.language}-v${pack.version}.pdf`,
    }));
    // A failure is not kept: the next request tries again.
    entry.catch(() => cache.delete(key));
    cache.set(key, entry);
  }
  return entry;
}
