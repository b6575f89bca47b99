-- A mix of reads and writes as a province's users make them at a campaign's end:
-- 50% list sessions, 30% read one session, 10% record a session, 10% update a lecturer.
-- Environment: XJ_TOKEN, XJ_SESSIONS (highest session id), XJ_HOST_ORG, XJ_CAMPAIGN,
-- XJ_LECTURER, XJ_REGION, XJ_DATE (the newest session's date: within its campaign, which
-- refuses a session dated outside its period).
local token = os.getenv("XJ_TOKEN")
local max_session = tonumber(os.getenv("XJ_SESSIONS"))
local host = os.getenv("XJ_HOST_ORG")
local campaign = os.getenv("XJ_CAMPAIGN")
local lecturer = os.getenv("XJ_LECTURER")
local region = os.getenv("XJ_REGION")
local date = os.getenv("XJ_DATE")
-- XJ_MIX=writes: every request records a session (the write cost alone).
local writes_only = os.getenv("XJ_MIX") == "writes"
local counter = 0

wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Content-Type"] = "application/json"

request = function()
  counter = counter + 1
  local r = writes_only and 85 or math.random(100)
  if r <= 50 then
    return wrk.format("GET", "/api/v1/sessions?page_size=20&page=" .. math.random(20))
  elseif r <= 80 then
    return wrk.format("GET", "/api/v1/sessions/" .. math.random(max_session))
  elseif r <= 90 then
    local body = string.format(
      '{"campaign_id":%s,"title":"压测宣讲%d","date":"%s","venue":"职工之家",' ..
      '"host_organisation_id":%s,"region_code":"%s","audience_group":"frontline_workers",' ..
      '"format":"offline","audience_offline":%d,"lecturer_ids":[%s]}',
      campaign, counter, date, host, region, math.random(300), lecturer)
    return wrk.format("POST", "/api/v1/sessions", nil, body)
  else
    return wrk.format("PATCH", "/api/v1/lecturers/" .. lecturer, nil,
                      string.format('{"bio":"压测更新 %d"}', counter))
  end
end
