-- wrk script: failing logins as fast as each connection can send them, each for a random user
-- name that does not exist (no account lock) from a random client address (X-Forwarded-For,
-- with serve --trust-proxy: no address lock), so that every one would need a hash.
math.randomseed(os.time())
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

request = function()
  local user = string.format("flood-%08x", math.random(0, 0x7fffffff))
  wrk.headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.random(0, 255),
    math.random(0, 255), math.random(1, 254))
  return wrk.format(nil, "/api/v1/auth/login", nil,
    '{"username":"' .. user .. '","password":"not-the-password"}')
end
