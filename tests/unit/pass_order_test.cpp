// PassOrder: free pages first, then the others, each by page number, from a saved rank, wrapping round.
#include "models/pass_order.hpp"

#include <doctest/doctest.h>

#include <vector>

using namespace migsim;

namespace {

std::vector<uint64_t> walk(PassOrder& order, int at_most = 100)
{
  std::vector<uint64_t> pages;
  uint64_t p = 0;
  while (at_most-- > 0 && order.next(p))
    pages.push_back(p);
  return pages;
}

}  // namespace

TEST_CASE("pass order: free pages first, then the rest, and a walk resumes where the last one stopped")
{
  PageBitmap pages(8), free(8);
  for (uint64_t p : {0, 2, 3, 5, 6, 7})
    pages.set(p);
  for (uint64_t p : {5, 6, 7})
    free.set(p);  // pages 5, 6 and 7 are free memory: ranks 5, 6 and 7; page p otherwise is rank 8 + p
  PassOrder from_start(pages, free, 0);
  CHECK(walk(from_start) == std::vector<uint64_t>{5, 6, 7, 0, 2, 3});

  PassOrder first(pages, free, 0);
  CHECK(walk(first, 4) == std::vector<uint64_t>{5, 6, 7, 0});
  CHECK(first.position() == 9);  // the rank after page 0 (rank 8)
  PassOrder resumed(pages, free, first.position());
  CHECK(walk(resumed) == std::vector<uint64_t>{2, 3, 5, 6, 7, 0});

  PassOrder mid_free(pages, free, 6);  // from rank 6: free page 6, 7, the rest, then free page 5
  CHECK(walk(mid_free) == std::vector<uint64_t>{6, 7, 0, 2, 3, 5});
  PassOrder empty(PageBitmap(8), free, 3);
  CHECK(walk(empty).empty());
}
