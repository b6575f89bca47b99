// Money on the care pages: typed and shown in yuan, sent and kept in integer fen. A yuan string
// is parsed digit by digit into fen, never through a floating-point number, and shown back from
// integer fen by integer division, so no amount ever gains or loses a fen on the way.

const YUAN = /^\s*(\d{1,10})(?:\.(\d{1,2}))?\s*$/

/** "1,234.5" → 123450 fen; null for anything else (negative, three decimals, letters, empty). */
export function parseYuan(text: string): number | null {
  const m = YUAN.exec(text.replace(/[,，]/g, ''))
  if (!m) return null
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'))
  return Number.isSafeInteger(fen) ? fen : null
}

/** 123450 fen → "1,234.50" (exact: integer division of the fen). */
export function formatFen(fen: number): string {
  const negative = fen < 0
  const abs = Math.abs(Math.trunc(fen))
  const yuan = Math.floor(abs / 100)
  const cents = String(abs % 100).padStart(2, '0')
  const grouped = String(yuan).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${negative ? '-' : ''}${grouped}.${cents}`
}

/** The share `part` of `whole`, 0–100, for a progress bar (display only). */
export function share(part: number, whole: number): number {
  if (whole <= 0) return 0
  return Math.min(100, Math.round((part * 1000) / whole) / 10)
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK = '10X98765432'

export type ResidentIdProblem = 'length' | 'characters' | 'birth' | 'check' | null

/**
 * What is wrong with a resident ID number (GB 11643) typed so far, or null when it is valid.
 * `length` while fewer than 18 characters; `check` names a wrong last character.
 */
export function residentIdProblem(text: string): ResidentIdProblem {
  const id = text.trim().toUpperCase()
  if (!/^\d{0,17}[\dX]?$/.test(id)) return 'characters'
  if (id.length !== 18) return 'length'
  const year = Number(id.slice(6, 10))
  const month = Number(id.slice(10, 12))
  const day = Number(id.slice(12, 14))
  const birth = new Date(Date.UTC(year, month - 1, day))
  if (year < 1900 || birth.getUTCMonth() !== month - 1 || birth.getUTCDate() !== day) return 'birth'
  if (checkCharacter(id.slice(0, 17)) !== id[17]) return 'check'
  return null
}

/** The check character of the first 17 digits (ISO 7064 MOD 11-2). */
export function checkCharacter(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0)
  return CHECK[sum % 11] ?? ''
}
