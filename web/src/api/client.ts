// The one client for every call to the JSON API. Pages never call fetch themselves, so the
// CSRF header, the cookie policy, the language and the error format live in this file only.
import type { Coverage, CoverageFill, CoverageFillQuery, CoverageQuery } from './coverage-types'
import type { ReportAccept, ReportAccepted, ReportProposals, ReportSource, ReportSourceDetail, ReportSourceLink } from './report-import-types'
import type {
  IssueTarget,
  Merchant,
  MerchantInput,
  Redemption,
  Voucher,
  VoucherBatch,
  VoucherBatchInput,
  VoucherBatchQuery,
  VoucherCheck,
} from './voucher-types'
import type {
  Allocation,
  AllocationInput,
  CarePhoto,
  CareReport,
  Disbursement,
  DisbursementQuery,
  LedgerAccount,
  LedgerEntry,
  Programme,
  ProgrammeInput,
  ProgrammeQuery,
  Revealed,
  SubsidyInput,
  VisitInput,
} from './care-types'
import type {
  Account,
  ImportKind,
  ImportOutcome,
  ImportReport,
  CampaignStatistics,
  PeriodStatistics,
  PeriodStatisticsQuery,
  ReportHighlights,
  ReportHighlightsQuery,
  LecturerRanking,
  LecturerRankingQuery,
  Scorecard,
  StatisticsQuery,
  AccountCreate,
  AgendaItem,
  AgendaQuery,
  FeedbackEntry,
  FeedbackInput,
  FeedbackReport,
  CalendarLink,
  FeedbackLinkState,
  Photo,
  PhotoUploadOptions,
  UploadOptions,
  PublicFeedbackSession,
  AccountPatch,
  AccountQuery,
  AuditEntry,
  AuditQuery,
  Campaign,
  CampaignInput,
  CampaignQuery,
  DictionaryEntry,
  DictionaryEntryInput,
  DictionaryKind,
  DictionaryQuery,
  ErrorBody,
  FieldError,
  DeliverInput,
  CandidateList,
  CandidateQuery,
  DispatchCheck,
  DispatchInput,
  DispatchPlan,
  Health,
  InboxPage,
  InboxQuery,
  Order,
  OrderEvent,
  OrderInput,
  OrderQuery,
  OrderState,
  PlanApplyItem,
  PlanApplyResult,
  Lecturer,
  LecturerInput,
  LecturerQuery,
  LoginResult,
  Me,
  Organisation,
  OrganisationInput,
  OrganisationQuery,
  Page,
  PageQuery,
  PasswordChange,
  Region,
  RegionQuery,
  Session,
  SessionInput,
  SessionQuery,
  DownloadedFile,
  ExportFilters,
  ExportFormat,
} from './types'

export * from './types'
export * from './coverage-types'
export * from './care-types'
export * from './voucher-types'
export * from './report-import-types'

/** The largest page the server hands out (contract: page_size ≤ 200). */
export const MAX_PAGE_SIZE = 200

/**
 * A failed call. `status` is the HTTP status, or 0 when no answer arrived at all.
 * `code` is the server's error code ("invalid", "not_found", …), or "network" / "http_<status>"
 * when the answer was not the API's error body (a proxy page, a dropped connection).
 */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly field: string
  readonly errors: FieldError[]
  /** On an order's 409: the order's state and version as they are now. */
  readonly current: { state: OrderState; version: number } | null

  constructor(
    status: number,
    code: string,
    message: string,
    field = '',
    errors: FieldError[] = [],
    current: { state: OrderState; version: number } | null = null,
  ) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.field = field
    this.errors = errors
    this.current = current
  }

  /** What a page shows for any failure: the API's error itself, anything else as an internal one. */
  static from(e: unknown): ApiError {
    return e instanceof ApiError ? e : new ApiError(0, 'internal', String(e))
  }

  /** A refusal because the record changed or is in another state: reload and look again. */
  get isConflict(): boolean {
    return this.status === 409
  }

  /** The field errors by field name; the first message wins when a field has several. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {}
    const all = this.errors.length > 0 ? this.errors : [{ code: this.code, message: this.message, field: this.field }]
    for (const e of all) {
      if (e.field && !(e.field in out)) out[e.field] = e.message
    }
    return out
  }
}

type QueryValue = string | number | boolean | null | undefined
type Query = { [key: string]: QueryValue }

/** Builds "?a=1&b=x", leaving out empty values so that "no filter" never reaches the server. */
export function queryString(query: object | undefined): string {
  if (!query) return ''
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query as Query)) {
    if (value === undefined || value === null || value === '') continue
    params.append(key, String(value))
  }
  const s = params.toString()
  return s ? `?${s}` : ''
}

/** The file name of a Content-Disposition: filename*=UTF-8''… (RFC 5987) first, then filename="…". */
export function downloadName(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback
  const extended = /filename\*=UTF-8''([^;]+)/i.exec(disposition)
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1].trim())
    } catch {
      // a malformed escape: try the plain name
    }
  }
  const plain = /filename="([^"]*)"/i.exec(disposition)
  return plain && plain[1] ? plain[1] : fallback
}

function isErrorBody(body: unknown): body is ErrorBody {
  if (typeof body !== 'object' || body === null) return false
  const error = (body as { error?: unknown }).error
  return typeof error === 'object' && error !== null && typeof (error as FieldError).code === 'string'
}

/** Turns a non-2xx answer into an ApiError, whatever its body holds. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '')
  let body: unknown = null
  try {
    body = text ? JSON.parse(text) : null
  } catch {
    body = null
  }
  if (isErrorBody(body)) {
    const { code, message, field } = body.error
    const errors = Array.isArray(body.errors) ? body.errors : []
    const current =
      typeof body.current === 'object' && body.current !== null && typeof body.current.version === 'number'
        ? body.current
        : null
    return new ApiError(response.status, code, message ?? code, field ?? '', errors, current)
  }
  return new ApiError(response.status, `http_${response.status}`, response.statusText || `HTTP ${response.status}`)
}

/** What an upload needs from the transport; fetch cannot report upload progress. */
export interface UploadRequest {
  /** POST unless said otherwise (a lecturer's portrait is PUT: it replaces the one there). */
  method?: 'POST' | 'PUT'
  headers: Record<string, string>
  body: Blob
  onProgress?: (fraction: number) => void
  signal?: AbortSignal
}

/** The answer to an upload, whatever its status. Rejects only when no answer arrived. */
export interface UploadAnswer {
  status: number
  statusText: string
  text: string
}

export type UploadTransport = (url: string, request: UploadRequest) => Promise<UploadAnswer>

/** A raw body sent through XMLHttpRequest, the one browser API that reports upload progress. */
export const xhrUpload: UploadTransport = (url, request) =>
  new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open(request.method ?? 'POST', url)
    for (const [name, value] of Object.entries(request.headers)) xhr.setRequestHeader(name, value)
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) request.onProgress?.(e.loaded / e.total)
    }
    xhr.onload = () => resolve({ status: xhr.status, statusText: xhr.statusText, text: xhr.responseText })
    xhr.onerror = () => reject(new Error('network error'))
    xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'))
    if (request.signal) {
      if (request.signal.aborted) {
        reject(new DOMException('aborted', 'AbortError'))
        return
      }
      request.signal.addEventListener('abort', () => xhr.abort(), { once: true })
    }
    xhr.send(request.body)
  })

export interface ClientOptions {
  /** Prefix of every route; same origin by default. */
  baseUrl?: string
  /** Injected in tests. */
  fetch?: typeof fetch
  /** Injected in tests; XMLHttpRequest by default. */
  upload?: UploadTransport
  /** The UI language, sent as Accept-Language so that the server's messages match it. */
  language?: () => string
  /** Called when a call other than login or me answers 401: the session has expired. */
  onUnauthenticated?: (error: ApiError) => void
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'

interface RequestOptions {
  body?: unknown
  /** Whether a 401 means "the session expired" (false for login and the start-up me call). */
  reportUnauthenticated?: boolean
  /** Extra request headers (a redemption's Idempotency-Key). */
  headers?: Record<string, string>
}

/** A query's campaign ids as one comma-separated list, left out when none is named. */
function withCampaignList<Q extends { campaign_ids?: number[] }>(query: Q): Record<string, unknown> {
  const { campaign_ids, ...rest } = query
  const params: Record<string, unknown> = { ...rest }
  if (campaign_ids && campaign_ids.length > 0) params.campaign_ids = campaign_ids.join(',')
  return params
}

export class ApiClient {
  private readonly baseUrl: string
  private readonly fetchImpl: typeof fetch
  private readonly uploadImpl: UploadTransport
  private readonly language: () => string
  private readonly onUnauthenticated: ((error: ApiError) => void) | undefined
  /** Kept in memory only: a page reload fetches it again from /auth/me. */
  private csrfToken: string | null = null

  constructor(options: ClientOptions = {}) {
    this.baseUrl = options.baseUrl ?? '/api/v1'
    // Bound so that the global fetch is not called with the client as `this`.
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
    this.uploadImpl = options.upload ?? xhrUpload
    this.language = options.language ?? (() => 'zh-CN')
    this.onUnauthenticated = options.onUnauthenticated
  }

  setCsrfToken(token: string | null): void {
    this.csrfToken = token
  }

  async request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'Accept-Language': this.language(),
    }
    if (options.body !== undefined) headers['Content-Type'] = 'application/json'
    if (method !== 'GET' && this.csrfToken) headers['X-CSRF-Token'] = this.csrfToken
    if (options.headers) Object.assign(headers, options.headers)

    let response: Response
    try {
      response = await this.fetchImpl(this.baseUrl + path, {
        method,
        headers,
        credentials: 'same-origin',
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      })
    } catch (cause) {
      const message = cause instanceof Error ? cause.message : String(cause)
      throw new ApiError(0, 'network', message)
    }

    if (!response.ok) throw await this.failure(response, options.reportUnauthenticated !== false)
    // Read even an empty body (204): the request only counts as finished once its body is drained.
    const text = await response.text()
    if (response.status === 204 || !text) return undefined as T
    try {
      return JSON.parse(text) as T
    } catch {
      throw new ApiError(response.status, 'bad_response', 'The server answered with something that is not JSON')
    }
  }

  /** The error of a non-2xx answer; a 401 also tells the application that the session is gone. */
  private async failure(response: Response, reportUnauthenticated: boolean): Promise<ApiError> {
    const error = await errorFromResponse(response)
    if (error.status === 401 && reportUnauthenticated) {
      this.csrfToken = null
      this.onUnauthenticated?.(error)
    }
    return error
  }

  private headers(accept: string): Record<string, string> {
    return { Accept: accept, 'Accept-Language': this.language() }
  }

  /** A GET of something that is not JSON (an image). */
  private async getBlob(path: string): Promise<Blob> {
    return (await this.getFile(path)).blob()
  }

  /** A GET of a file; rejects with the API's error when it is refused. */
  private async getFile(path: string): Promise<Response> {
    let response: Response
    try {
      response = await this.fetchImpl(this.baseUrl + path, {
        method: 'GET',
        headers: this.headers('*/*'),
        credentials: 'same-origin',
      })
    } catch (cause) {
      throw new ApiError(0, 'network', cause instanceof Error ? cause.message : String(cause))
    }
    if (!response.ok) throw await this.failure(response, true)
    return response
  }

  /**
   * 导出: a list (or a campaign's statistics) as .xlsx or CSV, with the list's filters, in the
   * UI's language. The name is the server's (Content-Disposition, Chinese in filename*).
   */
  async exportFile(filters: ExportFilters, format: ExportFormat): Promise<DownloadedFile> {
    const query: Record<string, unknown> = { ...filters.query }
    // The export's `format` is the file's: the session format filter travels as session_format.
    if (filters.kind === 'sessions' && 'format' in query) {
      query.session_format = query.format
      delete query.format
    }
    query.format = format
    query.lang = this.language().startsWith('en') ? 'en' : 'zh'
    const response = await this.getFile(`/exports/${filters.kind}${queryString(query)}`)
    const blob = await response.blob()
    return { blob, filename: downloadName(response.headers.get('Content-Disposition'), `${filters.kind}.${format}`) }
  }

  /**
   * Sends a picture as the raw body, typed by the Blob (the server judges by the bytes).
   * Rejects with an ApiError: the server's refusal, code "network" when no answer arrived,
   * "aborted" when cancelled.
   */
  private async uploadPicture<T>(method: 'POST' | 'PUT', path: string, picture: Blob, options: UploadOptions): Promise<T> {
    const headers = this.headers('application/json')
    headers['Content-Type'] = picture.type || 'application/octet-stream'
    if (this.csrfToken) headers['X-CSRF-Token'] = this.csrfToken
    let answer: UploadAnswer
    try {
      answer = await this.uploadImpl(this.baseUrl + path, {
        method,
        headers,
        body: picture,
        onProgress: options.onProgress,
        signal: options.signal,
      })
    } catch (cause) {
      if (cause instanceof DOMException && cause.name === 'AbortError') throw new ApiError(0, 'aborted', 'aborted')
      throw new ApiError(0, 'network', cause instanceof Error ? cause.message : String(cause))
    }
    if (answer.status < 200 || answer.status > 299) {
      throw await this.failure(new Response(answer.text, { status: answer.status, statusText: answer.statusText }), true)
    }
    try {
      return JSON.parse(answer.text) as T
    } catch {
      throw new ApiError(answer.status, 'bad_response', 'The server answered with something that is not JSON')
    }
  }

  private get<T>(path: string, query?: object): Promise<T> {
    return this.request<T>('GET', path + queryString(query))
  }

  /** Every item of a list, fetched page by page at the largest page size. */
  async listAll<T, Q extends object>(list: (query: Q & PageQuery) => Promise<Page<T>>, query: Q): Promise<T[]> {
    const items: T[] = []
    for (let page = 1; ; page += 1) {
      const result = await list({ ...query, page, page_size: MAX_PAGE_SIZE })
      items.push(...result.items)
      // An empty page also ends the loop, should the total change while we read.
      if (items.length >= result.total || result.items.length === 0) return items
    }
  }

  // --- health and login ---

  health(): Promise<Health> {
    return this.get('/health')
  }

  async login(username: string, password: string): Promise<LoginResult> {
    const result = await this.request<LoginResult>('POST', '/auth/login', {
      body: { username, password },
      reportUnauthenticated: false,
    })
    this.csrfToken = result.csrf_token
    return result
  }

  async logout(): Promise<void> {
    try {
      await this.request<void>('POST', '/auth/logout', { reportUnauthenticated: false })
    } finally {
      this.csrfToken = null
    }
  }

  changePassword(change: PasswordChange): Promise<void> {
    return this.request('POST', '/auth/password', { body: change })
  }

  async me(): Promise<Me> {
    const me = await this.request<Me>('GET', '/auth/me', { reportUnauthenticated: false })
    this.csrfToken = me.csrf_token
    return me
  }

  // --- reference data ---

  regions(query: RegionQuery = {}): Promise<Page<Region>> {
    return this.get('/regions', query)
  }

  dictionary(kind: DictionaryKind, query: DictionaryQuery = {}): Promise<Page<DictionaryEntry>> {
    return this.get('/dictionaries', { ...query, kind })
  }

  createDictionaryEntry(input: DictionaryEntryInput): Promise<DictionaryEntry> {
    return this.request('POST', '/dictionaries', { body: input })
  }

  updateDictionaryEntry(id: number, patch: Partial<DictionaryEntryInput>): Promise<DictionaryEntry> {
    return this.request('PATCH', `/dictionaries/${id}`, { body: patch })
  }

  // --- organisations ---

  organisations(query: OrganisationQuery = {}): Promise<Page<Organisation>> {
    return this.get('/organisations', query)
  }

  /** The whole tree the caller may see. */
  allOrganisations(query: Omit<OrganisationQuery, keyof PageQuery> = {}): Promise<Organisation[]> {
    return this.listAll((q) => this.organisations(q), query)
  }

  organisation(id: number): Promise<Organisation> {
    return this.get(`/organisations/${id}`)
  }

  createOrganisation(input: OrganisationInput): Promise<Organisation> {
    return this.request('POST', '/organisations', { body: input })
  }

  updateOrganisation(id: number, patch: Partial<OrganisationInput>): Promise<Organisation> {
    return this.request('PATCH', `/organisations/${id}`, { body: patch })
  }

  // --- lecturers ---

  lecturers(query: LecturerQuery = {}): Promise<Page<Lecturer>> {
    return this.get('/lecturers', query)
  }

  lecturer(id: number): Promise<Lecturer> {
    return this.get(`/lecturers/${id}`)
  }

  createLecturer(input: LecturerInput): Promise<Lecturer> {
    return this.request('POST', '/lecturers', { body: input })
  }

  updateLecturer(id: number, patch: Partial<LecturerInput>): Promise<Lecturer> {
    return this.request('PATCH', `/lecturers/${id}`, { body: patch })
  }

  /**
   * Sets (or replaces) a lecturer's portrait: a JPEG or PNG of at most 10 MB, sent as the raw
   * body. Answers the lecturer with its new photo_url. Rejects with an ApiError: 413 too large,
   * 422 not a whole picture, 403 for one who may not.
   */
  setLecturerPhoto(id: number, picture: Blob, options: UploadOptions = {}): Promise<Lecturer> {
    return this.uploadPicture<Lecturer>('PUT', `/lecturers/${id}/photo`, picture, options)
  }

  /** Removes a lecturer's portrait; their photo_url becomes null. */
  removeLecturerPhoto(id: number): Promise<void> {
    return this.request('DELETE', `/lecturers/${id}/photo`)
  }

  // --- campaigns ---

  campaigns(query: CampaignQuery = {}): Promise<Page<Campaign>> {
    return this.get('/campaigns', query)
  }

  campaign(id: number): Promise<Campaign> {
    return this.get(`/campaigns/${id}`)
  }

  createCampaign(input: CampaignInput): Promise<Campaign> {
    return this.request('POST', '/campaigns', { body: input })
  }

  /** With `version`, a stale edit is refused (409, the campaign as it now is in `current`). */
  updateCampaign(id: number, patch: Partial<CampaignInput> & { version?: number }): Promise<Campaign> {
    return this.request('PATCH', `/campaigns/${id}`, { body: patch })
  }

  /** 关闭: no new orders or sessions until reopened. */
  closeCampaign(id: number, version: number): Promise<Campaign> {
    return this.request('POST', `/campaigns/${id}/close`, { body: { version } })
  }

  reopenCampaign(id: number, version: number): Promise<Campaign> {
    return this.request('POST', `/campaigns/${id}/reopen`, { body: { version } })
  }

  // --- sessions ---

  sessions(query: SessionQuery = {}): Promise<Page<Session>> {
    return this.get('/sessions', query)
  }

  session(id: number): Promise<Session> {
    return this.get(`/sessions/${id}`)
  }

  createSession(input: SessionInput): Promise<Session> {
    return this.request('POST', '/sessions', { body: input })
  }

  /** A correction names the version it read: 409 when someone corrected the session since. */
  updateSession(id: number, patch: Partial<SessionInput> & { version: number }): Promise<Session> {
    return this.request('PATCH', `/sessions/${id}`, { body: patch })
  }

  /** Creates several sessions in one transaction: all of them or none. */
  createSessions(inputs: SessionInput[]): Promise<Page<Session>> {
    return this.request('POST', '/sessions/batch', { body: { sessions: inputs } })
  }

  // --- a session's photos ---

  sessionPhotos(sessionId: number): Promise<Page<Photo>> {
    return this.get(`/sessions/${sessionId}/photos`)
  }

  /**
   * Uploads one picture as the raw body (the server judges JPEG or PNG by its bytes, ≤ 10 MB).
   * Rejects with an ApiError: 413 too large, 422 not a whole picture, code "aborted" when cancelled.
   */
  uploadPhoto(sessionId: number, picture: Blob, options: PhotoUploadOptions = {}): Promise<Photo> {
    const path = `/sessions/${sessionId}/photos${queryString({ branch_id: options.branchId })}`
    return this.uploadPicture<Photo>('POST', path, picture, options)
  }

  deletePhoto(sessionId: number, photoId: number): Promise<void> {
    return this.request('DELETE', `/sessions/${sessionId}/photos/${photoId}`)
  }

  /** The address of the picture itself, for <img src> (the session cookie goes with it). */
  photoSrc(photo: Pick<Photo, 'id'>): string {
    return `${this.baseUrl}/photos/${photo.id}`
  }

  // --- a session's feedback (扫码评价) ---

  /** `quote: true` lists only the answers marked as quotes (the summary still counts all). */
  sessionFeedback(sessionId: number, query: PageQuery & { quote?: boolean } = {}): Promise<FeedbackReport> {
    return this.get(`/sessions/${sessionId}/feedback`, query)
  }

  /** An answer typed in by staff (channel "staff"). */
  recordFeedback(sessionId: number, input: FeedbackInput): Promise<FeedbackEntry> {
    return this.request('POST', `/sessions/${sessionId}/feedback`, { body: input })
  }

  /** Marks a comment as a quote (精彩语录), or unmarks it. */
  markQuote(sessionId: number, feedbackId: number, quote: boolean): Promise<FeedbackEntry> {
    return this.request('PATCH', `/sessions/${sessionId}/feedback/${feedbackId}`, { body: { quote } })
  }

  /** The session's public feedback link; `renew` replaces it and revokes the old one. */
  feedbackLink(sessionId: number, renew = false): Promise<FeedbackLinkState> {
    return this.request('POST', `/sessions/${sessionId}/feedback-link`, { body: { renew } })
  }

  /** Whether the session's feedback form is open and until when, without making a link. */
  feedbackLinkState(sessionId: number): Promise<FeedbackLinkState> {
    return this.get(`/sessions/${sessionId}/feedback-link`)
  }

  /** Opens a closed feedback form again, once, for a reason (organisers). */
  reopenFeedback(sessionId: number, reason: string): Promise<FeedbackLinkState> {
    return this.request('POST', `/sessions/${sessionId}/feedback-link/reopen`, { body: { reason } })
  }

  /** The QR code of the feedback link, as an image. */
  feedbackQr(sessionId: number, format: 'svg' | 'png' = 'svg'): Promise<Blob> {
    return this.getBlob(`/sessions/${sessionId}/feedback-link/qr${queryString({ format })}`)
  }

  // --- the public feedback form (no login: the link is the key) ---

  publicFeedback(token: string): Promise<PublicFeedbackSession> {
    return this.request('GET', `/feedback/${encodeURIComponent(token)}`, { reportUnauthenticated: false })
  }

  answerFeedback(token: string, input: FeedbackInput): Promise<void> {
    return this.request('POST', `/feedback/${encodeURIComponent(token)}`, { body: input, reportUnauthenticated: false })
  }

  /** Signs in as present (签到), once per browser. */
  signInFeedback(token: string): Promise<void> {
    return this.request('POST', `/feedback/${encodeURIComponent(token)}/sign-in`, { reportUnauthenticated: false })
  }

  // --- a lecturer's agenda (日程) ---

  agenda(lecturerId: number, query: AgendaQuery = {}): Promise<Page<AgendaItem>> {
    return this.get(`/lecturers/${lecturerId}/agenda`, query)
  }

  /** The private calendar (.ics) link; `renew` replaces it and revokes the old one. */
  calendarLink(lecturerId: number, renew = false): Promise<CalendarLink> {
    return this.request('POST', `/lecturers/${lecturerId}/calendar-link`, { body: { renew } })
  }

  // --- accounts and audit (administration) ---

  accounts(query: AccountQuery = {}): Promise<Page<Account>> {
    return this.get('/accounts', query)
  }

  account(id: number): Promise<Account> {
    return this.get(`/accounts/${id}`)
  }

  createAccount(input: AccountCreate): Promise<Account> {
    return this.request('POST', '/accounts', { body: input })
  }

  updateAccount(id: number, patch: AccountPatch): Promise<Account> {
    return this.request('PATCH', `/accounts/${id}`, { body: patch })
  }

  audit(query: AuditQuery = {}): Promise<Page<AuditEntry>> {
    return this.get('/audit', query)
  }

  // --- orders ---

  orders(query: OrderQuery = {}): Promise<Page<Order>> {
    return this.get('/orders', query)
  }

  order(id: number): Promise<Order> {
    return this.get(`/orders/${id}`)
  }

  createOrder(input: OrderInput): Promise<Order> {
    return this.request('POST', '/orders', { body: input })
  }

  /** Edits a submitted order; `version` is the one read. */
  updateOrder(id: number, patch: Partial<OrderInput> & { version: number }): Promise<Order> {
    return this.request('PATCH', `/orders/${id}`, { body: patch })
  }

  orderHistory(id: number): Promise<Page<OrderEvent>> {
    return this.get(`/orders/${id}/history`)
  }

  /** Lecturers in scope ranked for the order on a day, those who cannot take it last. */
  candidates(id: number, query: CandidateQuery = {}): Promise<CandidateList> {
    return this.get(`/orders/${id}/candidates`, query)
  }

  dispatchCheck(id: number, input: DispatchInput): Promise<DispatchCheck> {
    return this.request('POST', `/orders/${id}/dispatch-check`, { body: input })
  }

  dispatchOrder(id: number, input: DispatchInput): Promise<Order> {
    return this.request('POST', `/orders/${id}/dispatch`, { body: input })
  }

  acceptOrder(id: number, version: number): Promise<Order> {
    return this.request('POST', `/orders/${id}/accept`, { body: { version } })
  }

  declineOrder(id: number, version: number, reason: string): Promise<Order> {
    return this.request('POST', `/orders/${id}/decline`, { body: { version, reason } })
  }

  cancelOrder(id: number, version: number, reason: string): Promise<Order> {
    return this.request('POST', `/orders/${id}/cancel`, { body: { version, reason } })
  }

  deliverOrder(id: number, input: DeliverInput): Promise<Order> {
    return this.request('POST', `/orders/${id}/deliver`, { body: input })
  }

  rateOrder(id: number, version: number, rating: number, comment = ''): Promise<Order> {
    return this.request('POST', `/orders/${id}/rate`, { body: { version, rating, comment } })
  }

  // --- dispatch plans (智能派单) ---

  requestDispatchPlan(campaignId: number, timeLimitSeconds = 10, seed?: number): Promise<DispatchPlan> {
    return this.request('POST', `/campaigns/${campaignId}/dispatch-plans`, {
      body: seed === undefined ? { time_limit_seconds: timeLimitSeconds } : { time_limit_seconds: timeLimitSeconds, seed },
    })
  }

  dispatchPlan(id: number): Promise<DispatchPlan> {
    return this.get(`/dispatch-plans/${id}`)
  }

  applyDispatchPlan(id: number, assignments: PlanApplyItem[], overrideTravel = false): Promise<PlanApplyResult> {
    return this.request('POST', `/dispatch-plans/${id}/apply`, {
      body: { assignments, override_travel: overrideTravel },
    })
  }

  // --- inbox (站内消息) ---

  inbox(query: InboxQuery = {}): Promise<InboxPage> {
    return this.get('/inbox', query)
  }

  /** Marks the given notifications read, or every one when `ids` is absent. */
  markRead(ids?: number[]): Promise<{ marked: number; unread: number }> {
    return this.request('POST', '/inbox/read', { body: ids === undefined ? {} : { ids } })
  }

  // --- statistics (数据看板) ---

  /** One campaign's figures within the caller's scope (a lecturer: their own sessions). */
  campaignStatistics(campaignId: number, query: StatisticsQuery = {}): Promise<CampaignStatistics> {
    return this.get(`/campaigns/${campaignId}/statistics`, query)
  }

  /** Figures over a period and a set of campaigns (every one when none is named). */
  periodStatistics(query: PeriodStatisticsQuery = {}): Promise<PeriodStatistics> {
    return this.get('/statistics', withCampaignList(query))
  }

  /** 覆盖情况: places × weeks or months and × audience groups, gaps marked. */
  coverage(query: CoverageQuery = {}): Promise<Coverage> {
    return this.get('/statistics/coverage', withCampaignList(query))
  }

  /** What could fill a gap: open orders at the place and lecturers free in the period. */
  coverageFill(query: CoverageFillQuery): Promise<CoverageFill> {
    return this.get('/statistics/coverage/fill', withCampaignList(query))
  }

  /** The quotes and photos of a printed report, over the same selection as periodStatistics. */
  reportHighlights(query: ReportHighlightsQuery = {}): Promise<ReportHighlights> {
    const { campaign_ids, ...rest } = query
    const params: Record<string, string | number> = { ...rest }
    if (campaign_ids && campaign_ids.length > 0) params.campaign_ids = campaign_ids.join(',')
    return this.get('/statistics/highlights', params)
  }

  // --- lecturer scorecard (宣讲员档案) ---

  /** One lecturer's figures across all campaigns, within the caller's scope. */
  lecturerScorecard(id: number): Promise<Scorecard> {
    return this.get(`/lecturers/${id}/scorecard`)
  }

  /** Every lecturer in scope, best first, with the score's formula. */
  lecturerRanking(query: LecturerRankingQuery = {}): Promise<LecturerRanking> {
    const { campaign_ids, ...rest } = query
    const params: Record<string, string | number> = { ...rest }
    if (campaign_ids && campaign_ids.length > 0) params.campaign_ids = campaign_ids.join(',')
    return this.get('/lecturers/scorecards', params)
  }

  // --- imports (导入) ---

  /** The import template of a kind: Chinese headers and a note row, as .xlsx or CSV. */
  importTemplate(kind: ImportKind, format: 'xlsx' | 'csv' = 'xlsx'): Promise<Blob> {
    return this.getBlob(`/imports/${kind}/template${queryString({ format })}`)
  }

  /**
   * Sends a spreadsheet (CSV or .xlsx) as the raw body. `dryRun` previews: nothing is written.
   * Resolves with the report also when rows were wrong (422: nothing written, `error` says so);
   * rejects with an ApiError when the file itself was refused (400, 413) or no answer came.
   */
  async importFile(kind: ImportKind, file: Blob, dryRun: boolean, options: UploadOptions = {}): Promise<ImportOutcome> {
    const headers = this.headers('application/json')
    headers['Content-Type'] = file.type || 'application/octet-stream'
    if (this.csrfToken) headers['X-CSRF-Token'] = this.csrfToken
    let answer: UploadAnswer
    try {
      answer = await this.uploadImpl(`${this.baseUrl}/imports/${kind}${queryString({ dry_run: dryRun ? 'true' : undefined })}`, {
        headers,
        body: file,
        onProgress: options.onProgress,
        signal: options.signal,
      })
    } catch (cause) {
      if (cause instanceof DOMException && cause.name === 'AbortError') throw new ApiError(0, 'aborted', 'aborted')
      throw new ApiError(0, 'network', cause instanceof Error ? cause.message : String(cause))
    }
    let body: unknown = null
    try {
      body = JSON.parse(answer.text)
    } catch {
      body = null
    }
    const withReport = body as { report?: ImportReport; error?: { message?: string } } | null
    if (answer.status === 422 && withReport?.report) {
      return { report: withReport.report, error: withReport.error?.message ?? null }
    }
    if (answer.status < 200 || answer.status > 299) {
      throw await this.failure(new Response(answer.text, { status: answer.status, statusText: answer.statusText }), true)
    }
    if (body === null) throw new ApiError(answer.status, 'bad_response', 'The server answered with something that is not JSON')
    return { report: body as ImportReport, error: null }
  }

  // --- 送温暖/帮扶项目 (issue 16) ---

  programmes(query: ProgrammeQuery = {}): Promise<Page<Programme>> {
    return this.request('GET', `/programmes${queryString(query)}`)
  }
  programme(id: number): Promise<Programme> {
    return this.request('GET', `/programmes/${id}`)
  }
  createProgramme(input: ProgrammeInput): Promise<Programme> {
    return this.request('POST', '/programmes', { body: input })
  }
  updateProgramme(id: number, input: Partial<ProgrammeInput>): Promise<Programme> {
    return this.request('PATCH', `/programmes/${id}`, { body: input })
  }
  /** 启动 (books the budget) or 结束 (no more money moves). */
  programmeAction(id: number, action: 'open' | 'close', version: number): Promise<Programme> {
    return this.request('POST', `/programmes/${id}/${action}`, { body: { version } })
  }
  careReport(id: number, organisationId?: number): Promise<CareReport> {
    return this.request('GET', `/programmes/${id}/report${queryString({ organisation_id: organisationId })}`)
  }
  allocations(programmeId: number, query: PageQuery = {}): Promise<Page<Allocation>> {
    return this.request('GET', `/allocations${queryString({ ...query, programme_id: programmeId })}`)
  }
  allocate(input: AllocationInput): Promise<Allocation> {
    return this.request('POST', '/allocations', { body: input })
  }
  disbursements(query: DisbursementQuery = {}): Promise<Page<Disbursement>> {
    return this.request('GET', `/disbursements${queryString(query)}`)
  }
  recordVisit(input: VisitInput): Promise<Disbursement> {
    return this.request('POST', '/disbursements', { body: input })
  }
  subsidies(query: DisbursementQuery = {}): Promise<Page<Disbursement>> {
    return this.request('GET', `/subsidies${queryString(query)}`)
  }
  recordSubsidy(input: SubsidyInput): Promise<Disbursement> {
    return this.request('POST', '/subsidies', { body: input })
  }
  /** One person's full numbers: care.reveal only, and written to the audit log. */
  revealBeneficiary(id: number): Promise<Revealed> {
    return this.request('POST', `/beneficiaries/${id}/reveal`)
  }
  async ledger(programmeId: number): Promise<LedgerAccount[]> {
    const r = await this.request<{ items: LedgerAccount[] }>('GET', `/ledger${queryString({ programme_id: programmeId })}`)
    return r.items
  }
  ledgerEntries(accountId: number, query: PageQuery = {}): Promise<Page<LedgerEntry>> {
    return this.request('GET', `/ledger/accounts/${accountId}/entries${queryString(query)}`)
  }
  /** A visit's photos (走访照片). */
  carePhotos(disbursementId: number): Promise<Page<CarePhoto>> {
    return this.request('GET', `/disbursements/${disbursementId}/photos`)
  }
  /** One picture from the phone's camera, as the raw body (JPEG or PNG, ≤ 10 MB). */
  uploadCarePhoto(disbursementId: number, picture: Blob, options: UploadOptions = {}): Promise<CarePhoto> {
    return this.uploadPicture<CarePhoto>('POST', `/disbursements/${disbursementId}/photos`, picture, options)
  }
  carePhotoSrc(photo: Pick<CarePhoto, 'id'>): string {
    return `${this.baseUrl}/care-photos/${photo.id}`
  }

  // --- 电子消费券 (issue 16 point 5) ---

  merchants(query: PageQuery = {}): Promise<Page<Merchant>> {
    return this.request('GET', `/vouchers/merchants${queryString(query)}`)
  }
  createMerchant(input: MerchantInput): Promise<Merchant> {
    return this.request('POST', '/vouchers/merchants', { body: input })
  }
  /** Ties an account of role merchant to this merchant: it then redeems here. */
  linkMerchantAccount(merchantId: number, accountId: number): Promise<Merchant> {
    return this.request('POST', `/vouchers/merchants/${merchantId}/accounts`, { body: { account_id: accountId } })
  }
  voucherBatches(query: VoucherBatchQuery = {}): Promise<Page<VoucherBatch>> {
    return this.request('GET', `/vouchers/batches${queryString(query)}`)
  }
  voucherBatch(id: number): Promise<VoucherBatch> {
    return this.request('GET', `/vouchers/batches/${id}`)
  }
  /** count × face value leaves the organisation's holding at once. */
  createVoucherBatch(input: VoucherBatchInput): Promise<VoucherBatch> {
    return this.request('POST', '/vouchers/batches', { body: input })
  }
  /** All or none; the answer carries the full codes. */
  async issueVouchers(batchId: number, beneficiaries: IssueTarget[]): Promise<Voucher[]> {
    const r = await this.request<{ items: Voucher[] }>('POST', `/vouchers/batches/${batchId}/issue`, { body: { beneficiaries } })
    return r.items
  }
  batchVouchers(batchId: number, query: PageQuery = {}): Promise<Page<Voucher>> {
    return this.request('GET', `/vouchers/batches/${batchId}/vouchers${queryString(query)}`)
  }
  /** One voucher, its full code for care.write. */
  voucher(id: number): Promise<Voucher> {
    return this.request('GET', `/vouchers/issued/${id}`)
  }
  voucherQrSrc(id: number, format: 'svg' | 'png' = 'svg'): string {
    return `${this.baseUrl}/vouchers/issued/${id}/qr${queryString({ format })}`
  }
  /** 核销记录: a merchant's own, an organiser's at batches in scope; newest first. */
  redemptions(query: PageQuery = {}): Promise<Page<Redemption>> {
    return this.request('GET', `/vouchers/redemptions${queryString(query)}`)
  }
  /** What the till sees of a typed or scanned code (forgiving of case, dashes, spaces). */
  checkVoucher(code: string): Promise<VoucherCheck> {
    return this.request('GET', `/vouchers/${encodeURIComponent(code)}`)
  }
  /** 核销: the same key for every retry of one attempt makes it happen at most once. */
  redeemVoucher(code: string, idempotencyKey: string): Promise<Redemption> {
    return this.request('POST', `/vouchers/${encodeURIComponent(code)}/redeem`, { headers: { 'Idempotency-Key': idempotencyKey } })
  }

  // --- 报道导入 (issue 18) ---

  /** Proposed sessions and statements of a pasted report; nothing is saved. */
  reportProposals(text: string, year: number, campaignId: number | null = null): Promise<ReportProposals> {
    return this.request('POST', '/imports/reports', { body: { text, year, campaign_id: campaignId } })
  }

  /** The same for a file (.txt in UTF-8 or GBK, .docx, .pdf), sent as the raw body. */
  async reportProposalsFromFile(file: Blob, year: number, campaignId: number | null = null): Promise<ReportProposals> {
    const headers = this.headers('application/json')
    headers['Content-Type'] = file.type || 'application/octet-stream'
    if (this.csrfToken) headers['X-CSRF-Token'] = this.csrfToken
    let response: Response
    try {
      response = await this.fetchImpl(`${this.baseUrl}/imports/reports${queryString({ year, campaign_id: campaignId ?? undefined })}`, {
        method: 'POST',
        headers,
        credentials: 'same-origin',
        body: file,
      })
    } catch (cause) {
      throw new ApiError(0, 'network', cause instanceof Error ? cause.message : String(cause))
    }
    if (!response.ok) throw await this.failure(response, true)
    return (await response.json()) as ReportProposals
  }

  /** Saves the reviewed proposals as sessions (duplicates skipped), with the report's text. */
  acceptReport(body: ReportAccept): Promise<ReportAccepted> {
    return this.request('POST', '/imports/reports/accept', { body })
  }

  /** The stored report texts of the caller's subtree, newest first (without their text). */
  reportSources(query: PageQuery = {}): Promise<Page<ReportSource>> {
    return this.get('/imports/reports', query)
  }

  /** One stored report text with the sessions accepted from it. */
  reportSource(id: number): Promise<ReportSourceDetail> {
    return this.get(`/imports/reports/${id}`)
  }

  /** The report a session was imported from (404 when it was not). */
  sessionReportSource(sessionId: number): Promise<ReportSourceLink> {
    return this.get(`/sessions/${sessionId}/report-source`)
  }
}
