// Entities of the JSON API under /api/v1, as docs/api-contract-draft.md defines them.
// Civil dates are "YYYY-MM-DD" strings and times "HH:MM" (Asia/Shanghai); instants are ISO 8601 UTC.

export type Role = 'admin' | 'organiser' | 'lecturer' | 'requester' | 'viewer'

export const ROLES: readonly Role[] = ['admin', 'organiser', 'lecturer', 'requester', 'viewer']

export type Permission =
  | 'lecturers.read'
  | 'lecturers.write'
  | 'sessions.read'
  | 'sessions.write'
  | 'organisations.read'
  | 'organisations.write'
  | 'campaigns.read'
  | 'campaigns.write'
  | 'dictionaries.read'
  | 'dictionaries.write'
  | 'accounts.read'
  | 'accounts.write'
  | 'audit.read'
  | 'regions.read'

export interface Page<T> {
  items: T[]
  total: number
}

export interface PageQuery {
  page?: number
  page_size?: number
}

export interface Health {
  status: string
  version: string
  engine: string
  database: string
  /** Sent by the server beyond the contract draft: the applied migration number. */
  schema_version?: number
}

export interface Me {
  id: number
  username: string
  display_name: string
  role: Role
  organisation: { id: number; name: string; level?: OrganisationLevel; region_code?: string }
  lecturer_id: number | null
  permissions: Permission[]
  csrf_token: string
}

export interface LoginResult {
  account: Me
  csrf_token: string
}

export type RegionLevel = 'province' | 'city' | 'county'
export type RegionKind = 'division' | 'development_zone'

export interface Region {
  code: string
  name: string
  parent: string | null
  level: RegionLevel
  kind: RegionKind
  lat: number | null
  lon: number | null
}

export interface RegionQuery extends PageQuery {
  parent?: string
  level?: RegionLevel
}

export type DictionaryKind = 'lecturer_category' | 'audience_group' | 'topic' | 'beneficiary_category'

export interface DictionaryEntry {
  id: number
  kind: DictionaryKind
  code: string
  name: string
  name_en: string
  sort_order: number
  active: boolean
}

export type DictionaryEntryInput = Omit<DictionaryEntry, 'id'>

export const DICTIONARY_KINDS: readonly DictionaryKind[] = [
  'lecturer_category',
  'audience_group',
  'topic',
  'beneficiary_category',
]

export interface DictionaryQuery extends PageQuery {
  /** inactive entries too (for the dictionary editor) */
  include_inactive?: boolean
}

export type OrganisationLevel = 'province' | 'league' | 'county' | 'grassroots' | 'industry'
export const ORGANISATION_LEVELS: readonly OrganisationLevel[] = ['province', 'league', 'county', 'industry', 'grassroots']

export interface Organisation {
  id: number
  name: string
  parent_id: number | null
  level: OrganisationLevel
  region_code: string
  /** GB/T 4754 section letter, or "" */
  industry: string
  address: string
  lat: number | null
  lon: number | null
  /** Materialised path from the root, "/1/3/17/" */
  path: string
}

export type OrganisationInput = Omit<Organisation, 'id' | 'path'>

export interface OrganisationQuery extends PageQuery {
  parent_id?: number
  q?: string
  level?: OrganisationLevel
}

export type Gender = 'male' | 'female' | ''
export type LanguageCode = 'zh' | 'mn'

export interface DateRange {
  from: string
  to: string
  reason: string
}

export interface Lecturer {
  id: number
  organisation_id: number
  name: string
  gender: Gender
  ethnicity: string
  /** lecturer_category dictionary code */
  category: string
  honours: string[]
  employer: string
  region_code: string
  /** topic dictionary codes */
  topics: string[]
  languages: LanguageCode[]
  phone: string
  bio: string
  account_id: number | null
  active: boolean
  unavailable: DateRange[]
}

/** account_id is read-only: an account is linked from the account's side. */
export type LecturerInput = Omit<Lecturer, 'id' | 'account_id'>

export interface LecturerQuery extends PageQuery {
  q?: string
  category?: string
  region_code?: string
  topic?: string
  active?: boolean
}

export interface CampaignTarget {
  /** "" for the whole campaign */
  region_code: string
  /** "" for every audience group */
  audience_group: string
  sessions: number
  audience: number
}

export interface Campaign {
  id: number
  title: string
  owner_organisation_id: number
  start_date: string
  end_date: string
  description: string
  targets: CampaignTarget[]
}

export type CampaignInput = Omit<Campaign, 'id'>

export interface CampaignQuery extends PageQuery {
  q?: string
}

export type SessionFormat = 'offline' | 'online' | 'hybrid'
export const SESSION_FORMATS: readonly SessionFormat[] = ['offline', 'online', 'hybrid']

export type SessionSource = 'ordered' | 'unordered' | 'imported'

export interface BranchVenue {
  id: number
  host_organisation_id: number
  venue: string
  region_code: string
  audience_group: string
  headcount: number
}

export interface Session {
  id: number
  campaign_id: number
  title: string
  date: string
  start_time: string
  end_time: string
  venue: string
  host_organisation_id: number
  host_organisation_name: string
  region_code: string
  region_name: string
  industry: string
  format: SessionFormat
  audience_group: string
  audience_offline: number
  online_viewers: number
  summary: string
  source: SessionSource
  order_id: number | null
  lecturer_ids: number[]
  lecturers: { id: number; name: string }[]
  branches: BranchVenue[]
  /** audience_offline + online_viewers + the branches' headcounts, computed by the server */
  total_audience: number
}

export type BranchVenueInput = Omit<BranchVenue, 'id'> & { id?: number }

export type SessionInput = Omit<
  Session,
  'id' | 'host_organisation_name' | 'region_name' | 'lecturers' | 'branches' | 'total_audience'
> & { branches: BranchVenueInput[] }

export interface SessionQuery extends PageQuery {
  campaign_id?: number
  /** the host organisation's subtree */
  organisation_id?: number
  /** a prefix: a city's code matches its counties */
  region_code?: string
  format?: SessionFormat
  audience_group?: string
  lecturer_id?: number
  date_from?: string
  date_to?: string
  q?: string
}

export interface Account {
  id: number
  username: string
  display_name: string
  role: Role
  organisation_id: number
  lecturer_id: number | null
  active: boolean
}

export interface AccountCreate {
  username: string
  display_name: string
  role: Role
  organisation_id: number
  /** required for the lecturer role, absent otherwise */
  lecturer_id?: number | null
  active?: boolean
  password: string
}

/** The server takes no password here: an account's password is set on creation only. */
export type AccountPatch = Partial<Omit<Account, 'id' | 'username'>>

export interface AccountQuery extends PageQuery {
  /** user name or display name */
  q?: string
  role?: Role
}

export interface AuditEntry {
  id: number
  at: string
  account_id: number | null
  username: string
  action: string
  entity: string
  entity_id: number | null
  address: string
  detail: string
}

export interface AuditQuery extends PageQuery {
  entity?: string
  entity_id?: number
  action?: string
  username?: string
}

export interface PasswordChange {
  current_password: string
  new_password: string
}

export interface FieldError {
  code: string
  message: string
  /** "" or absent when the error is not about one field */
  field?: string
}

/** The body of every error answer. */
export interface ErrorBody {
  error: FieldError
  errors?: FieldError[]
}
