// The guest's own storage IO: requests of a fixed size at a fixed rate, a read/write mix, over a data
// set on the shared storage with uniform or Zipf popularity over records (a record = one request's
// consecutive blocks; rank 1 is record 0, so the popular data sits at the start of the data set).
// Ready profiles (docs/io-model.md): webserver (read-mostly, Zipf over files) and database (random
// reads and writes over a table). The simulator asks for the requests of each time step.
#pragma once

#include "models/random_stream.hpp"
#include "models/zipf_distribution.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace migsim {

enum class Popularity { Uniform, Zipf };

struct IoWorkloadSpec {
  bool enabled          = false;
  double request_bytes  = 16384;
  double requests_per_s = 0;
  double read_fraction  = 1.0;
  double data_set_bytes = 0;
  Popularity popularity = Popularity::Zipf;
  double zipf_exponent  = 0.9;
  double step_s         = 0.01;  ///< requests are aggregated per step: one SAN transfer per step
  double writeback_Bps  = 0;     ///< dirty cache written back to storage (becomes clean) at this rate
};

/// The defaults of a named profile ("webserver", "database"); empty for an unknown name.
std::optional<IoWorkloadSpec> io_profile(const std::string& name);

struct IoRequest {
  uint64_t record;  ///< blocks record · b ... record · b + b - 1
  bool write;
};

class IoWorkload {
public:
  IoWorkload(const IoWorkloadSpec& spec, uint64_t page_size, uint64_t seed);

  /// The requests issued during `seconds` of guest time (fractional requests carried over), valid
  /// until the next call (one buffer, not an allocation per step).
  const std::vector<IoRequest>& requests_for(double seconds);
  uint64_t blocks_per_request() const { return blocks_per_request_; }
  uint64_t records() const { return records_; }
  /// Record k is requested with probability proportional to (k + 1)^-exponent (0: uniform).
  double popularity_exponent() const { return spec_.popularity == Popularity::Zipf ? spec_.zipf_exponent : 0; }
  const IoWorkloadSpec& spec() const { return spec_; }

private:
  IoWorkloadSpec spec_;
  uint64_t blocks_per_request_;
  uint64_t records_;
  ZipfDistribution zipf_;
  RandomStream random_;
  double carry_ = 0;
  std::vector<IoRequest> requests_;
};

}  // namespace migsim
