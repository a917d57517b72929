#include "models/dirty_trace.hpp"

#include <doctest/doctest.h>

#include <sstream>

using namespace migsim;

namespace {
DirtyTrace parse(const std::string& text, uint64_t pages = 1000)
{
  std::istringstream in(text);
  return parse_dirty_trace(in, pages);
}
/// "line N, column C: message" of the error the text raises, or "" when it parses.
std::string error_of(const std::string& text, uint64_t pages = 1000)
{
  try {
    parse(text, pages);
  } catch (const DirtyTraceError& e) {
    return e.where() + ": " + e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("a page trace is one write burst per line; comments, blank lines and CRLF are fine")
{
  DirtyTrace t = parse("# made by hand\ntime_s,first_page,pages\r\n0.5,10,5\n\n1.25, 990, 10\n");
  CHECK(t.kind == DirtyTrace::Kind::Pages);
  REQUIRE(t.bursts.size() == 2);
  CHECK(t.bursts[0].time_s == 0.5);
  CHECK(t.bursts[0].first_page == 10);
  CHECK(t.bursts[0].pages == 5);
  CHECK(!t.bursts[0].page_class);
  CHECK(t.bursts[1].first_page == 990);
  CHECK(t.mean_pages_per_s() == doctest::Approx(15 / 1.25));
}

TEST_CASE("a page trace may say which class the written pages hold afterwards")
{
  DirtyTrace t = parse("time_s,first_page,pages,class\n0,0,1,clean_cache\n0,1,1,free\n1,2,1,\n");
  CHECK(t.bursts[0].page_class == PageClass::CleanCache);
  CHECK(t.bursts[1].page_class == PageClass::Free);
  CHECK(!t.bursts[2].page_class);
}

TEST_CASE("a rate series is told apart by its header")
{
  DirtyTrace t = parse("time_s,rate_Bps\n0,1e6\n10,4e6\n");
  CHECK(t.kind == DirtyTrace::Kind::Rates);
  REQUIRE(t.rates.size() == 2);
  CHECK(t.rates[1].time_s == 10);
  CHECK(t.rates[1].rate_Bps == 4e6);
}

TEST_CASE("trace errors name the line and the column")
{
  CHECK(error_of("") == "line 1: no header: expected time_s,first_page,pages[,class] or time_s,rate_Bps");
  CHECK(error_of("t,page\n") ==
        "line 1: expected the header time_s,first_page,pages[,class] or time_s,rate_Bps, got \"t,page\"");
  CHECK(error_of("time_s,first_page,pages\n0,1\n") == "line 2: expected 3 fields (time_s,first_page,pages), got 2");
  CHECK(error_of("time_s,first_page,pages\n0,1,2\nsoon,1,2\n") == "line 3, column time_s: expected a number, got \"soon\"");
  CHECK(error_of("time_s,first_page,pages\n2,1,2\n1,1,2\n") ==
        "line 3, column time_s: times must not decrease: 1 comes after 2.000000");
  CHECK(error_of("time_s,first_page,pages\n0,1000,1\n") ==
        "line 2, column first_page: page 1000 is beyond the guest's 1000 pages");
  CHECK(error_of("time_s,first_page,pages\n0,-1,1\n") == "line 2, column first_page: expected a whole number, got \"-1\"");
  CHECK(error_of("time_s,first_page,pages\n0,995,10\n") ==
        "line 2, column pages: pages 995 to 995 + 10 run past the guest's 1000 pages");
  CHECK(error_of("time_s,first_page,pages\n0,5,0\n") == "line 2, column pages: a burst writes at least 1 page");
  CHECK(error_of("time_s,first_page,pages,class\n0,5,1,cache\n") ==
        "line 2, column class: unknown class \"cache\"; expected one of: anonymous, clean_cache, dirty_cache, free");
  CHECK(error_of("time_s,rate_Bps\n0,-5\n") == "line 2, column rate_Bps: must be zero or positive, got -5");
  CHECK(error_of("time_s,rate_Bps\n0,inf\n") == "line 2, column rate_Bps: expected a number, got \"inf\"");
}
