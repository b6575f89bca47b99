import { describe, expect, it } from 'vitest'
import type { ReportProposal, ReportProposals } from '@/api'
import { acceptBody, branchNames, markedText, markSaved, reviewRows, setBranches } from './review'

function proposal(over: Partial<ReportProposal> = {}): ReportProposal {
  return {
    date: '2023-04-09',
    date_to: null,
    lecturer_name: '李海峰',
    lecturer_id: 7,
    new_lecturer: null,
    venue: '通辽市物流园区',
    host_organisation: '',
    host_organisation_id: null,
    region_code: '150502',
    audience_group: '新就业形态劳动者',
    audience_group_code: 'new_forms',
    format: 'offline',
    title: '',
    audience_count: 50,
    audience_qualifier: 'at_least',
    sentence: '4月9日，李海峰深入通辽市物流园区开展宣讲。',
    sentence_begin: 0,
    sentence_end: 22,
    confidence: 0.9,
    duplicate_of: null,
    ...over,
  }
}

function answer(proposals: ReportProposal[]): ReportProposals {
  return { text: '4月9日，李海峰深入通辽市物流园区开展宣讲。', year: 2023, campaign_id: null, proposals, statements: [] }
}

const groups = [{ code: 'workers', name: '职工群众' }] as never[]

describe('report import review', () => {
  it('fills in what a session needs and keeps duplicates out', () => {
    const rows = reviewRows(
      answer([proposal(), proposal({ duplicate_of: 12, audience_group_code: '', format: 'hybrid', title: '《工匠精神》' })]),
      groups,
    )
    expect(rows.map((r) => r.keep)).toEqual([true, false])
    expect(rows[0]!.proposal.title).toBe('李海峰宣讲')
    expect(rows[1]!.proposal.title).toBe('《工匠精神》')
    expect(rows[1]!.proposal.audience_group_code).toBe('workers')
    expect(rows[1]!.proposal.format).toBe('offline')
    const hybrid = reviewRows(answer([proposal({ format: 'hybrid', branches: [{ venue: '乌达区职工之家' }] })]), groups)
    expect(hybrid[0]!.proposal.format).toBe('hybrid')
  })

  it('edits the branch venues: the first makes the proposal hybrid, none makes it offline again', () => {
    const p = proposal({ branches: [] })
    setBranches(p, [' 乌达区职工之家 ', '', '乌达区职工之家'])
    expect(branchNames(p)).toEqual(['乌达区职工之家'])
    expect(p.format).toBe('hybrid')
    const read = proposal({ format: 'hybrid', branches: [{ venue: '海南区工会', region_code: '150303' }] })
    setBranches(read, ['海南区工会', '海勃湾区职工之家'])
    expect(read.branches).toEqual([{ venue: '海南区工会', region_code: '150303' }, { venue: '海勃湾区职工之家' }])
    p.format = 'online'
    setBranches(p, ['甲'])
    expect(p.format).toBe('online') // a reviewer's own choice stays while branches remain
    const body = acceptBody(answer([]), [{ keep: true, proposal: p }, { keep: true, proposal: read }], null, '')
    expect(body.proposals.map((x) => x.branches)).toEqual([[], [{ venue: '海南区工会', region_code: '150303' }, { venue: '海勃湾区职工之家' }]])
    setBranches(read, [])
    expect(read.format).toBe('offline')
  })

  it('sends the kept rows only, edited and trimmed, with the group code and a count', () => {
    const rows = reviewRows(answer([proposal(), proposal({ venue: '某某医药有限公司' }), proposal({ audience_count: null })]), groups)
    rows[0]!.keep = false
    rows[1]!.proposal.venue = '  某某医药公司 '
    rows[1]!.proposal.title = ' 宣讲 '
    const body = acceptBody(answer([]), rows, 3, 'report.txt')
    expect(body.year).toBe(2023)
    expect(body.campaign_id).toBe(3)
    expect(body.file_name).toBe('report.txt')
    expect(body.proposals).toHaveLength(2)
    expect(body.proposals[0]!.venue).toBe('某某医药公司')
    expect(body.proposals[0]!.title).toBe('宣讲')
    expect(body.proposals[0]!.audience_group).toBe('new_forms')
    expect(body.proposals[1]!.audience_count).toBe(0)
    // The page's rows are not changed by building the body.
    expect(rows[1]!.proposal.venue).toBe('  某某医药公司 ')
  })

  it('marks saved rows and points skipped ones to the stored session', () => {
    const rows = reviewRows(answer([proposal(), proposal({ venue: 'A' }), proposal({ venue: 'B' })]), groups)
    rows[0]!.keep = false
    markSaved(rows, [{ index: 1, session_id: 99 }])
    expect(rows.map((r) => r.proposal.duplicate_of)).toEqual([null, -1, 99])
    expect(rows.every((r) => !r.keep)).toBe(true)
  })

  it('marks the sentences of a stored text by code points, losing no text', () => {
    const text = '𠀀一。二三。四'
    const parts = markedText(text, [
      { sentence_begin: 5, sentence_end: 99 },
      { sentence_begin: 0, sentence_end: 3 },
      { sentence_begin: 2, sentence_end: 4 },
    ])
    expect(parts).toEqual([
      { text: '𠀀一。', mark: true },
      { text: '二', mark: true },
      { text: '三', mark: false },
      { text: '。四', mark: true },
    ])
    expect(parts.map((p) => p.text).join('')).toBe(text)
  })
})
