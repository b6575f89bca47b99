// 报道导入 (issue 18): the review page's logic apart from the page, so that it is tested alone.
import type { DictionaryEntry, ReportAccept, ReportProposal, ReportProposals } from '@/api'

export interface ReviewRow {
  keep: boolean
  proposal: ReportProposal
}

/**
 * One editable row per proposal: a duplicate is not kept; what a report seldom says and a
 * session needs (a title, an audience group) is filled in; a hybrid proposal without branch
 * venues is kept as offline, since the session rules need at least one.
 */
export function reviewRows(answer: ReportProposals, groups: DictionaryEntry[]): ReviewRow[] {
  return answer.proposals.map((p) => ({
    keep: p.duplicate_of === null,
    proposal: {
      ...p,
      title: p.title.trim() || `${p.lecturer_name}宣讲`,
      audience_group_code: p.audience_group_code || (groups[0]?.code ?? ''),
      format: p.format === 'hybrid' && !(p.branches && p.branches.length > 0) ? 'offline' : p.format,
    },
  }))
}

/** The branch venues' names of a proposal, as the page's tag input shows them. */
export function branchNames(p: ReportProposal): string[] {
  return (p.branches ?? []).map((b) => b.venue)
}

/**
 * The branch venues a reviewer typed: a name kept keeps what the text said of it (host, region,
 * group); a new one takes the session's. The first branch makes the proposal main venue + branch
 * venues; none left makes a hybrid proposal offline, since the session rules need one.
 */
export function setBranches(p: ReportProposal, names: string[]): void {
  const before = p.branches ?? []
  const wanted = [...new Set(names.map((n) => n.trim()).filter((n) => n !== ''))]
  p.branches = wanted.map((venue) => before.find((b) => b.venue === venue) ?? { venue })
  if (p.branches.length > 0 && before.length === 0) p.format = 'hybrid'
  if (p.branches.length === 0 && p.format === 'hybrid') p.format = 'offline'
}

/**
 * The body of POST /imports/reports/accept: the kept rows only, in their order (the answer's
 * duplicate indices point into this list), with the edited fields trimmed and the audience group
 * sent as its dictionary code, and the branch venues only with the format that has them.
 */
export function acceptBody(answer: ReportProposals, rows: ReviewRow[], campaignId: number | null, fileName: string): ReportAccept {
  return {
    text: answer.text,
    year: answer.year,
    campaign_id: campaignId,
    file_name: fileName,
    proposals: rows
      .filter((r) => r.keep)
      .map((r) => ({
        ...r.proposal,
        venue: r.proposal.venue.trim(),
        title: r.proposal.title.trim(),
        lecturer_name: r.proposal.lecturer_name.trim(),
        region_code: r.proposal.region_code.trim(),
        audience_group: r.proposal.audience_group_code || r.proposal.audience_group,
        audience_count: r.proposal.audience_count ?? 0,
        // Branch venues belong to a main venue + branch venues session only.
        branches: r.proposal.format === 'hybrid' ? (r.proposal.branches ?? []) : [],
      })),
  }
}

/** After a save: the kept rows that were skipped as duplicates point to the stored session, the
 * saved ones are marked -1 (saved, no stored id claimed); none can be kept again. */
export function markSaved(rows: ReviewRow[], duplicates: { index: number; session_id: number }[]): void {
  const kept = rows.filter((r) => r.keep)
  for (const d of duplicates) {
    const row = kept[d.index]
    if (row) row.proposal.duplicate_of = d.session_id
  }
  for (const r of kept) {
    if (r.proposal.duplicate_of === null) r.proposal.duplicate_of = -1
    r.keep = false
  }
}

/**
 * A stored text cut into parts with the given sentences marked. Offsets are code points (as the
 * server counts them); overlapping or out-of-range spans are clamped, never lost text.
 */
export function markedText(text: string, spans: { sentence_begin: number; sentence_end: number }[]): { text: string; mark: boolean }[] {
  const chars = Array.from(text)
  const sorted = [...spans].sort((a, b) => a.sentence_begin - b.sentence_begin)
  const parts: { text: string; mark: boolean }[] = []
  let at = 0
  for (const s of sorted) {
    const begin = Math.max(at, Math.min(s.sentence_begin, chars.length))
    const end = Math.max(begin, Math.min(s.sentence_end, chars.length))
    if (begin > at) parts.push({ text: chars.slice(at, begin).join(''), mark: false })
    if (end > begin) parts.push({ text: chars.slice(begin, end).join(''), mark: true })
    at = end
  }
  if (at < chars.length) parts.push({ text: chars.slice(at).join(''), mark: false })
  return parts
}
