// 送温暖/帮扶项目 (issue 16): the shapes of /programmes, /allocations, /disbursements,
// /subsidies, /ledger and /programmes/{id}/report. Money is integer fen everywhere.
import type { PageQuery } from './types'

export type ProgrammeState = 'draft' | 'open' | 'closed'
export type AidKind = 'cash' | 'goods' | 'voucher' | 'subsidy'

export interface Programme {
  id: number
  owner_organisation_id: number
  owner_name: string
  title: string
  start_date: string
  end_date: string
  budget_fen: number
  categories: string[]
  kinds: AidKind[]
  description: string
  state: ProgrammeState
  version: number
  created_at: string
  updated_at: string
}

export interface ProgrammeInput {
  owner_organisation_id: number
  title: string
  start_date: string
  end_date: string
  budget_fen: number
  categories: string[]
  kinds: AidKind[]
  description: string
  version?: number
}

export interface ProgrammeQuery extends PageQuery {
  q?: string
  state?: ProgrammeState
}

export interface Allocation {
  id: number
  programme_id: number
  kind: 'allocation' | 'take_back'
  from_organisation_id: number
  from_name: string
  to_organisation_id: number
  to_name: string
  amount_fen: number
  note: string
  created_at: string
}

export interface AllocationInput {
  programme_id: number
  kind: 'allocation' | 'take_back'
  from_organisation_id: number
  to_organisation_id: number
  amount_fen: number
  note?: string
}

export interface Disbursement {
  id: number
  programme_id: number
  organisation_id: number
  organisation_name: string
  beneficiary_kind: 'person' | 'unit'
  beneficiary_id: number | null
  category: string
  amount_fen: number
  aid_kind: AidKind
  date: string
  officials: string
  note: string
  duplicate_reason: string
  created_at: string
  // a person: masks only
  name?: string
  id_number_masked?: string
  phone_masked?: string
  employer?: string
  // a unit
  unit_name?: string
  document_no?: string
  bank_name?: string
  bank_account?: string
}

export interface DisbursementQuery extends PageQuery {
  programme_id?: number
  beneficiary_id?: number
}

/** A visit (走访慰问): a person helped. */
export interface VisitInput {
  programme_id: number
  organisation_id: number
  amount_fen: number
  aid_kind: AidKind
  date: string
  officials: string
  note: string
  name: string
  id_number: string
  phone: string
  employer: string
  category: string
  confirm_duplicate?: boolean
  duplicate_reason?: string
}

/** 补助单位: a subsidy to a unit, with its 文号 and bank details. */
export interface SubsidyInput {
  programme_id: number
  organisation_id: number
  amount_fen: number
  date: string
  unit_name: string
  document_no: string
  bank_name: string
  bank_account: string
  officials?: string
  note?: string
}

export interface Revealed {
  beneficiary_id: number
  name: string
  id_number: string
  phone: string
}

export interface LedgerAccount {
  id: number
  programme_id: number
  kind: 'budget' | 'holding' | 'paid' | 'voucher_batch' | 'merchant'
  organisation_id: number
  organisation_name: string
  balance_fen: number
}

export interface LedgerEntry {
  id: number
  movement_id: number
  account_id: number
  amount_fen: number
  kind: 'budget' | 'allocation' | 'take_back' | 'disbursement' | 'subsidy' | 'voucher_batch' | 'redemption' | 'voucher_expiry' | 'reversal'
  at: string
  note: string
}

export interface CareBreakdown {
  code: string
  name: string
  count: number
  amount_fen: number
}

export interface CareOrganisationFigures {
  organisation_id: number
  name: string
  level: string
  own: boolean
  received_fen: number
  disbursed_fen: number
  held_fen: number
  count: number
}

export interface CareReport {
  programme: Programme
  organisation_id: number
  organisation_name: string
  budget_fen: number
  received_fen: number
  disbursed_fen: number
  held_fen: number
  count: number
  people: number
  units: number
  organisations: CareOrganisationFigures[]
  categories: CareBreakdown[]
  kinds: CareBreakdown[]
  months: CareBreakdown[]
  levels: { level: string; organisations: number; held_fen: number }[]
}

/** A photo of a visit (走访照片), served at `url`. */
export interface CarePhoto {
  id: number
  disbursement_id: number
  content_type: 'image/jpeg' | 'image/png'
  bytes: number
  url: string
  created_at: string
}
