// The outputs of a data centre's consolidation (docs/outputs.md): datacentre.csv, one row per run (the
// study's metrics: energy, SLATAH, PDM, SLAV, ESV, migrations), and datacentre_timeseries.csv, one row
// per decision (active hosts, migrations, power). Written beside summary.csv and migrations.csv when a
// run has a /consolidation; other runs write neither.
#pragma once

#include "sim/output/result_writer.hpp"

#include <string>
#include <vector>

namespace migsim {

bool has_consolidation(const std::vector<RunRecord>& runs);
std::string datacentre_csv(const std::vector<RunRecord>& runs);
std::string datacentre_timeseries_csv(const std::vector<RunRecord>& runs);

}  // namespace migsim
