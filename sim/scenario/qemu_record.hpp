// Turns a record of one real QEMU live migration into a migsim scenario (`migsim import qemu`,
// docs/import.md). A record is a JSON object with QEMU's own replies: the testbed's records
// (docs/testbed.md, format migsim-testbed-record/1) are one, and a researcher's file with only
// `query_migrate_final` (QMP `query-migrate`), optionally `migrate_parameters`
// (`query-migrate-parameters`), `migrate_capabilities` (`query-migrate-capabilities`),
// `calc_dirty_rate` (`query-dirty-rate` replies) and `guest_write_rate` is another.
//
// What the record states is copied with its unit converted: memory and page size, the zero-page
// share (`ram.duplicate`), max-bandwidth, downtime-limit, the capabilities as precopy parameters.
// What it does not state is fitted (models/dirty_rate_fit): the working set N and write rate r that
// reproduce the distinct dirty pages of calc-dirty-rate's windows; N becomes a hot set holding every
// write (or uniform dirtying when N is nearly all of memory). Every fitted or derived value is listed
// with its source and residual in `report`.
//
// Limits: one working set (a hot and a cold set are fitted by one curve, visible in the residual);
// no page cache (QEMU does not know it); XBZRLE's hit and compression ratios from its counters of the
// whole migration; the LAN rate is estimated from the stop-and-copy; auto-converge's tail-slow is not
// modelled. Unknown keys in a record are ignored: a record holds much more than the importer needs.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace migsim {

struct QemuImport {
  nlohmann::json scenario;          ///< validated by the scenario loader
  std::vector<std::string> report;  ///< one line per fitted or derived value, for stderr
};

/// Reads `path` and imports it; the scenario's name is "qemu-" + the record's `case` (else the file's
/// stem). Throws ScenarioError naming the file and the JSON path.
QemuImport import_qemu_record(const std::string& path);

/// The same on a parsed record; `origin` names it in errors, `name` is used when it has no `case`.
QemuImport import_qemu_record(const nlohmann::json& record, const std::string& origin, const std::string& name);

}  // namespace migsim
