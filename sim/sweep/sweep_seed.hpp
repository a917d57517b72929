// The seed of each replication of a sweep, derived from a base seed and the replication index only, so
// that every parameter point and every policy sees the same seeds (paired comparisons) and a run can be
// reproduced from its row alone. docs/sweeps.md gives the rule; keep the two in step.
#pragma once

#include <cstdint>
#include <string>

namespace migsim {

enum class SeedRule {
  SplitMix64,  ///< splitmix64(base_seed + replication) >> 15: unrelated seeds, even for neighbouring bases
  Sequential,  ///< base_seed + replication: replication 0 is the base scenario itself
};

/// One step of Vigna's splitmix64 (the finaliser used to seed xoshiro generators).
constexpr uint64_t splitmix64(uint64_t x)
{
  uint64_t z = x + 0x9e3779b97f4a7c15ULL;
  z          = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z          = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// The >> 15 keeps seeds below 2^49 (< 10^15): every CSV writer prints such integers exactly, and
/// JSON readers that hold numbers as doubles (Python, JavaScript) read them back unchanged.
constexpr uint64_t replication_seed(SeedRule rule, uint64_t base_seed, uint64_t replication)
{
  return rule == SeedRule::Sequential ? base_seed + replication : splitmix64(base_seed + replication) >> 15;
}

inline const char* seed_rule_name(SeedRule rule)
{
  return rule == SeedRule::Sequential ? "sequential" : "splitmix64";
}

}  // namespace migsim
