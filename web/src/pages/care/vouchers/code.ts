// A voucher's code as a person types it at the till: Crockford base32, 27 symbols shown in
// groups of four (XXXX-XXXX-…-XXX). The server forgives case, dashes, spaces and O/I/L; the
// input does the same so that what is shown is what will be sent.

/** The 27 symbols of a code (26 carry the 130 random bits, the last is the check symbol). */
export const CODE_SYMBOLS = 27

/** The symbols typed so far: upper case, O→0, I/L→1, everything else outside the alphabet dropped. */
export function codeSymbols(text: string): string {
  return text
    .toUpperCase()
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1')
    .replace(/[^0-9A-HJKMNP-TV-Z]/g, '')
    .slice(0, CODE_SYMBOLS)
}

/** The symbols in groups of four joined by dashes, as printed on the voucher. */
export function groupCode(text: string): string {
  const s = codeSymbols(text)
  return (s.match(/.{1,4}/g) ?? []).join('-')
}

/** Whether all 27 symbols are there (the check symbol is the server's to verify). */
export function codeComplete(text: string): boolean {
  return codeSymbols(text).length === CODE_SYMBOLS
}

/** The last four symbols of a code or its mask (****-…-EDR6 → EDR6): what a till reads out. */
export function codeTail(codeOrMask: string): string {
  return codeOrMask.replace(/[^0-9A-Z]/gi, '').slice(-4).toUpperCase()
}

/** A fresh Idempotency-Key for one redemption attempt, kept across its retries. */
export function newRequestKey(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID()
  const bytes = new Uint8Array(16)
  crypto.getRandomValues(bytes)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** The civil date (YYYY-MM-DD) of an instant in Asia/Shanghai, to keep today's redemptions. */
export function shanghaiDate(iso: string): string {
  const t = Date.parse(iso)
  if (Number.isNaN(t)) return ''
  return new Date(t + 8 * 3600 * 1000).toISOString().slice(0, 10)
}

/** An instant as Beijing time, minutes: 2027-01-20 14:05. */
export function shanghaiMinute(iso: string): string {
  const t = Date.parse(iso)
  if (Number.isNaN(t)) return ''
  return new Date(t + 8 * 3600 * 1000).toISOString().slice(0, 16).replace('T', ' ')
}
