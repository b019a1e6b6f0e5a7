/** Lower-cases and strips diacritics so "Żółć" and "zolc" match in search. */
export function foldForSearch(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").replace(/ł/g, "l").replace(/Ł/g, "l").toLowerCase();
}

/** "1 persona", "3 personas": English counts for logs, job labels and REST messages. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
