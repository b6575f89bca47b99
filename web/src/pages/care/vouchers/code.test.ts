import { describe, expect, it } from 'vitest'
import { codeComplete, codeSymbols, codeTail, groupCode, newRequestKey, shanghaiDate, shanghaiMinute } from './code'

describe('a voucher code typed at the till', () => {
  it('forgives case, spaces, dashes and O/I/L as the server does', () => {
    expect(codeSymbols(' ab-cd efgh ')).toBe('ABCDEFGH')
    expect(codeSymbols('oil')).toBe('011')
    expect(codeSymbols('u*#')).toBe('')
  })
  it('groups in fours and stops at 27 symbols', () => {
    expect(groupCode('abcdefghjk')).toBe('ABCD-EFGH-JK')
    const long = 'A'.repeat(40)
    expect(groupCode(long)).toBe('AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAA')
    expect(codeComplete(long)).toBe(true)
    expect(codeComplete('AAAA-AAAA')).toBe(false)
  })
  it('reads the last four symbols of a code or its mask', () => {
    expect(codeTail('****-****-****-****-****-****-EDR6')).toBe('EDR6')
    expect(codeTail('J5ZF-VJAA-7BSV-GCFK-9XFH-7F2E-DR6')).toBe('EDR6')
  })
  it('makes a different request key each time', () => {
    const a = newRequestKey()
    expect(a.length).toBeGreaterThanOrEqual(32)
    expect(newRequestKey()).not.toBe(a)
  })
  it('reads instants in Beijing time', () => {
    expect(shanghaiDate('2027-01-19T16:30:00Z')).toBe('2027-01-20')
    expect(shanghaiMinute('2027-01-19T16:30:00Z')).toBe('2027-01-20 00:30')
    expect(shanghaiDate('nonsense')).toBe('')
  })
})
