#include "sim/cli/option_checks.hpp"

#include "sim/scenario/whole_number.hpp"

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace migsim {

const CLI::Validator& whole_number_check()
{
  static const CLI::Validator check(
      [](std::string& text) {
        const auto n  = parse_whole_number(text, 999999999);
        const bool ok = n && *n > 0;
        return ok ? std::string() : "expected a whole number, 1 or more, got \"" + text + "\"";
      },
      "N");
  return check;
}

const CLI::Validator& seconds_check()
{
  static const CLI::Validator check(
      [](std::string& text) {
        char* end      = nullptr;
        const double x = std::strtod(text.c_str(), &end);
        const bool ok  = end != text.c_str() && *end == '\0' && std::isfinite(x) && x >= 0;
        return ok ? std::string() : "expected a number of seconds, 0 or more (0: no limit), got \"" + text + "\"";
      },
      "SECONDS");
  return check;
}

void add_jobs_option(CLI::App& command, int& jobs)
{
  jobs = static_cast<int>(std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN)));
  command.add_option("--jobs", jobs, "simulations run at once")->check(whole_number_check());
}

void add_timeout_option(CLI::App& command, double& seconds, const std::string& what)
{
  command.add_option("--timeout", seconds, "wall-clock seconds one " + what + " before it is stopped (0: no limit)")
      ->check(seconds_check())
      ->capture_default_str();
}

void add_set_option(CLI::App& command, std::vector<std::string>& overrides)
{
  command.add_option("--set", overrides, "override a setting: /json/pointer=value (repeatable)");
}

}  // namespace migsim
