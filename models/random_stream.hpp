// The one source of randomness of a model: xoshiro256** seeded through splitmix64. Unlike the
// std:: distributions its results are fixed by the seed on every compiler, so a run is a pure
// function of scenario and seed. Each model owns a stream derived from the run seed and its own name.
#pragma once

#include <cstdint>
#include <string>

namespace migsim {

class RandomStream {
public:
  RandomStream(uint64_t seed, const std::string& purpose)
  {
    uint64_t x = seed;
    for (char c : purpose)  // FNV-1a of the purpose keeps the streams of different models apart
      x = (x ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    for (auto& s : state_)
      s = splitmix64(x);
  }

  uint64_t next()
  {
    const uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const uint64_t t      = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  /// Uniform integer in [0, n), n > 0 (Lemire's multiply-shift; bias below n / 2^64).
  uint64_t below(uint64_t n)
  {
    __extension__ using uint128 = unsigned __int128;
    return static_cast<uint64_t>((static_cast<uint128>(next()) * n) >> 64);
  }

  /// Uniform real in [0, 1).
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static uint64_t splitmix64(uint64_t& x)
  {
    uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z          = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z          = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  uint64_t state_[4];
};

}  // namespace migsim
