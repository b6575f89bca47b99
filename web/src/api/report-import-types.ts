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
  region_code: string
  audience_group: string
  audience_group_code: string
  format: ReportFormat
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
