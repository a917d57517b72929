#include "sim/sweep/plan_locks.hpp"

#include "sim/scenario/scenario_error.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace migsim {

namespace {

/// The merge lock's byte: past every run id a plan may have (sweep_plan.hpp, max_sweep_runs).
constexpr off_t merge_byte = off_t{1} << 40;

[[noreturn]] void refuse(const std::string& path, int error)
{
  throw FilesystemError("cannot lock \"" + path + "\" (" + std::strerror(error) + ")");
}

}  // namespace

PlanLocks::PlanLocks(const std::string& dir) : path_((std::filesystem::path(dir) / "lock").string())
{
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd_ < 0)
    refuse(path_, errno);
}

PlanLocks::~PlanLocks()
{
  ::close(fd_);
}

bool PlanLocks::try_lock_run(uint64_t id)
{
  struct flock lock {};
  lock.l_type   = F_WRLCK;
  lock.l_whence = SEEK_SET;
  lock.l_start  = static_cast<off_t>(id);
  lock.l_len    = 1;
  if (::fcntl(fd_, F_OFD_SETLK, &lock) == 0)
    return true;
  if (errno == EAGAIN || errno == EACCES)
    return false;
  refuse(path_, errno);
}

void PlanLocks::unlock_run(uint64_t id)
{
  struct flock lock {};
  lock.l_type   = F_UNLCK;
  lock.l_whence = SEEK_SET;
  lock.l_start  = static_cast<off_t>(id);
  lock.l_len    = 1;
  ::fcntl(fd_, F_OFD_SETLK, &lock);
}

void PlanLocks::lock_merge()
{
  struct flock lock {};
  lock.l_type   = F_WRLCK;
  lock.l_whence = SEEK_SET;
  lock.l_start  = merge_byte;
  lock.l_len    = 1;
  while (::fcntl(fd_, F_OFD_SETLKW, &lock) != 0)
    if (errno != EINTR)
      refuse(path_, errno);
}

}  // namespace migsim
