import type { Language } from '../entities/user.ts';
import { printable } from '../schemas.ts';
import type { Copy } from './copy.ts';
import { ACCOUNT_COPY } from './copy-accounts.ts';
import { BILLING_COPY } from './copy-billing.ts';

/**
 * Every e-mail the system sends, in it/en/fr/de (copy-accounts.ts, copy-billing.ts); `render`
 * makes the plain-text and the HTML part from its copy. Values are escaped in the HTML part.
 */
const templates = { ...ACCOUNT_COPY, ...BILLING_COPY };

export type TemplateName = keyof typeof templates;

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

function fill(text: string, data: Record<string, string>, encode: (v: string) => string): string {
  return text.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = data[name];
    if (value === undefined) throw new Error(`E-mail template value '${name}' is missing`);
    return encode(value);
  });
}

/** Renders a template; `link` is the call to action's target where the template has one. */
export function render(
  name: TemplateName,
  language: Language,
  data: Record<string, string>,
  link?: string,
): RenderedEmail {
  const copy: Copy = templates[name][language];
  // Values were checked when they were stored; printed here as safe text all the same: no
  // line break or direction override reaches a header or a line of the message.
  const subject = fill(copy.subject, data, printable);
  const paragraphs = copy.paragraphs.map((p) =>
    fill(p, data, (v) => v.split('\n').map(printable).join('\n')),
  );
  // Line breaks inside a value (a list of products) stay line breaks in HTML.
  const htmlParagraphs = copy.paragraphs.map(
    (p) =>
      `<p>${fill(p, data, (v) =>
        v
          .split('\n')
          .map((line) => escapeHtml(printable(line)))
          .join('<br>'),
      )}</p>`,
  );
  if (copy.action && !link) throw new Error(`E-mail template '${name}' needs a link`);
  const text = [...paragraphs, ...(copy.action && link ? [`${copy.action}: ${link}`] : [])].join('\n\n');
  const action =
    copy.action && link ? `<p><a href="${escapeHtml(link)}">${escapeHtml(copy.action)}</a></p>` : '';
  const html = `<!doctype html><html lang="${language}"><body>${htmlParagraphs.join('')}${action}</body></html>`;
  return { subject, text: `${text}\n`, html };
}
