// `migsim validate` refuses what `run` cannot do: a platform file is built, as a run builds it, in a
// throwaway child process (SimGrid allows one engine per process and aborts on some files), so that
// missing hosts or routes and files SimGrid rejects are found without simulating anything.
#pragma once

#include "sim/scenario/scenario.hpp"

namespace migsim {

/// Throws the ScenarioError (as InputError, its message kept) that building `s`'s platform would
/// throw in a run; does nothing for the built-in platform, which the scenario loader checks whole.
void check_platform(const Scenario& s);

}  // namespace migsim
