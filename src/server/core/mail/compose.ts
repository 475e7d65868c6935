/**
 * The parts of an e-mail made from the queued text: the HTML alternative and
 * the Message-ID.
 */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

/** A plain HTML part: one paragraph per block of text, line breaks kept, nothing remote to load. */
export function htmlOf(text: string, language: string): string {
  const paragraphs = text
    .split(/\n\s*\n/)
    .map((block) => `<p>${escapeHtml(block.trim()).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  return `<!doctype html>\n<html lang="${escapeHtml(language)}"><head><meta charset="utf-8"></head>\n<body style="font-family:sans-serif;line-height:1.5">\n${paragraphs}\n</body></html>\n`;
}

/** The domain of a sender address such as `Security <security@example.org>` or `security@example.org`. */
export function senderDomain(from: string): string | undefined {
  const match = /@([A-Za-z0-9.-]+\.[A-Za-z]{2,}|localhost)>?\s*$/.exec(from.trim());
  return match?.[1]?.toLowerCase();
}

/** A Message-ID on the organisation's own domain (RFC 5322 §3.6.4: globally unique, right side a domain). */
export function messageIdFor(id: string, domain: string): string {
  return `<${id}@${domain}>`;
}
