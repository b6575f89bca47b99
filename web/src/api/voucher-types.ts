// 电子消费券 (issue 16 point 5): the shapes under /vouchers. Money is integer fen; a voucher's
// full code appears only in the issue answer and an organiser's single view, masked elsewhere.
import type { PageQuery } from './types'

/** 商户: a shop that takes vouchers, under an organisation. */
export interface Merchant {
  id: number
  organisation_id: number
  organisation_name: string
  name: string
  /** 统一社会信用代码 */
  credit_code: string
  contact: string
  created_at: string
}

export interface MerchantInput {
  organisation_id: number
  name: string
  credit_code?: string
  contact?: string
}

export type VoucherBatchState = 'open' | 'expired'

export interface VoucherBatchInput {
  programme_id: number
  organisation_id: number
  title: string
  face_value_fen: number
  count: number
  valid_from: string
  valid_to: string
  merchant_ids: number[]
}

export interface VoucherBatch extends VoucherBatchInput {
  id: number
  organisation_name: string
  state: VoucherBatchState
  issued: number
  redeemed: number
  expired: number
  merchants: Merchant[]
  movement_id: number
  expiry_movement_id: number | null
  created_at: string
}

export interface VoucherBatchQuery extends PageQuery {
  programme_id?: number
}

export type VoucherState = 'issued' | 'redeemed' | 'expired'

export interface Voucher {
  id: number
  batch_id: number
  batch_title: string
  beneficiary_id: number
  beneficiary_name: string
  beneficiary_id_mask: string
  state: VoucherState
  /** only in the issue answer and an organiser's GET /vouchers/issued/{id} */
  code?: string
  code_mask: string
  face_value_fen: number
  valid_from: string
  valid_to: string
  issued_at: string
  redeemed_at: string | null
  redeemed_merchant: string
}

/** One holder to issue to: an existing beneficiary, or a person as on a visit. */
export type IssueTarget =
  | { beneficiary_id: number }
  | { name: string; id_number: string; phone: string; employer: string; category: string }

/** What a merchant's till sees of a code: no personal data beyond a masked name. */
export interface VoucherCheck {
  state: VoucherState
  face_value_fen: number
  valid_from: string
  valid_to: string
  batch_title: string
  holder: string
  code_mask: string
  accepted_here: boolean
  redeemable: boolean
  reason: string
  redeemed_at: string | null
  redeemed_merchant: string
}

/** 核销记录 */
export interface Redemption {
  id: number
  voucher_id: number
  batch_id: number
  merchant_id: number
  merchant_name: string
  face_value_fen: number
  code_mask: string
  movement_id: number
  redeemed_at: string
  /** the same request again (same Idempotency-Key): the first answer */
  replayed?: boolean
}
