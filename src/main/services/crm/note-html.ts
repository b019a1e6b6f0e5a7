import type { InsightNote } from "./crm-provider";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A note's text as the simple HTML both CRMs store (HubSpot `hs_note_body`, Salesforce
 * ContentNote `Content`): escaped paragraphs, then the link back to the study.
 */
/** HubSpot's hs_note_body holds 65,536 characters; the rendered HTML stays below it. */
export const NOTE_HTML_MAX = 65_000;

export function noteHtml(note: InsightNote, max = NOTE_HTML_MAX): string {
  let body = note.body;
  let html = render(note, body);
  // Escaping can make the HTML much longer than the text: cut the text before the last paragraph
  // (the synthetic-data label) until it fits.
  for (let round = 0; html.length > max && round < 8; round++) {
    const cut = body.lastIndexOf("\n\n");
    const label = cut >= 0 ? body.slice(cut) : "";
    const text = cut >= 0 ? body.slice(0, cut) : body;
    const keep = Math.max(0, Math.floor(text.length * (max / html.length)) - 200);
    body = `${text.slice(0, keep)}…${label}`;
    html = render(note, body);
  }
  return html;
}

function render(note: InsightNote, body: string): string {
  const paragraphs = body
    .split(/\n{2,}/)
    .map((block) => `<p>${escapeHtml(block).replace(/\n/g, "<br>")}</p>`)
    .join("");
  const link = escapeHtml(note.studyUrl);
  return `<p><strong>${escapeHtml(note.title)}</strong></p>${paragraphs}<p><a href="${link}">${link}</a></p>`;
}
