// The server's input rules (src/domain/validation.cpp), checked in the browser first so that a
// form says what is wrong before it is sent. The server checks again and has the last word.

/** Length in characters (code points), as the server counts it, not UTF-16 units. */
export function charLength(value: string): number {
  return [...value].length
}

/** 3–32 letters, digits, "_", "." or "-". */
export function isUsername(value: string): boolean {
  return /^[A-Za-z0-9_.-]{3,32}$/.test(value)
}

/** Dictionary codes: 1–32 lower-case letters, digits and underscores. */
export function isDictionaryCode(value: string): boolean {
  return /^[a-z0-9_]{1,32}$/.test(value)
}

/** Empty, or at least 7 of digits, "+", "-" and spaces, at most 20. */
export function isPhone(value: string): boolean {
  return value === '' || /^[0-9+\- ]{7,20}$/.test(value)
}

export type PasswordProblem = 'length' | 'simple' | null

/** 10–128 characters of which at least 4 differ. */
export function passwordProblem(value: string): PasswordProblem {
  const n = charLength(value)
  if (n < 10 || n > 128) return 'length'
  // The server counts distinct bytes; distinct characters is as strict for ASCII and stricter
  // for nothing a user types.
  if (new Set(value).size < 4) return 'simple'
  return null
}
