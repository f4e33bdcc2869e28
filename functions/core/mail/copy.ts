/**
 * What an e-mail says: a subject, paragraphs and an optional call to action. Placeholders are
 * `{name}`; render() (templates.ts) fills them, escaped in the HTML part.
 */
export interface Copy {
  subject: string;
  paragraphs: string[];
  action?: string;
}
