/** A disclosure as a printable PDF (pdfkit, no browser needed), in the reader's language. */
import PDFDocument from 'pdfkit';
import type { Translate } from '../../core/i18n.ts';
import type { DisclosureView } from './service.ts';

export function disclosurePdf(disclosure: DisclosureView, t: Translate): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: t('sharing.pdf.title', { reference: disclosure.reference }), Producer: 'CAST', Creator: 'CAST' } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const pack = disclosure.package;
  if (pack.marking) doc.fontSize(12).font('Helvetica-Bold').text(pack.marking, { align: 'center' }).moveDown(0.5);
  doc.fontSize(18).font('Helvetica-Bold').text(t('sharing.pdf.title', { reference: disclosure.reference }));
  doc.moveDown(0.5).fontSize(10).font('Helvetica');
  const line = (label: string, value: string) => doc.font('Helvetica-Bold').text(`${label}: `, { continued: true }).font('Helvetica').text(value);
  line(t('sharing.fields.from'), pack.group.name);
  line(t('sharing.fields.to'), pack.partner.name);
  if (pack.network) line(t('sharing.fields.network'), pack.network.name);
  line(t('sharing.fields.agreement'), pack.agreementReference);
  line(t('sharing.fields.handlingCodes'), pack.handlingCodes.join(', '));
  if (pack.conditions) line(t('sharing.fields.conditions'), pack.conditions);
  if (disclosure.sentAt) line(t('sharing.fields.sentAt'), disclosure.sentAt.slice(0, 10));
  doc.moveDown();
  if (pack.linkedIdentifiers.length > 0) {
    doc.fontSize(12).font('Helvetica-Bold').text(t('sharing.fields.linkedIdentifiers')).fontSize(10).font('Helvetica');
    for (const linked of pack.linkedIdentifiers) doc.text(`${t(`sharing.identifierKinds.${linked.kind}`)}: ${linked.value ?? t('sharing.withheld')} — ${t('sharing.disclosure.linkedIn', { reports: linked.reports.join(', ') })}`);
    doc.moveDown();
  }
  pack.reports.forEach((report, index) => {
    doc.fontSize(13).font('Helvetica-Bold').text(`${index + 1}. ${report.reference} — ${report.grade}`);
    doc.fontSize(10).font('Helvetica');
    line(t('sharing.fields.priority'), report.priority ? t(`sharing.priority.${report.priority}`) : '—');
    if (report.conditions) line(t('sharing.fields.conditions'), report.conditions);
    line(t('sharing.fields.receivedOn'), report.receivedOn);
    if (report.observedFrom) line(t('sharing.fields.observed'), report.observedTo && report.observedTo !== report.observedFrom ? `${report.observedFrom} – ${report.observedTo}` : report.observedFrom);
    if (report.placeType) line(t('sharing.fields.placeType'), report.placeType);
    if (report.exploitationTypes.length) line(t('sharing.fields.exploitationTypes'), report.exploitationTypes.join(', '));
    if (report.indicators.length) line(t('sharing.fields.indicators'), report.indicators.join(', '));
    if (report.peopleCount) line(t('sharing.fields.peopleCount'), String(report.peopleCount));
    if (report.location)
      line(
        t('sharing.fields.location'),
        report.location.precision === 'precise'
          ? t('sharing.location.precise', { lat: report.location.lat, lon: report.location.lon })
          : t('sharing.location.coarse', { lat: report.location.lat, lon: report.location.lon, cell: report.location.cell }),
      );
    for (const identifier of report.identifiers) line(t(`sharing.identifierKinds.${identifier.kind}`), identifier.value ?? t('sharing.withheld'));
    doc.moveDown(0.3).font('Helvetica-Bold').text(t('sharing.fields.summary')).font('Helvetica').text(report.summary).moveDown();
  });
  if (pack.marking) doc.moveDown().font('Helvetica-Bold').text(pack.marking, { align: 'center' });
  doc.end();
  return done;
}
