// Spreadsheet column letters, as the server names them in an import's problems.

/** "A" → 0, "Z" → 25, "AA" → 26; -1 for anything else. */
export function columnIndex(letters: string): number {
  if (!/^[A-Z]+$/.test(letters)) return -1
  let n = 0
  for (const c of letters) n = n * 26 + (c.charCodeAt(0) - 64)
  return n - 1
}

/** 0 → "A", 26 → "AA". */
export function columnLetters(index: number): string {
  let n = index + 1
  let out = ''
  while (n > 0) {
    const rem = (n - 1) % 26
    out = String.fromCharCode(65 + rem) + out
    n = Math.floor((n - 1) / 26)
  }
  return out
}
