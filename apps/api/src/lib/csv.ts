/**
 * A cell of free text for a CSV file people open in a spreadsheet. Text that starts like a formula (`=`, `+`, `-`,
 * `@`, tab, CR) gets a leading apostrophe, so a buyer's nickname such as `=HYPERLINK(...)` stays text (OWASP, CSV
 * injection: https://owasp.org/www-community/attacks/CSV_Injection). Numbers and amounts we format ourselves are
 * written as they are.
 */
export function csvText(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
