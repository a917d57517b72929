// libFuzzer target of the scenario loader (docs/errors.md): bytes in, and the loader's contract checked.
// Input that starts with '/' is a list of --set overrides, one per line, on the built-in default;
// input that starts with "#trace" is a dirtying trace file (/workload/dirty/trace), read as the loader
// reads it; input that starts with "#sweep" is a sweep file (the rest of the first line is ignored),
// read and, when it has at most 64 runs, expanded as `migsim sweep plan` does; anything else is a
// scenario file's text. The loader must return a Scenario or throw
// ScenarioError (the trace reader: DirtyTraceError): any other exception escaping, a crash, a sanitizer
// report or a hang is a bug.
//
// Built by the MIGSIM_FUZZ CMake option (clang), run by tests/fuzz/run_fuzz.sh; the same function is
// linked with replay_main.cpp into fuzz_replay, which replays tests/fuzz/regressions/ in every build.
#include "models/dirty_trace.hpp"
#include "models/dirtying_model.hpp"
#include "sim/scenario/json_file.hpp"
#include "sim/scenario/scenario_error.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/sweep/sweep_plan.hpp"
#include "sim/sweep/sweep_spec.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    if (text.rfind("#sweep", 0) == 0) {
      const std::string body    = text.substr(std::min(text.size(), text.find('\n')));
      const migsim::SweepSpec spec = migsim::parse_sweep_spec(migsim::parse_ordered_json_text(body, "fuzz-sweep.json"),
                                                              "fuzz-sweep.json");
      if (migsim::planned_run_count(spec) <= 64)  // larger plans only take longer
        migsim::expand_sweep(spec);
    } else if (text.rfind("#trace", 0) == 0) {
      std::istringstream in(text);
      const migsim::DirtyTrace trace = migsim::parse_dirty_trace(in, 1 << 20);
      if (trace.kind == migsim::DirtyTrace::Kind::Rates)
        migsim::phases_from_rates(trace, migsim::DirtyingSpec{}, 4096);
      else
        trace.mean_pages_per_s();
    } else if (!text.empty() && text[0] == '/') {
      std::vector<std::string> overrides;
      std::istringstream lines(text);
      for (std::string line; std::getline(lines, line);)
        overrides.push_back(line);
      migsim::load_scenario("", overrides);
    } else {
      migsim::parse_scenario(migsim::parse_json_text(text, "fuzz.json"), "fuzz.json");
    }
  } catch (const migsim::ScenarioError&) {
    // the one way the loader may refuse input
  } catch (const migsim::DirtyTraceError&) {
    // and the trace reader's (the loader turns it into a ScenarioError naming the trace file)
  }
  return 0;
}
