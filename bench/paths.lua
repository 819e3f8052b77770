-- bench/paths.lua - a wrk script: GET the paths listed in the file named by $BENCH_PATHS (one a
-- line) in turn, each thread from its own place, with the headers given to wrk (-H). One path
-- in the file makes it a plain GET of that path, with the same work in wrk as a list of many.
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do
    if #line > 0 then
        paths[#paths + 1] = line
    end
end
local threads = 0
local i = 0

function setup(thread)
    threads = threads + 1
    thread:set("start", threads * 7919)
end

function init(args)
    i = start % #paths
end

function request()
    i = i % #paths + 1
    return wrk.format("GET", paths[i])
end
