import type { InsightNote } from "./crm-provider";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A note's text as the simple HTML both CRMs store (HubSpot `hs_note_body`, Salesforce
 * ContentNote `Content`): escaped paragraphs, then the link back to the study.
 */
export function noteHtml(note: InsightNote): string {
  const paragraphs = note.body
    .split(/\n{2,}/)
    .map((block) => `<p>${escapeHtml(block).replace(/\n/g, "<br>")}</p>`)
    .join("");
  const link = escapeHtml(note.studyUrl);
  return `<p><strong>${escapeHtml(note.title)}</strong></p>${paragraphs}<p><a href="${link}">${link}</a></p>`;
}
