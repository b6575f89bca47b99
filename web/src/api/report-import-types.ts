// 报道导入 (issue 18): what POST /imports/reports proposes and /imports/reports/accept stores.

export type ReportFormat = 'offline' | 'online' | 'hybrid'
export type ReportQualifier = 'exact' | 'at_least' | 'about'

export interface ReportProposal {
  date: string
  date_to: string | null
  lecturer_name: string
  /** on the roster; null: a new lecturer is registered when the proposal is accepted */
  lecturer_id: number | null
  new_lecturer: { honours: string; employer: string; category: string } | null
  venue: string
  host_organisation: string
  host_organisation_id: number | null
  /** how the host was found in the caller's subtree; none: not in the tree (the fallback is
   * the importer's own organisation) */
  host_match?: 'none' | 'exact' | 'short_form' | 'no_region'
  host_match_name?: string
  host_confidence?: number
  region_code: string
  audience_group: string
  audience_group_code: string
  format: ReportFormat
  /** hybrid: the branch venues to save with the session (the accept route reads them) */
  branches?: { venue: string; host_organisation_id?: number | null; region_code?: string; audience_group?: string; headcount?: number }[]
  /** branches_not_named: the text says 分会场 but names none, so offline is proposed */
  hybrid_reason?: string
  title: string
  audience_count: number | null
  audience_qualifier: ReportQualifier
  sentence: string
  /** code points into ReportProposals.text */
  sentence_begin: number
  sentence_end: number
  confidence: number
  /** a stored session with the same lecturer, date and venue */
  duplicate_of: number | null
}

export interface ReportStatement {
  kind: 'running_total' | 'money' | 'quote'
  lecturer_name?: string
  count?: number
  fen?: number
  qualifier?: ReportQualifier
  who?: string
  text?: string
  sentence: string
  sentence_begin: number
  sentence_end: number
}

export interface ReportProposals {
  text: string
  year: number
  campaign_id: number | null
  proposals: ReportProposal[]
  statements: ReportStatement[]
}

export interface ReportAccept {
  text: string
  year: number
  campaign_id?: number | null
  file_name?: string
  proposals: ReportProposal[]
}

export interface ReportAccepted {
  report_source_id: number
  created: number
  duplicates: { index: number; session_id: number }[]
  sessions: { id: number }[]
  new_lecturers: { id: number; name: string }[]
}

/** A stored report text (GET /imports/reports). */
export interface ReportSource {
  id: number
  organisation_id: number
  organisation_name: string
  file_name: string
  year: number
  campaign_id: number | null
  created_by: number | null
  created_by_name: string
  created_at: string
  /** the sessions accepted from it */
  sessions: number
}

/** A session accepted from a report and where its sentence is (code points into the text). */
export interface ReportSourceLink {
  session_id: number
  report_source_id: number
  sentence_begin: number
  sentence_end: number
  title: string
  date: string
  venue: string
  /** GET /sessions/{id}/report-source only */
  sentence?: string
  text_visible?: boolean
}

export interface ReportSourceDetail extends ReportSource {
  text: string
  links: ReportSourceLink[]
}
