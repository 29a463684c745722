-- Rotates through the signed-in sessions in COOKIES (one "ld_session=..." per line), one per request,
-- or, when AUTHS is set, through its API tokens ("Bearer ldt_..." per line) instead, and, when PATHS is set,
-- through its request paths. Loaded by wrk for every scenario.
local cookies, paths, auths = {}, {}, {}
local i = 0
local function lines(file, into)
  if not file then return end
  for l in io.lines(file) do if #l > 0 then table.insert(into, l) end end
end
lines(os.getenv("COOKIES"), cookies)
lines(os.getenv("PATHS"), paths)
lines(os.getenv("AUTHS"), auths)
local body = os.getenv("BODY")
local method = os.getenv("METHOD") or "GET"

request = function()
  i = i + 1
  local headers = { ["Accept"] = "application/json" }
  -- Sign-in requests carry no session: signing in on someone's session would replace it.
  if #auths > 0 then
    headers["Authorization"] = auths[(i % #auths) + 1]
  elseif not os.getenv("NOCOOKIE") then
    headers["Cookie"] = cookies[(i % #cookies) + 1]
  end
  local path = wrk.path
  if #paths > 0 then path = paths[(i % #paths) + 1] end
  if body then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    return wrk.format(method, path, headers, body)
  end
  return wrk.format(method, path, headers, nil)
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %.1f %.2f %.2f\n", summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
