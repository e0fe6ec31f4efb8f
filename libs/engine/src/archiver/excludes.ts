/** Reads an exclude file: one pattern per line; blank lines and `#` comments are ignored. */
export function parseExcludeFile(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}
