/**
 * Gift Aid: the statements a UK donor confirms, kept word for word per version (a declaration
 * records the version it was made with, so a version's text is never edited: a new wording is a new
 * version), and the claim export as CSV.
 */

export interface Statement {
  version: string;
  text: { en: string; fr: string };
}

/** Newest last; new declarations use the newest. */
export const STATEMENTS: readonly Statement[] = [
  {
    version: 'gift-aid-2026-1',
    text: {
      en: 'I want to Gift Aid my donation and any donations I make in the future or have made in the past 4 years to STOP THE TRAFFIK. I am a UK taxpayer and understand that if I pay less Income Tax and/or Capital Gains Tax in the current tax year than the amount of Gift Aid claimed on all my donations it is my responsibility to pay any difference.',
      fr: 'Je souhaite appliquer le Gift Aid à mon don, ainsi qu’à tous les dons que je ferai à l’avenir ou que j’ai faits au cours des 4 dernières années, à STOP THE TRAFFIK. Je suis contribuable au Royaume-Uni et je comprends que si je paie, pour l’année fiscale en cours, moins d’impôt sur le revenu et/ou d’impôt sur les plus-values que le montant du Gift Aid demandé sur l’ensemble de mes dons, il m’appartient de payer la différence.',
    },
  },
];

export const CURRENT_STATEMENT: Statement = STATEMENTS[STATEMENTS.length - 1]!;

export function statementFor(version: string): Statement | undefined {
  return STATEMENTS.find((s) => s.version === version);
}

/** A CSV cell: quoted, and a leading =, +, - or @ defused so a spreadsheet never runs it as a formula. */
export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

export function csvLine(cells: (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
