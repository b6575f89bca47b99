// Entities of the JSON API under /api/v1, as docs/api-contract-draft.md defines them.
// Civil dates are "YYYY-MM-DD" strings and times "HH:MM" (Asia/Shanghai); instants are ISO 8601 UTC.

export type Role = 'admin' | 'organiser' | 'lecturer' | 'requester' | 'viewer' | 'merchant'

export const ROLES: readonly Role[] = ['admin', 'organiser', 'lecturer', 'requester', 'viewer', 'merchant']

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
  | 'orders.read'
  | 'orders.write'
  | 'orders.dispatch'
  | 'tokens.manage'
  | 'care.read'
  | 'care.write'
  | 'care.reveal'
  | 'voucher.redeem'

export interface Page<T> {
  items: T[]
  total: number
  /** the count stopped at `total` matches (a text search over many sessions): there are more */
  total_capped?: boolean
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
  /**
   * The portrait's address, for <img src> as it is ("/api/v1/lecturers/1/photo?v=3f2a9c1b"; it
   * changes with the picture), or null when there is none. Set through setLecturerPhoto.
   */
  photo_url: string | null
}

/** account_id and photo_url are read-only: an account is linked from the account's side, a photo uploaded. */
export type LecturerInput = Omit<Lecturer, 'id' | 'account_id' | 'photo_url'>

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

/** On today's date in Beijing; closed wins over the dates. */
export type CampaignStatus = 'upcoming' | 'current' | 'ended' | 'closed'
/** The lists of GET /campaigns?status=: past holds the ended and the closed. */
export type CampaignWhen = 'current' | 'upcoming' | 'past'

export interface Campaign {
  id: number
  title: string
  owner_organisation_id: number
  start_date: string
  end_date: string
  description: string
  targets: CampaignTarget[]
  status?: CampaignStatus
  closed_at?: string | null
  closed_by?: number | null
  closed_by_name?: string
  /** bumped by every edit, close and reopen */
  version?: number
}

export type CampaignInput = Pick<Campaign, 'title' | 'owner_organisation_id' | 'start_date' | 'end_date' | 'description' | 'targets'>

export interface CampaignQuery extends PageQuery {
  q?: string
  status?: CampaignWhen
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
  /** bumped by every correction: a correction sends the version it read (409 when stale) */
  version: number
}

export type BranchVenueInput = Omit<BranchVenue, 'id'> & { id?: number }

export type SessionInput = Omit<
  Session,
  | 'id'
  | 'host_organisation_name'
  | 'region_name'
  | 'lecturers'
  | 'branches'
  | 'total_audience'
  | 'version'
  | 'campaign_id'
  | 'start_time'
  | 'end_time'
  | 'order_id'
> & {
  /** null: the session belongs to no campaign */
  campaign_id: number | null
  start_time: string | null
  end_time: string | null
  branches: BranchVenueInput[]
}

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

// --- a session's photos, feedback (扫码评价) and links ---

export type PhotoType = 'image/jpeg' | 'image/png'

export interface Photo {
  id: number
  session_id: number
  /** the branch venue it shows, or null for the main venue */
  branch_id: number | null
  content_type: PhotoType
  bytes: number
  /** "/api/v1/photos/{id}": the picture itself */
  url: string
  created_at: string
}

export interface UploadOptions {
  /** called with the share sent so far, 0–1 */
  onProgress?: (fraction: number) => void
  signal?: AbortSignal
}

export interface PhotoUploadOptions extends UploadOptions {
  branchId?: number | null
}

export type FeedbackChannel = 'qr' | 'staff'

export interface FeedbackEntry {
  id: number
  at: string
  rating: number
  comment: string
  audience_group: string
  channel: FeedbackChannel
  /** 精彩语录: staff marked the comment as a quote */
  quote: boolean
}

/** GET /sessions/{id}/feedback: the summary, and one page of the answers (oldest first). */
export interface FeedbackReport extends Page<FeedbackEntry> {
  answers: number
  /** 0 when there are no answers */
  average: number
  /** counts of 1, 2, 3, 4 and 5 stars */
  by_rating: number[]
  /** attendance signed in through the link (签到) */
  signed_in: number
}

/** An answer typed in by staff (channel "staff"). */
export interface FeedbackInput {
  rating: number
  comment?: string
  audience_group?: string
}

/** A private link: the token and the path to open (a page of the web app, or the .ics feed). */
export interface Link {
  token: string
  url: string
}

/** What the public feedback form shows (GET /feedback/{token}, no login). */
export interface PublicFeedbackSession {
  title: string
  date: string
  start_time: string | null
  venue: string
  host: string
  lecturers: string[]
  /** the last day answers are taken */
  closes: string
  audience_groups: { code: string; name: string; name_en: string }[]
}

export type AgendaKind = 'order' | 'session'

/** One engagement of a lecturer's agenda (日程): an order dispatched or accepted, or a session given. */
export interface AgendaItem {
  kind: AgendaKind
  /** the order's or the session's id */
  id: number
  date: string
  start_time: string | null
  end_time: string | null
  /** a session's title; for an order, the ordering union */
  title: string
  place: string
  region_name: string
  organisation: string
  state: 'dispatched' | 'accepted' | 'delivered'
  /** booked by a union beyond the viewer's scope: only the day, times and state are told */
  elsewhere: boolean
  /** the league/city a county lies in */
  league_name?: string
  /** an order's topic by name, a session's title */
  topic?: string
  audience_group_name?: string
  /** expected (order) or counted (session) */
  audience?: number
  /** the ordering union's contact and phone */
  contact?: string
}

/** A session's feedback form: its link (once made), whether it takes answers, until when. */
export interface FeedbackLinkState {
  token: string | null
  /** /feedback/TOKEN, a page of this web app */
  url: string | null
  open: boolean
  /** the last day answers are taken */
  closes_on: string
  may_reopen: boolean
  reopened: { at: string; by: string; reason: string; open_until: string } | null
}

/** A lecturer's private calendar link: `url` is whole, ready for a calendar app. */
export interface CalendarLink {
  token: string
  path: string
  url: string
}

export interface AgendaQuery {
  /** default 30 days ago */
  from?: string
  /** default 90 days ahead; at most 400 days after from */
  to?: string
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
  /** the acting account's display name; empty without an account */
  display_name: string
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

// --- orders (宣讲需求: 点单 → 派单 → 接单 → 宣讲 → 评单) ---

export type OrderState = 'submitted' | 'dispatched' | 'accepted' | 'delivered' | 'rated' | 'cancelled'
export const ORDER_STATES: readonly OrderState[] = ['submitted', 'dispatched', 'accepted', 'delivered', 'rated', 'cancelled']

export interface Order {
  id: number
  organisation_id: number
  organisation_name: string
  campaign_id: number
  campaign_title: string
  window_from: string
  window_to: string
  region_code: string
  region_name: string
  address: string
  audience_group: string
  expected_audience: number
  preferred_format: SessionFormat
  topic: string
  language: '' | LanguageCode
  preferred_lecturer_id: number | null
  preferred_category: string
  priority: number
  contact_name: string
  contact_phone: string
  note: string
  version: number
  state: OrderState
  lecturer_id: number | null
  lecturer_name: string
  date: string | null
  start_time: string | null
  end_time: string | null
  dispatched_at: string | null
  session_id: number | null
  rating: number | null
  rating_comment: string
  created_at: string
  updated_at: string
}

/** What a requester fills in; the server adds the rest. */
export type OrderInput = Pick<
  Order,
  | 'campaign_id'
  | 'window_from'
  | 'window_to'
  | 'region_code'
  | 'address'
  | 'audience_group'
  | 'expected_audience'
  | 'preferred_format'
  | 'topic'
  | 'language'
  | 'priority'
  | 'contact_name'
  | 'contact_phone'
  | 'note'
> & { organisation_id?: number }

export type OrderSort = 'date' | 'priority'

export interface OrderQuery extends PageQuery {
  /** one state or several, comma-separated */
  state?: string
  campaign_id?: number
  organisation_id?: number
  region_code?: string
  lecturer_id?: number
  date_from?: string
  date_to?: string
  q?: string
  sort?: OrderSort
}

export type OrderAction = 'create' | 'update' | 'dispatch' | 'accept' | 'decline' | 'deliver' | 'rate' | 'cancel'

export interface OrderEvent {
  id: number
  at: string
  account_id: number | null
  username: string
  /** the acting account's display name; empty without an account */
  display_name: string
  action: OrderAction
  from: OrderState | null
  to: OrderState
  reason: string
  lecturer_id: number | null
  date: string | null
}

export interface DispatchInput {
  version: number
  lecturer_id: number
  date: string
  start_time?: string | null
  end_time?: string | null
  override_travel?: boolean
  note?: string
}

/** Whether a lecturer meets one of the order's requirements; not_asked when the order leaves it open. */
export type RequirementMatch = 'not_asked' | 'met' | 'not_met'

/** One lecturer ranked for an order on a day (GET /orders/{id}/candidates): the reasons as data. */
export interface Candidate {
  lecturer_id: number
  name: string
  category: string
  region_code: string
  employer: string
  dispatchable: boolean
  /** unavailable: on leave that day (never overridable); day_full: that day's lectures and travel leave no room */
  blocked: 'unavailable' | 'day_full' | null
  unavailable_reason: string
  requested: boolean
  category_match: RequirementMatch
  topic_match: RequirementMatch
  language_match: RequirementMatch
  qualified: boolean
  same_day_lectures: number
  campaign_lectures: number
  distance_km: number | null
  travel_minutes: number | null
}

export interface CandidateList {
  date: string
  online: boolean
  lecturers: number
  dispatchable: number
  items: Candidate[]
}

export interface CandidateQuery {
  date?: string
  limit?: number
}

export interface DispatchCheck {
  /** false: dispatching is refused */
  available: boolean
  /** false: dispatching needs override_travel */
  travel_fits: boolean
  problems: string[]
}

/** The session recorded on delivery; lecturer, campaign and source come from the order. */
export interface DeliverInput {
  version: number
  title: string
  summary?: string
  audience_offline?: number
  online_viewers?: number
  format?: SessionFormat
  date?: string
  start_time?: string
  end_time?: string
  venue?: string
}

export type NotificationKind =
  | 'dispatched'
  | 'accepted'
  | 'declined'
  | 'delivered'
  | 'cancelled'
  | 'not_dispatched'
  | 'not_accepted'

export interface Notification {
  id: number
  at: string
  kind: NotificationKind
  order_id: number | null
  /** the priority of that order as it is now, 1 (low) … 5 (urgent); null without an order */
  order_priority: number | null
  /** already in the request's language */
  text: string
  read: boolean
  /** accept, dispatch or rate, rather than news */
  asks_to_act: boolean
  /** the order has moved on: nothing left to do, and not counted as unread */
  done: boolean
}

export interface InboxPage extends Page<Notification> {
  unread: number
}

export interface InboxQuery extends PageQuery {
  unread?: boolean
}

export interface PlanAssignment {
  order: string
  /** The order's priority, 1 (low) … 5 (urgent) */
  priority?: number
  lecturer: string
  date: string
  sequence?: number
}

export interface PlanVisit {
  order?: string
  client?: string
  start?: string
  end?: string
  reason?: unknown
  [key: string]: unknown
}

export interface PlanRoute {
  lecturer?: string
  date?: string
  visits?: PlanVisit[]
  [key: string]: unknown
}

/** The optimiser's plan (docs/schedule.md); only the parts the board shows are typed. */
export interface Plan {
  assignments?: PlanAssignment[]
  routes?: PlanRoute[]
  unassigned?: { order: string; reason?: unknown; reason_code?: string; [key: string]: unknown }[]
  objective?: Record<string, unknown>
  [key: string]: unknown
}

export interface DispatchPlan {
  id: number
  campaign_id: number
  state: 'running' | 'done' | 'failed'
  created_at: string
  finished_at?: string
  time_limit_seconds: number
  seed: number
  orders: number
  lecturers: number
  error?: string
  plan: Plan | null
}

export interface PlanApplyItem {
  order_id: number
  lecturer_id: number
  date: string
  start_time?: string | null
  end_time?: string | null
}

export interface PlanApplyResult {
  dispatched: number
  refused: number
  items: { order_id: number; dispatched: boolean; status: number; error?: FieldError }[]
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
  /** on an order's 409: its state and version as they are now */
  current?: { state: OrderState; version: number }
}

// --- campaign statistics (数据看板) and a lecturer's agenda (日程) ---

/** Sessions and audience of one slice of a campaign. */
export interface StatisticsSlice {
  sessions: number
  audience: number
}

export interface StatisticsTotals {
  sessions: number
  audience_offline: number
  online_viewers: number
  branch_headcount: number
  /** audience_offline + online_viewers + branch_headcount */
  audience: number
  signed_in: number
  ratings: number
  average_rating: number | null
  lecturers: number
}

export interface StatisticsRegion extends StatisticsSlice {
  /** GB/T 2260 code of a league or city */
  code: string
  name: string
  /** the seat's coordinates */
  lat: number | null
  lon: number | null
  target_sessions: number
  target_audience: number
}

export interface StatisticsNamed extends StatisticsSlice {
  code: string
  name: string
  name_en: string
}

export interface StatisticsTarget {
  /** "" for the whole campaign */
  region_code: string
  region_name: string
  /** "" for every audience group */
  audience_group: string
  sessions_target: number
  sessions: number
  audience_target: number
  audience: number
}

/** GET /campaigns/{id}/statistics: what the caller's scope holds of one campaign. */
export interface CampaignStatistics {
  campaign_id: number
  organisation_id: number | null
  totals: StatisticsTotals
  /** every state, in ORDER_STATES order */
  orders: { state: OrderState; count: number }[]
  /** every Monday-week of the campaign, zeros included */
  weekly: ({ week_start: string } & StatisticsSlice)[]
  regions: StatisticsRegion[]
  audience_groups: StatisticsNamed[]
  lecturer_categories: StatisticsNamed[]
  /** code: GB/T 4754 section letter, or "" when not recorded */
  industries: ({ code: string } & StatisticsSlice)[]
  /** the ten with most sessions */
  lecturers: ({ id: number; name: string; average_rating: number | null } & StatisticsSlice)[]
  targets: StatisticsTarget[]
}

export interface StatisticsQuery {
  /** that organisation's subtree (within the caller's scope) */
  organisation_id?: number
}

/** One value of a breakdown, beside the same days a year before. */
export interface ComparedFigure extends StatisticsSlice {
  code: string
  /** absent when the code names nothing known */
  name?: string
  name_en?: string
  /** a county's league */
  parent?: string
  /** a league's seat */
  lat?: number
  lon?: number
  previous_sessions: number
  previous_audience: number
}

/** GET /statistics: a period and any set of campaigns (all when none), with the year before. */
export interface PeriodStatistics {
  from: string
  to: string
  previous_from: string
  previous_to: string
  campaign_ids: number[]
  organisation_id: number | null
  totals: StatisticsTotals
  /** the same days a year before, every campaign's sessions */
  previous: StatisticsTotals
  orders: { state: OrderState; count: number }[]
  leagues: ComparedFigure[]
  counties: ComparedFigure[]
  industries: ComparedFigure[]
  audience_groups: ComparedFigure[]
  lecturer_categories: ComparedFigure[]
  /** offline, online, hybrid */
  formats: ComparedFigure[]
  /** code "YYYY-MM", every month of the period */
  months: ComparedFigure[]
  weekly: ({ week_start: string } & StatisticsSlice)[]
  lecturers: ({ id: number; name: string; average_rating: number | null } & StatisticsSlice)[]
}

export interface PeriodStatisticsQuery extends StatisticsQuery {
  from?: string
  to?: string
  /** none: every campaign, and sessions of none */
  campaign_ids?: number[]
}


// --- the printed report (宣讲工作简报) ---

/** GET /statistics/highlights: quotes and photos over the sessions GET /statistics counts. */
export interface ReportHighlights {
  from: string
  to: string
  campaign_ids: number[]
  organisation_id: number | null
  quotes: {
    /** the answer's id */
    id: number
    session_id: number
    session_title: string
    session_date: string
    host_name: string
    rating: number
    comment: string
    audience_group: string
    channel: 'qr' | 'staff'
  }[]
  /** the first photo of each lecture that has one; read with photoSrc */
  photos: { id: number; session_id: number; session_title: string; session_date: string; host_name: string }[]
}

export interface ReportHighlightsQuery extends PeriodStatisticsQuery {
  /** 1–50, default 6 */
  limit?: number
}

// --- exports (导出) ---

export type ExportKind =
  | 'sessions'
  | 'lecturers'
  | 'orders'
  | 'feedback'
  | 'statistics'
  | 'coverage'
  | 'ranking'
  | 'care_disbursements'
  | 'care_report'
export type ExportFormat = 'xlsx' | 'csv'

/** The filters an export takes: those of the kind's list (without paging). */
export type ExportFilters =
  | { kind: 'sessions'; query: Omit<SessionQuery, 'page' | 'page_size'> }
  | { kind: 'lecturers'; query: Omit<LecturerQuery, 'page' | 'page_size'> }
  | { kind: 'orders'; query: Omit<OrderQuery, 'page' | 'page_size'> }
  | { kind: 'feedback'; query: { session_id: number; quote?: boolean } }
  /** one campaign's figures, or those of a period and a campaign set (comma-separated ids, none: all) */
  | { kind: 'statistics'; query: StatisticsQuery & ({ campaign_id: number } | { from: string; to: string; campaign_ids?: string }) }
  /** the coverage matrices and their gaps, as GET /statistics/coverage (comma-separated campaign ids) */
  | { kind: 'coverage'; query: StatisticsQuery & { from?: string; to?: string; campaign_ids?: string; grain?: 'week' | 'month'; level?: string } }
  /** the lecturer ranking with its formula, as GET /lecturers/scorecards */
  | { kind: 'ranking'; query: { from?: string; to?: string; campaign_ids?: string; organisation_id?: number; sort?: RankingSort } }
  /** 帮扶: a programme's disbursements (masked) or its report, for an organisation's subtree */
  | { kind: 'care_disbursements' | 'care_report'; query: { programme_id: number; organisation_id?: number } }

/** A file the server built: its content and the name it gave it. */
export interface DownloadedFile {
  blob: Blob
  filename: string
}

// --- imports (导入) ---

export type ImportKind = 'lecturers' | 'organisations' | 'sessions'

export interface ImportProblem {
  /** The sheet's row (the header is row 1). */
  row: number
  /** The sheet's column letter ("C"); empty for the whole row. */
  column: string
  header: string
  message: string
}

export interface ImportRow {
  row: number
  status: 'create' | 'unchanged' | 'error'
  id: number | null
  cells: string[]
}

export interface ImportReport {
  kind: ImportKind
  dry_run: boolean
  /** Written: not a dry run, and no row was wrong. */
  committed: boolean
  header: string[]
  counts: { rows: number; created: number; unchanged: number; errors: number; problems: number }
  problems: ImportProblem[]
  /** The first 200 rows, and every row with a problem. */
  rows: ImportRow[]
}

/** An import's answer: the report, and when some row was wrong, the server's message. */
export interface ImportOutcome {
  report: ImportReport
  /** Set when rows were wrong and nothing was written (422). */
  error: string | null
}

// --- lecturer scorecard (宣讲员档案) and ranking (排行) ---

export interface ScorecardRating {
  count: number
  /** two decimals; null when count is 0 */
  average: number | null
}

export interface ScorecardDecline {
  order_id: number
  at: string
  reason: string
  date: string | null
}

export interface ScorecardFigures {
  lecturer_id: number
  name: string
  category: string
  active: boolean
  sessions: number
  audience: number
  ratings: {
    /** QR answers from someone who signed in to the same session */
    verified: ScorecardRating
    unverified: ScorecardRating
    /** entered by staff */
    staff: ScorecardRating
    /** the ordering unions' ratings of their delivered orders (评单) */
    unions: ScorecardRating
  }
  orders: {
    dispatched: number
    accepted: number
    declined: number
    acceptance_rate: number | null
    median_acceptance_seconds: number | null
    mean_acceptance_seconds: number | null
    /** the scorecard only, newest first */
    declines?: ScorecardDecline[]
  }
  score: number
}

export interface ScorecardCount {
  code: string
  name: string
  name_en: string
  sessions: number
  audience: number
}

export interface ScoreWeights {
  per_session: number
  audience_divisor: number
  per_rating_point: number
  min_verified_answers: number
  per_acceptance_rate: number
}

export interface ScorecardQuote {
  feedback_id: number
  session_id: number
  date: string
  session_title: string
  rating: number
  comment: string
  channel: 'qr' | 'staff'
  verified: boolean
}

export interface Scorecard extends ScorecardFigures {
  by_year: ScorecardCount[]
  by_format: ScorecardCount[]
  by_league: ScorecardCount[]
  quotes: ScorecardQuote[]
  formula: string
  weights: ScoreWeights
}

export type RankingSort = 'score' | 'sessions' | 'audience' | 'rating' | 'acceptance'

export interface LecturerRankingQuery {
  from?: string
  to?: string
  campaign_ids?: number[]
  organisation_id?: number
  sort?: RankingSort
}

export interface LecturerRanking {
  from: string | null
  to: string | null
  campaign_ids: number[]
  organisation_id: number | null
  sort: RankingSort
  /** the score in words, in the caller's language */
  formula: string
  weights: ScoreWeights
  total: number
  items: (ScorecardFigures & { rank: number })[]
}
