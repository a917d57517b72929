// Actor bodies that cannot bring the process down: an exception escaping an actor would make SimGrid
// abort. A guarded body that throws ends the whole simulation cleanly (every actor is killed) and keeps
// the exception; after Engine::run(), rethrow_actor_failure() hands it to the caller.
#pragma once

#include <simgrid/Exception.hpp>
#include <simgrid/s4u/Actor.hpp>

#include <exception>
#include <functional>

namespace migsim {

/// The first exception thrown by a guarded actor of this process's simulation.
inline std::exception_ptr& actor_failure()
{
  static std::exception_ptr failure;
  return failure;
}

template <class F> std::function<void()> guarded(F body)
{
  return [body]() {
    try {
      body();
    } catch (const simgrid::ForcefulKillException&) {
      throw;  // how SimGrid ends daemons and killed actors: not a failure
    } catch (...) {
      if (!actor_failure())
        actor_failure() = std::current_exception();
      simgrid::s4u::Actor::kill_all();
    }
  };
}

inline void rethrow_actor_failure()
{
  if (actor_failure())
    std::rethrow_exception(actor_failure());
}

}  // namespace migsim
