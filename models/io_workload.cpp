#include "models/io_workload.hpp"

#include <algorithm>
#include <cmath>

namespace migsim {

std::optional<IoWorkloadSpec> io_profile(const std::string& name)
{
  IoWorkloadSpec spec;
  spec.enabled = true;
  if (name == "webserver") {
    // Static files served from a cache-friendly working set: mostly reads, strongly skewed popularity.
    spec.request_bytes  = 16 * 1024;
    spec.requests_per_s = 10000;
    spec.read_fraction  = 0.99;
    spec.data_set_bytes = 32.0 * (1ULL << 30);
    spec.popularity     = Popularity::Zipf;
    spec.zipf_exponent  = 1.0;
    spec.writeback_Bps  = 10e6;
    return spec;
  }
  if (name == "database") {
    // OLTP-like: small random reads and writes over a table larger than the cache; writes dirty the
    // cache and are written back.
    spec.request_bytes  = 8192;
    spec.requests_per_s = 10000;
    spec.read_fraction  = 0.7;
    spec.data_set_bytes = 16.0 * (1ULL << 30);
    spec.popularity     = Popularity::Zipf;
    spec.zipf_exponent  = 0.9;
    spec.writeback_Bps  = 20e6;
    return spec;
  }
  if (name == "none") {
    spec.enabled = false;
    return spec;
  }
  return std::nullopt;
}

IoWorkload::IoWorkload(const IoWorkloadSpec& spec, uint64_t page_size, uint64_t seed)
    : spec_(spec)
    , blocks_per_request_(std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(spec.request_bytes / page_size))))
    , records_(std::max<uint64_t>(1, static_cast<uint64_t>(spec.data_set_bytes / (blocks_per_request_ * page_size))))
    , zipf_(records_, spec.zipf_exponent)
    , random_(seed, "io-workload")
{
}

const std::vector<IoRequest>& IoWorkload::requests_for(double seconds)
{
  const double exact = carry_ + spec_.requests_per_s * seconds;
  const double whole = std::floor(exact);
  carry_             = exact - whole;
  requests_.resize(static_cast<size_t>(whole));
  for (auto& r : requests_) {
    r.record = spec_.popularity == Popularity::Zipf ? zipf_(random_) - 1 : random_.below(records_);
    r.write  = random_.uniform() >= spec_.read_fraction;
  }
  return requests_;
}

}  // namespace migsim
