-- wrk script: the password step of sign-in, over and over, as one browser (its CSRF cookie and
-- token come from run.sh). A sign-in that does not end in a redirect to /dashboard is counted as
-- failed and printed at the end, so a throttled or broken sign-in cannot pass for a fast one.
wrk.method = "POST"
wrk.body = os.getenv("BENCH_SIGNIN_BODY")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = os.getenv("BENCH_SIGNIN_COOKIE")

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

failed = 0

function response(status, headers, body)
  local location = headers["Location"] or headers["location"] or ""
  if status ~= 303 or not string.find(location, "/dashboard", 1, true) then
    failed = failed + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("failed")
  end
  io.write(string.format("Failed sign-ins: %d\n", total))
end
